"""Part of a design: the subtree under a root, down to a depth, read as rows.

A chart shows only part of a design and must not read a 5,000-role design to draw seventy boxes.
It asks `design_outline()` how big each level of the tree it draws is, chooses how deep to go,
and hands `outline.part(depth=…)` to `organization_design()`, which then reads only that part:

- the outline: department tree, every department of the organization with its number of roles
  (one query; a department box lists its roles, so its size on the page depends on them); role
  tree, the root (one query) and the number of roles on each level (another).
- the part: the phases, the roles of the part with their head count in one phase, the
  collaboration lines; three queries. A department-tree part holds the outline's departments,
  cut at the depth; a role-tree part holds no department tree, but each role row carries the
  name and function group of its department (read with the role).

Nodes are rows (`roles.selectors.rows`), not model instances, and nodes on the part's last level
know what lies below them (`Below`), from their MPTT bounds and the outline's role counts,
without reading it.

The queries are SQL written here from the models' metadata (as the clone's are), not ORM
querysets: building and compiling the five querysets of a chart took 4–8 ms on the benchmark
machine, against about 0.5 ms to run them, and put a chart 25–30 % over `dot` itself (target:
25 %). The SQL text is made on every call and holds no value (every value is a parameter);
nothing is kept between calls, so one organization's chart can never be drawn from another's
rows.

A root that is not a node of this organization's tree raises the model's `DoesNotExist`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connections, router
from django.db.models import Model

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, HeadcountTarget, Role
from roles.selectors.rows import (
    COLLABORATION_COLUMNS,
    DEPARTMENT_NODE_COLUMNS,
    DEPARTMENT_OF_ROLE_COLUMNS,
    PHASE_COLUMNS,
    ROLE_NODE_COLUMNS,
    CollaborationRow,
    DepartmentOfRole,
    DepartmentRow,
    HeadcountRow,
    PhaseRow,
    RoleRow,
)

DEPARTMENT_TREE = "departments"
ROLE_TREE = "roles"
TREES = (DEPARTMENT_TREE, ROLE_TREE)


class Below(NamedTuple):
    """What lies below a node on the last level of a part: its descendants (not read) and, for
    a department, the roles in those departments."""

    nodes: int
    roles: int = 0


@dataclass(frozen=True)
class DesignPart:
    """Which part of a design `organization_design()` reads: the nodes of `tree` in the subtree
    of `root` (the whole tree when None) down to `depth` levels (the root's level being 1; all
    levels when None), and the head count of `phase` only (None: the first phase).

    Made by `TreeOutline.part()`, which knows the root's MPTT bounds and, for the department
    tree, has already read the departments."""

    tree: str
    root: DepartmentRow | RoleRow | None
    base: int  # the MPTT depth of the part's first level
    depth: int | None
    phase: int | None
    departments: tuple[DepartmentRow, ...] = field(default=(), compare=False)

    def level(self, node: DepartmentRow | RoleRow) -> int:
        """The level of a node in the part, 1 for the part's roots."""
        return node.depth - self.base + 1

    def takes(self, node: DepartmentRow | RoleRow) -> bool:
        return self.depth is None or self.level(node) <= self.depth


@dataclass(frozen=True)
class TreeOutline:
    """The size of each level of a tree (or of the subtree under `root`), levels counted from 1.

    `departments` (department tree only) are the subtree's departments in (tree_id, lft) order,
    each with `roles_count`, the number of its own roles."""

    tree: str
    root: DepartmentRow | RoleRow | None
    base: int
    nodes_per_level: dict[int, int]
    departments: tuple[DepartmentRow, ...] = field(default=(), compare=False)

    @property
    def depth(self) -> int:
        """How many levels the tree has below and including the first."""
        return max(self.nodes_per_level, default=0)

    def level(self, node: DepartmentRow | RoleRow) -> int:
        return node.depth - self.base + 1

    def part(self, *, depth: int | None, phase: int | None = None) -> DesignPart:
        """The part of the design down to `depth` levels, with the head count of `phase`."""
        return DesignPart(self.tree, self.root, self.base, depth, phase, self.departments)


def design_outline(
    organization: Organization, *, tree: str, root: int | None = None
) -> TreeOutline:
    """The outline of `organization`'s department or role tree, or of the subtree under the
    node `root` of that tree; one query (the role tree: two with a root). Raises
    `Department.DoesNotExist` / `Role.DoesNotExist` when `root` is not a node of this
    organization's tree."""
    if tree == DEPARTMENT_TREE:
        return _department_outline(organization, root)
    if tree == ROLE_TREE:
        return _role_outline(organization, root)
    raise ValueError(f"unknown tree {tree!r}")


