"""Designs read as rows instead of model instances: which columns each row reader selects (named
once here), and the rows the part of a design that a chart draws is made of.

Two readers read rows, because instantiating a model per row costs several times the query: the
REST API's JSON rows (`api_rows`) and the part of a design a chart draws (`parts`). A part's rows
carry the model's attribute names for the columns read (`pk`, `parent_id`, `name_zh`, …), so that
code walking a design reads a row as it reads a model instance. Bilingual fields are their two
columns (`teamorg.i18n.translated_columns`), picked with `teamorg.i18n.translated_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from teamorg.i18n import translated_columns

# Where a node sits in its MPTT tree: enough to cut a subtree and count what lies below a node.
TREE_POSITION = ("tree_id", "lft", "rght", "depth")

# --- the REST API's JSON rows (`api_rows`) ----------------------------------------------------

DEPARTMENT_COLUMNS = (
    "id",
    "parent_id",
    "code",
    *translated_columns("name"),
    *translated_columns("summary"),
    *translated_columns("functions"),
    "function_group",
    "origin",
    "source_note",
    "functions_origin",
)

ROLE_COLUMNS = (
    "id",
    "organization__slug",
    "code",
    *translated_columns("title"),
    "department_id",
    "reports_to_id",
    "level",
    "employment_type",
    "hiring_priority",
    *translated_columns("summary"),
    "pay_structure",
    "salary_min",
    "salary_max",
    *translated_columns("pay_note"),
    "origin",
    "source_note",
    *translated_columns("location"),
    *translated_columns("offers"),
    "key_position",
)

PHASE_COLUMNS = ("id", "order", *translated_columns("name"))

COLLABORATION_COLUMNS = (
    "id",
    "from_department_id",
    "to_department_id",
    "from_role_id",
    "to_role_id",
    *translated_columns("description"),
)

# --- the rows of a part of a design (`parts`); each class takes its columns in this order -----

DEPARTMENT_NODE_COLUMNS = (
    "id",
    "parent_id",
    *TREE_POSITION,
    *translated_columns("name"),
    "function_group",
)
ROLE_NODE_COLUMNS = (
    "id",
    "department_id",
    "reports_to_id",
    *TREE_POSITION,
    *translated_columns("title"),
    "employment_type",
    "hiring_priority",
)
# What a role card shows of the role's department (read with the role, after its columns).
DEPARTMENT_OF_ROLE_COLUMNS = (*translated_columns("name"), "function_group")


@dataclass(slots=True, eq=False)
class PhaseRow:
    pk: int
    order: int
    name_zh: str
    name_en: str


@dataclass(slots=True, eq=False)
class DepartmentRow:
    pk: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    depth: int
    name_zh: str
    name_en: str
    function_group: str
    roles_count: int = 0  # the department's own roles
    # Set when the rows are linked into trees (`Design.children` reads it).
    _cached_children: list[DepartmentRow] = field(init=False, repr=False)


@dataclass(slots=True, eq=False)
class DepartmentOfRole:
    """The department of a role in a role-tree part: what a role card shows of it."""

    pk: int
    name_zh: str
    name_en: str
    function_group: str


@dataclass(slots=True, eq=False)
class RoleRow:
    pk: int
    department_id: int
    reports_to_id: int | None
    tree_id: int
    lft: int
    rght: int
    depth: int
    title_zh: str
    title_en: str
    employment_type: str
    hiring_priority: int | None
    department: DepartmentRow | DepartmentOfRole | None = None
    _cached_children: list[RoleRow] = field(init=False, repr=False)


@dataclass(slots=True, eq=False)
class CollaborationRow:
    pk: int
    from_department_id: int | None
    to_department_id: int | None
    from_role_id: int | None
    to_role_id: int | None
    description_zh: str
    description_en: str


class HeadcountRow(NamedTuple):
    """A role's head count target in one phase (as `HeadcountTarget` names it)."""

    min_count: int
    max_count: int
