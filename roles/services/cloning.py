"""Copying a whole organization inside the database: one INSERT … SELECT per table.

A clone of 5,000 roles must cost the same number of queries as a clone of 50. Django's
`bulk_create` splits large inserts into batches (999 parameters per statement on SQLite) and
would need every row in Python first; `INSERT … SELECT` copies the rows server-side in one
statement per table whatever the size, on SQLite and PostgreSQL alike.

Rows are matched between source and copy by their natural keys: `code` for departments and
roles (unique per organization), `order` for phases. Tree fields are copied as they are, with
`tree_id` shifted past the largest one in the table; lft/rght/level are relative to their tree,
so the copied trees are valid the moment the parent links are set. The caller holds the tree
locks of both tables (`organization_clone` in `departments.services`), which is what makes the
`max(tree_id)` read safe.
"""

from django.db import connection
from django.db.models import Max, Min, Model, Subquery

from departments.models import (
    PROFILE_TEXTS,
    Department,
    DepartmentHeadcount,
    HeadcountPhase,
    Organization,
)
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _copied_columns(model: type[Model], special: set[str]) -> list[str]:
    """Every concrete column except the primary key and those given their own expression."""
    return [
        field.column
        for field in model._meta.concrete_fields
        if not field.primary_key and field.column not in special
    ]


def _code_map(model: type[Model], new_org_alias: str, source_fk_sql: str) -> str:
    """SQL for: the id of the copy of the row `source_fk_sql` points at (matched by code)."""
    table = _table(model)
    return (
        f"(SELECT copy.{_q('id')} FROM {table} copy JOIN {table} original "
        f"ON original.{_q('code')} = copy.{_q('code')} "
        f"WHERE original.{_q('id')} = {source_fk_sql} "
        f"AND copy.{_q('organization_id')} = {new_org_alias})"
    )


def _insert_select(model, columns_exprs: dict[str, str], source_sql: str, params: list) -> None:
    copied = _copied_columns(model, set(columns_exprs))
    target_columns = [*columns_exprs, *copied]
    select_list = [*columns_exprs.values(), *(f"src.{_q(c)}" for c in copied)]
    sql = (
        f"INSERT INTO {_table(model)} ({', '.join(_q(c) for c in target_columns)}) "
        f"SELECT {', '.join(select_list)} {source_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _copy_tree(
    model, source_id: int, new_id: int, parent_column: str, extra: dict[str, str], extra_params
) -> None:
    """Copy an organization's MPTT trees of `model`, then point parents at the copies."""
    table = _table(model)
    source_min = model._default_manager.filter(organization_id=source_id).aggregate(
        m=Min("tree_id")
    )["m"]
    if source_min is None:
        return
    next_tree_id = (model._default_manager.aggregate(m=Max("tree_id"))["m"] or 0) + 1
    _insert_select(
        model,
        {
            "organization_id": "%s",
            parent_column: "NULL",
            "tree_id": f"src.{_q('tree_id')} - %s + %s",
            **extra,
        },
        f"FROM {table} src WHERE src.{_q('organization_id')} = %s",
        [new_id, source_min, next_tree_id, *extra_params, source_id],
    )
    # The copy of each row gets, as parent, the copy of its original's parent (same code).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {_q(parent_column)} = ("
            f"SELECT parent_copy.{_q('id')} FROM {table} original "
            f"JOIN {table} parent_original "
            f"ON parent_original.{_q('id')} = original.{_q(parent_column)} "
            f"JOIN {table} parent_copy ON parent_copy.{_q('code')} = parent_original.{_q('code')} "
            f"AND parent_copy.{_q('organization_id')} = %s "
            f"WHERE original.{_q('organization_id')} = %s "
            f"AND original.{_q('code')} = {table}.{_q('code')}) "
            f"WHERE {_q('organization_id')} = %s",
            [new_id, source_id, new_id],
        )


