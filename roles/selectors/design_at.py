"""An organization's design as it was at a revision, as the same objects the plan, the
comparison and the charts read today: `design_at` gives a whole `Design` (the form of
`organization_design(..., with_lines=False)`), `plan_data_at` the `PlanData` planning reads.

Both are built from the rows the history rebuilds (`departments.history.replay.rows_at`),
not from the live tables: every node is an unsaved model instance carrying its own pk and
columns as they were, with the tree fields (`lft`, `rght`, `tree_id`, `depth`) numbered from the
tree order of that revision's `TreeShape`, and the two trees linked in memory the way
`organization_design` links them, so walking them costs no query. Nothing here is ever saved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Model

from departments.history import replay
from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, Duty, HeadcountTarget, Requirement, Role
from roles.planning.data import PlanData, Range
from roles.selectors.design import Design, RoleNode, _cached_trees

COMBINABLE_TABLE = Role.combinable_with.through._meta.db_table


def _instances(model: type[Model], rows: dict[int, dict], order: Iterable[int]) -> list:
    """Unsaved instances of `model`, one per row, in `order`: each column of a row goes to its
    field's attribute through the field's own `to_python` (the rows are JSON: dates and
    decimals come back as text). A column the model no longer has is ignored; one it has gained
    since keeps its default."""
    fields = [(f.column, f.attname, f.to_python) for f in model._meta.concrete_fields]
    instances = []
    for row_id in order:
        row = rows[row_id]
        values = {name: to_python(row[col]) for col, name, to_python in fields if col in row}
        values["id"] = row_id
        instances.append(model(**values))
    return instances


def _number_trees(nodes: list, parent_attname: str) -> None:
    """Set the MPTT fields of `nodes` (depth-first order, parents first) as mptt would have
    numbered them: each top node its own tree, `lft`/`rght` nested, `depth` from 0."""
    present = {node.pk for node in nodes}
    tree_id = 0
    counter = 1
    open_nodes: list = []  # the path from the current tree's top node down to the last node

    def close(node) -> None:
        nonlocal counter
        node.rght = counter
        counter += 1

    for node in nodes:
        parent_id = getattr(node, parent_attname)
        if parent_id not in present:
            parent_id = None
        while open_nodes and open_nodes[-1].pk != parent_id:
            close(open_nodes.pop())
        if parent_id is None:
            tree_id += 1
            counter = 1
        node.tree_id, node.depth, node.lft = tree_id, len(open_nodes), counter
        counter += 1
        open_nodes.append(node)
    while open_nodes:
        close(open_nodes.pop())


def _tree(
    model: type[Model], rows: replay.Rows, organization_id: int, number: int, parent: str
) -> list:
    table = model._meta.db_table
    table_rows = rows.get(table, {})
    shape = replay.shape_at(organization_id, table, number) or []
    nodes = _instances(model, table_rows, replay.tree_order(table_rows, parent, shape))
    _number_trees(nodes, parent)
    return nodes


def design_at(
    organization: Organization, number: int, *, rows: replay.Rows | None = None
) -> Design:
    """The design of `organization` as it was at revision `number`, whole, without lines.

    `rows` are `replay.rows_at(organization.pk, number)` when the caller already has them (the
    history's comparison reads them for its own lines). Queries: those of `rows_at` when not
    given, and one per tree for its shape."""
    if rows is None:
        rows = replay.rows_at(organization.pk, number)
    departments = _tree(Department, rows, organization.pk, number, "parent_id")
    roles = _tree(Role, rows, organization.pk, number, "reports_to_id")
    department_roots = _cached_trees(departments)
    role_roots = _cached_trees(roles)
    departments_by_pk = {department.pk: department for department in departments}
    by_department: dict[int, list[RoleNode]] = defaultdict(list)
    for role in roles:
        by_department[role.department_id].append(role)
        department = departments_by_pk.get(role.department_id)
        if department is not None:  # always, unless the history lost the department's row
            Role.department.field.set_cached_value(role, department)
    phase_rows = rows.get(HeadcountPhase._meta.db_table, {})
    phase_order = sorted(phase_rows, key=lambda pk: (phase_rows[pk]["order"], pk))
    collaboration_rows = rows.get(Collaboration._meta.db_table, {})
    return Design(
        organization=organization,
        phases=_instances(HeadcountPhase, phase_rows, phase_order),
        departments=departments,
        department_roots=department_roots,
        roles=roles,
        role_roots=role_roots,
        collaborations=_instances(Collaboration, collaboration_rows, sorted(collaboration_rows)),
        roles_by_department=dict(by_department),
    )


def _lines_per_role(rows: dict[int, dict]) -> dict[int, int]:
    """role id → number of its lines; roles without any are absent (as `plan_data` has it)."""
    return dict(Counter(row["role_id"] for row in rows.values()))


def plan_data_at(
    organization: Organization, number: int, *, rows: replay.Rows | None = None
) -> PlanData:
    """What planning reads (`roles.planning.data.plan_data`) as it was at revision `number`:
    the design, the head-count targets, the number of duties and requirements per role and the
    combinable pairs, all from the rebuilt rows."""
    if rows is None:
        rows = replay.rows_at(organization.pk, number)
    design = design_at(organization, number, rows=rows)
    counts = {
        (row["role_id"], row["phase_id"]): Range(row["min_count"], row["max_count"])
        for row in rows.get(HeadcountTarget._meta.db_table, {}).values()
    }
    pairs = sorted(
        (row["from_role_id"], row["to_role_id"])
        for row in rows.get(COMBINABLE_TABLE, {}).values()
        if row["from_role_id"] < row["to_role_id"]
    )
    return PlanData(
        design=design,
        counts=counts,
        duty_counts=_lines_per_role(rows.get(Duty._meta.db_table, {})),
        requirement_counts=_lines_per_role(rows.get(Requirement._meta.db_table, {})),
        combined_pairs=pairs,
    )
