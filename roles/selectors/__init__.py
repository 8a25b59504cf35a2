"""Reads of whole designs. `organization_design` is the one reader that charts, documents,
planning and the editor build on; `api_rows` serves the REST API's JSON rows."""

from roles.selectors.api_rows import organization_tree, role_items
from roles.selectors.design import Design, organization_design
from roles.selectors.previews import organization_previews

__all__ = [
    "Design",
    "organization_design",
    "organization_previews",
    "organization_tree",
    "role_items",
]
