"""Reads of whole designs.

- `organization_design` is the one reader of a design, which charts, documents, planning, the
  editor and the API tree build on; a chart reads only the part it draws (`design_outline`, then
  `organization_design(part=...)`, see `parts`).
- `organization_tree` / `role_items` are the REST API's JSON rows (`api_rows`), a projection of
  the same tables kept as rows for speed; the columns both row readers select are named once in
  `rows`, and every bilingual text falls back through `teamorg.i18n.translated_text`.
- `organization_previews` are the dashboard's template cards; `dashboard_for` the rest of the
  dashboard and `copy_sources` what a user may copy a new organization from (`dashboard`).
"""

from roles.selectors.api_rows import organization_tree, role_items
from roles.selectors.dashboard import (
    CopySources,
    Dashboard,
    copy_source,
    copy_sources,
    dashboard_for,
)
from roles.selectors.design import DepartmentNode, Design, RoleNode, organization_design
from roles.selectors.parts import (
    DEPARTMENT_TREE,
    ROLE_TREE,
    TREES,
    Below,
    DesignPart,
    TreeOutline,
    design_outline,
)
from roles.selectors.previews import organization_previews

__all__ = [
    "CopySources",
    "Dashboard",
    "copy_source",
    "copy_sources",
    "dashboard_for",
    "DEPARTMENT_TREE",
    "ROLE_TREE",
    "TREES",
    "Below",
    "DepartmentNode",
    "Design",
    "DesignPart",
    "RoleNode",
    "TreeOutline",
    "design_outline",
    "organization_design",
    "organization_previews",
    "organization_tree",
    "role_items",
]