def copy_design(*, source_id: int, new_id: int) -> None:
    """Copy phases, departments with their head count (部门定编), roles, lines, head count,
    combinable roles and collaboration lines of organization `source_id` into the empty
    organization `new_id`, and the source's profile (company introduction, locations, offers,
    how to apply)."""
    profile = [f"{text}_{language}" for text in PROFILE_TEXTS for language in ("zh", "en")]
    # One UPDATE reading the source's columns itself: the clone's query count stays fixed.
    source = Organization.objects.filter(pk=source_id)
    Organization.objects.filter(pk=new_id).update(
        **{name: Subquery(source.values(name)[:1]) for name in profile}
    )
    phases = _table(HeadcountPhase)
    _insert_select(
        HeadcountPhase,
        {"organization_id": "%s"},
        f"FROM {phases} src WHERE src.{_q('organization_id')} = %s",
        [new_id, source_id],
    )
    _copy_tree(Department, source_id, new_id, "parent_id", {}, [])
    departments = _table(Department)
    phase_copy = (
        f"(SELECT copy.{_q('id')} FROM {phases} copy JOIN {phases} original "
        f"ON original.{_q('order')} = copy.{_q('order')} "
        f"WHERE original.{_q('id')} = src.{_q('phase_id')} "
        f"AND copy.{_q('organization_id')} = %s)"
    )
    _insert_select(
        DepartmentHeadcount,
        {
            "department_id": _code_map(Department, "%s", f"src.{_q('department_id')}"),
            "phase_id": phase_copy,
        },
        f"FROM {_table(DepartmentHeadcount)} src "
        f"JOIN {departments} d ON d.{_q('id')} = src.{_q('department_id')} "
        f"WHERE d.{_q('organization_id')} = %s",
        [new_id, new_id, source_id],
    )
    _copy_tree(
        Role,
        source_id,
        new_id,
        "reports_to_id",
        {"department_id": _code_map(Department, "%s", f"src.{_q('department_id')}")},
        [new_id],
    )
    roles = _table(Role)
    for line_model in (Duty, Requirement, KPI):
        _insert_select(
            line_model,
            {"role_id": _code_map(Role, "%s", f"src.{_q('role_id')}")},
            f"FROM {_table(line_model)} src JOIN {roles} r ON r.{_q('id')} = src.{_q('role_id')} "
            f"WHERE r.{_q('organization_id')} = %s",
            [new_id, source_id],
        )
    _insert_select(
        HeadcountTarget,
        {
            "role_id": _code_map(Role, "%s", f"src.{_q('role_id')}"),
            "phase_id": phase_copy,
        },
        f"FROM {_table(HeadcountTarget)} src JOIN {roles} r ON r.{_q('id')} = src.{_q('role_id')} "
        f"WHERE r.{_q('organization_id')} = %s",
        [new_id, new_id, source_id],
    )
    through = Role.combinable_with.through
    _insert_select(
        through,
        {
            "from_role_id": _code_map(Role, "%s", f"src.{_q('from_role_id')}"),
            "to_role_id": _code_map(Role, "%s", f"src.{_q('to_role_id')}"),
        },
        f"FROM {_table(through)} src JOIN {roles} r ON r.{_q('id')} = src.{_q('from_role_id')} "
        f"WHERE r.{_q('organization_id')} = %s",
        [new_id, new_id, source_id],
    )
    departments_map = lambda column: _code_map(Department, "%s", f"src.{_q(column)}")  # noqa: E731
    roles_map = lambda column: _code_map(Role, "%s", f"src.{_q(column)}")  # noqa: E731
    _insert_select(
        Collaboration,
        {
            "organization_id": "%s",
            "from_department_id": departments_map("from_department_id"),
            "to_department_id": departments_map("to_department_id"),
            "from_role_id": roles_map("from_role_id"),
            "to_role_id": roles_map("to_role_id"),
        },
        f"FROM {_table(Collaboration)} src WHERE src.{_q('organization_id')} = %s",
        [new_id, new_id, new_id, new_id, new_id, source_id],
    )
