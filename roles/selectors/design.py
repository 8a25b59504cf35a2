"""The one reader of a design: `organization_design()` reads an organization's design with one
query per table and links its two trees in memory in O(n), so that walking them costs no query.

Charts, documents, planning, the editor and the API tree all build on it. Most read the whole
design, as model instances. A chart reads only the part it draws (`part=`, made by
`design_outline(...).part(...)`, see `roles.selectors.parts`): the subtree under a root, down to
the depth that fits on a page, with the head count of one phase, as rows; the nodes on the part's
last level know how much of the tree lies below them (`Design.below`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Prefetch

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, HeadcountTarget, Level, Role
from roles.selectors.department_headcount import DepartmentHeadcounts
from roles.selectors.parts import Below, DesignPart, link_rows, read_part
from roles.selectors.rows import (
    CollaborationRow,
    DepartmentRow,
    HeadcountRow,
    PhaseRow,
    RoleRow,
)
from teamorg.i18n import content_language, translated_columns, translated_text

# A node of a design's tree: a model instance (whole designs) or a row (parts).
DepartmentNode = Department | DepartmentRow
RoleNode = Role | RoleRow


@dataclass
class Design:
    """An organization's design, read with one query per table.

    Read whole, nodes are model instances and the trees mptt cached trees (`get_children()`
    costs no query); with `with_lines`, roles carry their duties, requirements, KPIs, head count
    and combinable roles prefetched. Read in part (`part` is set), nodes are the rows of
    `roles.selectors.rows` (same attribute names for the columns read), the trees hold only the
    part's nodes, `headcount` only the part's phase, and `below` says what lies below the nodes
    on the part's last level. `Design.children(node)` walks both.
    """

    organization: Organization
    phases: list[HeadcountPhase] | list[PhaseRow]
    departments: list[DepartmentNode]  # depth-first order
    department_roots: list[DepartmentNode]
    roles: list[RoleNode]  # depth-first order of the reporting tree
    role_roots: list[RoleNode]
    collaborations: list[Collaboration] | list[CollaborationRow]
    roles_by_department: dict[int, list[RoleNode]] = field(default_factory=dict)
    # (role id, phase id) → the role's head count target in that phase
    headcount: dict[tuple[int, int], HeadcountTarget | HeadcountRow] = field(default_factory=dict)
    part: DesignPart | None = None
    below: dict[int, Below] = field(default_factory=dict)
    # The departments' head count (部门定编) beside their roles' sums, read on first use by
    # the documents (`roles.selectors.department_headcount`); None until then.
    department_counts: DepartmentHeadcounts | None = None

    def department(self, pk: int) -> DepartmentNode:
        return self._departments_by_pk[pk]

    def role(self, pk: int) -> RoleNode:
        return self._roles_by_pk[pk]

    @staticmethod
    def children(node: DepartmentNode | RoleNode) -> list:
        """The children of a node of one of the design's trees, in order, without a query (the
        same nodes as `node.get_children()`, without building a queryset per node)."""
        return getattr(node, "_cached_children", [])

    def __post_init__(self):
        self._departments_by_pk = {d.pk: d for d in self.departments}
        self._roles_by_pk = {r.pk: r for r in self.roles}


def organization_design(
    organization: Organization, *, with_lines: bool = True, part: DesignPart | None = None
) -> Design:
    """Everything of one organization: 4 queries, plus 5 prefetches when `with_lines`.

    With `part` (from `design_outline(...).part(...)`), only that part of the design, as rows:
    the nodes of the part, the head count of its phase, every phase and every collaboration
    line; three queries, whatever the size of the organization."""
    if part is not None:
        return _design_part(organization, part)
    departments_qs = Department.objects.filter(organization=organization).order_by("tree_id", "lft")
    roles_qs = Role.objects.filter(organization=organization).order_by("tree_id", "lft")
    if with_lines:
        roles_qs = roles_qs.prefetch_related(
            "duties",
            "requirements",
            "kpis",
            Prefetch("headcount", queryset=_headcount_queryset()),
            Prefetch(
                "combinable_with", queryset=Role.objects.only("pk", *translated_columns("title"))
            ),
        )
    departments = list(departments_qs)
    roles = list(roles_qs)
    department_roots = _cached_trees(departments)
    role_roots = _cached_trees(roles)
    by_department: dict[int, list[RoleNode]] = defaultdict(list)
    departments_by_pk = {d.pk: d for d in departments}
    headcount = {}
    for role in roles:
        by_department[role.department_id].append(role)
        # Point at the cached department object, so role.department costs no query.
        Role.department.field.set_cached_value(role, departments_by_pk[role.department_id])
        if with_lines:
            for target in role.headcount.all():
                headcount[(role.pk, target.phase_id)] = target
    return Design(
        organization=organization,
        phases=list(HeadcountPhase.objects.filter(organization=organization).order_by("order")),
        departments=departments,
        department_roots=department_roots,
        roles=roles,
        role_roots=role_roots,
        collaborations=list(Collaboration.objects.filter(organization=organization)),
        roles_by_department=dict(by_department),
        headcount=headcount,
    )


def _design_part(organization: Organization, part: DesignPart) -> Design:
    rows = read_part(organization, part)
    by_department: dict[int, list[RoleNode]] = defaultdict(list)
    for role in rows.roles:
        by_department[role.department_id].append(role)
    return Design(
        organization=organization,
        phases=rows.phases,
        departments=rows.departments,
        department_roots=link_rows(rows.departments, "parent_id"),
        roles=rows.roles,
        role_roots=link_rows(rows.roles, "reports_to_id"),
        collaborations=rows.collaborations,
        roles_by_department=dict(by_department),
        headcount=rows.headcount,
        part=part,
        below=rows.below,
    )


def _headcount_queryset():
    return HeadcountTarget.objects.order_by("phase__order")


def _cached_trees(nodes: list) -> list:
    """Link already-fetched nodes into cached trees in O(n); return the roots in order.

    Same result as mptt's `get_cached_trees()` (`get_children()` and the parent attribute then
    cost no query), which instead searches the level above for each node's parent and gets
    quadratic on wide trees.
    """
    if not nodes:
        return []
    parent_attr = nodes[0]._mptt_meta.parent_attr
    parent_field = type(nodes[0])._meta.get_field(parent_attr)
    by_pk = {node.pk: node for node in nodes}
    roots = []
    for node in nodes:  # (tree_id, lft) order: parents come before children
        node._cached_children = []
        parent = by_pk.get(getattr(node, f"{parent_attr}_id"))
        if parent is None:
            roots.append(node)
        else:
            parent._cached_children.append(node)
            parent_field.set_cached_value(node, parent)
    return roots


# --- the outline: what the editor and the overview show of every node --------------------------

OUTLINE_DEPARTMENT_COLUMNS = ("id", "parent_id", "tree_id", "lft", "rght", "depth",
                              *translated_columns("name"))  # fmt: skip
OUTLINE_ROLE_COLUMNS = ("id", "department_id", "reports_to_id", "tree_id", "lft", "rght", "depth",
                        *translated_columns("title"), "level")  # fmt: skip
# What head-count planning reads on top of an outline (`organization_outline(..., with_plan=True)`):
# codes for its downloads and comparisons, a role's hiring priority and salary band. Each row
# class takes these after its outline columns.
PLAN_DEPARTMENT_COLUMNS = ("code",)
PLAN_ROLE_COLUMNS = ("code", "hiring_priority", "salary_min", "salary_max", "key_position")


@dataclass(slots=True, eq=False)
class OutlineDepartment:
    """A department as an outline shows it. `name` is the active language's, with fallback;
    `roles` are its own roles (reporting order), set by `organization_outline`."""

    pk: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    depth: int
    name_zh: str
    name_en: str
    code: str = ""  # read with_plan
    roles: list = field(default_factory=list)
    parent: OutlineDepartment | None = None  # linked with_plan
    _cached_children: list = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        return translated_text(self.name_zh, self.name_en, content_language())

    @property
    def role_count(self) -> int:
        return len(self.roles)

    @property
    def has_children(self) -> bool:
        return self.rght - self.lft > 1


@dataclass(slots=True, eq=False)
class OutlineRole:
    """A role as an outline or a head-count grid shows it; `department` is its
    `OutlineDepartment`."""

    pk: int
    department_id: int
    reports_to_id: int | None
    tree_id: int
    lft: int
    rght: int
    depth: int
    title_zh: str
    title_en: str
    level: str
    # Read with_plan (planning's columns); empty otherwise.
    code: str = ""
    hiring_priority: int | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    key_position: bool = False  # a key position, to be in place first (issue 20)
    department: OutlineDepartment | None = None
    reports_to: OutlineRole | None = None  # linked with_plan
    _cached_children: list = field(default_factory=list, repr=False)

    @property
    def title(self) -> str:
        return translated_text(self.title_zh, self.title_en, content_language())

    @property
    def has_children(self) -> bool:
        return self.rght - self.lft > 1

    def get_level_display(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))


LEVEL_LABELS = dict(Level.choices)  # lazy labels, translated when shown


class HeadcountCell(NamedTuple):
    """A role's head count in one phase, as the grids show it ("2" or "1–3")."""

    min_count: int
    max_count: int

    def __str__(self) -> str:
        if self.min_count == self.max_count:
            return str(self.min_count)
        return f"{self.min_count}–{self.max_count}"