def _department_outline(organization: Organization, root_pk: int | None) -> TreeOutline:
    d, r = _Table(Department, "d"), _Table(Role, "r")
    # Every department of the organization (there are few: one per several roles), so that the
    # root needs no query of its own, each with its role count: a correlated COUNT uses the index
    # on the role's department and needs no GROUP BY over the department columns.
    departments = [
        DepartmentRow(*row)
        for row in _rows(
            f"SELECT {d.columns(DEPARTMENT_NODE_COLUMNS)}, "
            f"(SELECT COUNT(*) FROM {r} WHERE {r.department} = {d.id}) "
            f"FROM {d} WHERE {d.organization} = %s ORDER BY {d.tree_id}, {d.lft}",
            [organization.pk],
        )
    ]
    root, base = None, 0
    if root_pk is not None:
        root = next((d for d in departments if d.pk == root_pk), None)
        if root is None:
            raise Department.DoesNotExist(f"no department {root_pk} in {organization.slug}")
        base = root.depth
        departments = [
            d for d in departments if d.tree_id == root.tree_id and root.lft <= d.lft <= root.rght
        ]
    per_level: dict[int, int] = {}
    for department in departments:
        level = department.depth - base + 1
        per_level[level] = per_level.get(level, 0) + 1
    return TreeOutline(DEPARTMENT_TREE, root, base, per_level, tuple(departments))


def _role_outline(organization: Organization, root_pk: int | None) -> TreeOutline:
    r = _Table(Role, "r")
    root, base = None, 0
    if root_pk is not None:
        found = _rows(
            f"SELECT {r.columns(ROLE_NODE_COLUMNS)} FROM {r} "
            f"WHERE {r.organization} = %s AND {r.id} = %s",
            [organization.pk, root_pk],
        )
        if not found:  # another organization's role looks exactly like a missing one
            raise Role.DoesNotExist(f"no role {root_pk} in {organization.slug}")
        root = RoleRow(*found[0])
        base = root.depth
    outline = TreeOutline(ROLE_TREE, root, base, {})
    subtree, params = _subtree(outline.part(depth=None), r)
    for depth, count in _rows(
        f"SELECT {r.depth}, COUNT(*) FROM {r} WHERE {r.organization} = %s{subtree} "
        f"GROUP BY {r.depth}",
        [organization.pk, *params],
    ):
        outline.nodes_per_level[depth - base + 1] = count
    return outline


class PartRows(NamedTuple):
    """The rows of a part, in the order a `Design` holds them."""

    phases: list[PhaseRow]
    departments: list[DepartmentRow]
    roles: list[RoleRow]
    collaborations: list[CollaborationRow]
    headcount: dict[tuple[int, int], HeadcountRow]
    below: dict[int, Below]


