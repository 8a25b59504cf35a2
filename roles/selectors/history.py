"""An organization's history as the API shows it: revisions with their row changes named by
stable public kinds and fields (`role`, `reports_to`, …), never by tables and columns.

The history core (`departments.history`) records rows by database table and column; a client
should not learn those names, which change with the schema. Here each table has a kind (the
API's name for the object) and each column a field (the model field's name: a foreign key's
column `reports_to_id` is the field `reports_to`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from django.db.models import ForeignKey, Model, QuerySet

from departments.models import (
    Department,
    DepartmentHeadcount,
    HeadcountPhase,
    Membership,
    Organization,
    Revision,
    RowChange,
)
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role

OPERATIONS = {"I": "created", "U": "updated", "D": "deleted"}


def _kinds() -> dict[str, tuple[type[Model], str]]:
    models = {
        Organization: "organization",
        Membership: "member",
        HeadcountPhase: "phase",
        Department: "department",
        DepartmentHeadcount: "department_headcount",
        Role: "role",
        Duty: "duty",
        Requirement: "requirement",
        KPI: "kpi",
        HeadcountTarget: "headcount",
        Role.combinable_with.through: "combinable",
        Collaboration: "collaboration",
    }
    return {model._meta.db_table: (model, kind) for model, kind in models.items()}


KINDS = _kinds()
PUBLIC_KINDS = tuple(kind for _model, kind in KINDS.values())


@cache
def _fields_of(table: str) -> dict[str, str]:
    model = KINDS[table][0]
    return {
        field.column: field.name if isinstance(field, ForeignKey) else field.column
        for field in model._meta.concrete_fields
    }


def public_names(table: str, column: str) -> tuple[str, str]:
    """The API's (kind, field) for a recorded table and column; unknown ones as they are."""
    if table not in KINDS:
        return table, column
    return KINDS[table][1], _fields_of(table).get(column, column)


def change_item(table: str, row_id: int, op: str, old: dict | None, new: dict | None) -> dict:
    """One row change: `{"table": kind, "id", "op", "fields": {field: {"before", "after"}}}`.
    A created or deleted row lists all its fields; an updated one only those that changed."""
    old, new = old or {}, new or {}
    if op == "U":
        columns = [column for column, value in new.items() if old.get(column) != value]
    else:
        columns = list(new or old)
    kind, _column = public_names(table, "id")
    fields = {}
    for column in columns:
        if column == "id":
            continue
        fields[public_names(table, column)[1]] = {
            "before": old.get(column) if op != "I" else None,
            "after": new.get(column) if op != "D" else None,
        }
    return {"table": kind, "id": row_id, "op": OPERATIONS.get(op, op), "fields": fields}


def organization_revisions(
    organization: Organization, *, user_id: int | None = None, since: int | None = None
) -> QuerySet:
    """The organization's revisions, newest first, as rows (`values`): by one user, or only
    those after revision `since`."""
    revisions = Revision.objects.filter(organization=organization)
    if user_id is not None:
        revisions = revisions.filter(user_id=user_id)
    if since is not None:
        revisions = revisions.filter(number__gt=since)
    return revisions.order_by("-number").values(
        "id",
        "number",
        "user_id",
        "user_name",
        "channel",
        "kind",
        "reverts__number",
        "restored_number",
        "note",
        "created_at",
    )


def revision_items(revisions: list[dict]) -> list[dict]:
    """Revisions (rows of `organization_revisions`) with their changes: one query for all."""
    changes: dict[int, list[dict]] = defaultdict(list)
    rows = (
        RowChange.objects.filter(revision_id__in=[revision["id"] for revision in revisions])
        .order_by("revision_id", "id")
        .values_list("revision_id", "table", "row_id", "op", "old", "new")
    )
    for revision_id, table, row_id, op, old, new in rows:
        changes[revision_id].append(change_item(table, row_id, op, old, new))
    items = []
    for revision in revisions:
        user = None
        if revision["user_id"] is not None or revision["user_name"]:
            user = {"id": revision["user_id"], "username": revision["user_name"]}
        items.append(
            {
                "number": revision["number"],
                "user": user,
                "channel": revision["channel"],
                "kind": revision["kind"],
                "reverts": revision["reverts__number"],
                "restored_number": revision["restored_number"],
                "note": revision["note"],
                "created_at": revision["created_at"],
                "changes": changes.get(revision["id"], []),
            }
        )
    return items