def organization_outline(
    organization: Organization, *, with_headcount: bool = True, with_plan: bool = False
) -> Design:
    """The design as outlines show it: every department and role as a light row (no model
    instance per node, no duties, requirements, KPIs or combinable roles), the phases, the
    collaboration lines and, when asked, the head count as numbers. Five queries (four without
    head count), whatever the size; the trees are linked in memory (`Design.children`).

    `with_plan`: the rows also carry what head-count planning reads (`PLAN_*_COLUMNS`) and
    their parents (`department.parent`, `role.reports_to`), the attributes planning reads of
    a model instance, so the plan, its checks and its comparison take either."""
    department_columns, role_columns = OUTLINE_DEPARTMENT_COLUMNS, OUTLINE_ROLE_COLUMNS
    if with_plan:
        department_columns = (*department_columns, *PLAN_DEPARTMENT_COLUMNS)
        role_columns = (*role_columns, *PLAN_ROLE_COLUMNS)
    departments = [
        OutlineDepartment(*row)
        for row in Department.objects.filter(organization=organization)
        .order_by("tree_id", "lft")
        .values_list(*department_columns)
    ]
    departments_by_pk = {d.pk: d for d in departments}
    roles = []
    by_department: dict[int, list] = defaultdict(list)
    for row in (
        Role.objects.filter(organization=organization)
        .order_by("tree_id", "lft")
        .values_list(*role_columns)
    ):
        role = OutlineRole(*row)
        role.department = departments_by_pk.get(role.department_id)
        roles.append(role)
        by_department[role.department_id].append(role)
    for department in departments:
        department.roles = by_department.get(department.pk, [])
    if with_plan:
        _link_parents(departments, "parent_id", "parent")
        _link_parents(roles, "reports_to_id", "reports_to")
    headcount = {}
    if with_headcount:
        for role_id, phase_id, low, high in HeadcountTarget.objects.filter(
            role__organization=organization
        ).values_list("role_id", "phase_id", "min_count", "max_count"):
            headcount[(role_id, phase_id)] = HeadcountCell(low, high)
    return Design(
        organization=organization,
        phases=list(HeadcountPhase.objects.filter(organization=organization).order_by("order")),
        departments=departments,
        department_roots=link_rows(departments, "parent_id"),
        roles=roles,
        role_roots=link_rows(roles, "reports_to_id"),
        collaborations=list(Collaboration.objects.filter(organization=organization)),
        roles_by_department=dict(by_department),
        headcount=headcount,
    )


def _link_parents(rows: list, parent_id: str, parent: str) -> None:
    """Point each row's `parent` attribute at its parent's row (None for a top node)."""
    by_pk = {row.pk: row for row in rows}
    for row in rows:
        setattr(row, parent, by_pk.get(getattr(row, parent_id)))