def read_part(organization: Organization, part: DesignPart) -> PartRows:
    """The rows of `part` of `organization`'s design (see the module docstring); three
    queries."""
    p, c = _Table(HeadcountPhase, "p"), _Table(Collaboration, "c")
    phases = [
        PhaseRow(*row)
        for row in _rows(
            f"SELECT {p.columns(PHASE_COLUMNS)} FROM {p} WHERE {p.organization} = %s "
            f"ORDER BY {p.order}",
            [organization.pk],
        )
    ]
    phase = part.phase if part.phase is not None else (phases[0].pk if phases else None)
    departments, below = _departments_cut(part) if part.tree == DEPARTMENT_TREE else ([], {})
    roles, headcount = _role_rows(organization, part, phase, departments)
    if part.tree == ROLE_TREE and part.depth is not None:
        below = {
            role.pk: Below((role.rght - role.lft - 1) // 2)
            for role in roles
            if part.level(role) == part.depth and role.rght - role.lft > 1
        }
    collaborations = [
        CollaborationRow(*row)
        for row in _rows(
            f"SELECT {c.columns(COLLABORATION_COLUMNS)} FROM {c} WHERE {c.organization} = %s "
            f"ORDER BY {c.order}, {c.id}",
            [organization.pk],
        )
    ]
    return PartRows(phases, departments, roles, collaborations, headcount, below)


def _departments_cut(part: DesignPart) -> tuple[list[DepartmentRow], dict[int, Below]]:
    """The outline's departments down to the part's depth, and what lies below each department
    on the last level: its descendants and the roles in them."""
    departments, below, boundary = [], {}, None
    for department in part.departments:  # (tree_id, lft) order: below comes after its box
        if part.takes(department):
            departments.append(department)
            boundary = department if part.level(department) == part.depth else None
        elif boundary is not None:
            nodes, roles_count = below.get(boundary.pk, (0, 0))
            below[boundary.pk] = Below(nodes + 1, roles_count + department.roles_count)
    return departments, below


def _role_rows(
    organization: Organization,
    part: DesignPart,
    phase: int | None,
    departments: list[DepartmentRow],
) -> tuple[list[RoleRow], dict[tuple[int, int], HeadcountRow]]:
    """The roles of the part in (tree_id, lft) order, each with its department, and their head
    count in `phase`.

    In the department tree the part's departments drive the query (the index on the role's
    department), so that roles in departments not read are never read. In the role tree a role
    card shows only its department's name and colour, which come with the role (the join)
    instead of in a query of their own."""
    r, d, h = _Table(Role, "r"), _Table(Department, "d"), _Table(HeadcountTarget, "h")
    columns = [r.columns(ROLE_NODE_COLUMNS)]
    joins = f" JOIN {d} ON {d.id} = {r.department}"
    params: list = []
    if part.tree == ROLE_TREE:
        columns.append(d.columns(DEPARTMENT_OF_ROLE_COLUMNS))
    if phase is not None:
        columns.append(h.columns(("min_count", "max_count")))
        joins += f" LEFT JOIN {h} ON {h.role} = {r.id} AND {h.phase} = %s"
        params.append(phase)
    subtree, subtree_params = _subtree(part, d if part.tree == DEPARTMENT_TREE else r)
    rows = _rows(
        f"SELECT {', '.join(columns)} FROM {r}{joins} WHERE {r.organization} = %s{subtree} "
        f"ORDER BY {r.tree_id}, {r.lft}",
        [*params, organization.pk, *subtree_params],
    )
    departments_by_pk = {department.pk: department for department in departments}
    departments_of_roles: dict[int, DepartmentOfRole] = {}  # role tree: one per department
    roles, headcount = [], {}
    size = len(ROLE_NODE_COLUMNS)
    for row in rows:
        role = RoleRow(*row[:size])
        if part.tree == DEPARTMENT_TREE:
            role.department = departments_by_pk[role.department_id]
        else:
            role.department = departments_of_roles.get(role.department_id)
            if role.department is None:  # its columns follow the role's
                role.department = departments_of_roles[role.department_id] = DepartmentOfRole(
                    role.department_id, *row[size : size + 3]
                )
        roles.append(role)
        if phase is not None and row[-2] is not None:
            headcount[(role.pk, phase)] = HeadcountRow(row[-2], row[-1])
    return roles, headcount


def link_rows(nodes: list, parent_attr: str) -> list:
    """Link rows already read, in (tree_id, lft) order, into trees; return the roots in order
    (a node whose parent was not read is a root of the part)."""
    by_pk = {node.pk: node for node in nodes}
    roots = []
    for node in nodes:
        node._cached_children = []
        parent = by_pk.get(getattr(node, parent_attr))
        if parent is None:
            roots.append(node)
        else:
            parent._cached_children.append(node)
    return roots


# --- SQL from the models' metadata ------------------------------------------------------------


class _Table:
    """A model's table under an alias, for SQL written by hand: `{t}` is `"table" t`, `{t.name}`
    the quoted column of field `name` (a foreign key's name gives its `_id` column)."""

    def __init__(self, model: type[Model], alias: str):
        self._model = model
        self._alias = alias
        self._quote = connections[router.db_for_read(model)].ops.quote_name

    def __str__(self) -> str:
        return f"{self._quote(self._model._meta.db_table)} {self._alias}"

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return f"{self._alias}.{self._quote(self._model._meta.get_field(name).column)}"

    def columns(self, names: tuple[str, ...]) -> str:
        return ", ".join(getattr(self, name) for name in names)


_BOUNDS = (("tree_id", "="), ("lft", ">="), ("lft", "<="))


def _subtree(part: DesignPart, table: _Table) -> tuple[str, list]:
    """' AND …' conditions (and their parameters) that keep the nodes of the part's tree in
    `table`: within the root's MPTT bounds and no deeper than the part's last level."""
    conditions, params = [], []
    if part.root is not None:
        conditions += [f"{getattr(table, name)} {op} %s" for name, op in _BOUNDS]
        params += [part.root.tree_id, part.root.lft, part.root.rght]
    if part.depth is not None:
        conditions.append(f"{table.depth} <= %s")
        params.append(part.base + part.depth - 1)
    return "".join(f" AND {condition}" for condition in conditions), params


def _rows(sql: str, params: list) -> list[tuple]:
    # Every part reader reads the roles' database (one database in this project).
    with connections[router.db_for_read(Role)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
