"""An organization's design as it was at any revision: its current rows with the row changes
of every later revision taken back, newest first, and its trees' order from the `TreeShape`s
recorded at or before that revision (the newest whole one and the placements after it). One
query per table, one for the changes, one per tree.

Rows are the tracked columns as the triggers write them (the same JSON functions read the
current rows here), so a row as it was and a row as it is compare equal exactly when nothing
in them changed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Subquery

from departments.history.tracking import Tracked, sqlite_json, tracked_tables
from departments.models import Revision, RowChange, TreeShape

Rows = dict[str, dict[int, dict]]
Shape = list[list[int | None]]


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _row_sql(entry: Tracked) -> str:
    table = f'"{entry.table}"'
    if connection.vendor == "sqlite":
        row = sqlite_json(table, entry)
    else:
        excluded = ", ".join(f"'{c}'" for c in entry.exclude) or "''"
        row = f"to_jsonb({table}) - ARRAY[{excluded}]::text[]"
    return f"SELECT id, {row} FROM {table} WHERE {entry.organization_sql}"


def current_rows(organization_id: int, tables: Iterable[Tracked] | None = None) -> Rows:
    rows: Rows = {}
    with connection.cursor() as cursor:
        for entry in tables or tracked_tables():
            cursor.execute(_row_sql(entry), [organization_id])
            rows[entry.table] = {row_id: _json(row) for row_id, row in cursor.fetchall()}
    return rows


def take_back(rows: Rows, changes: Iterable[RowChange]) -> Rows:
    """`rows` with `changes` (newest first) undone, whatever happened to them after."""
    for change in changes:
        table = rows.setdefault(change.table, {})
        if change.op == "I":
            table.pop(change.row_id, None)
        else:
            table[change.row_id] = dict(change.old)
    return rows


def changes_after(organization_id: int, number: int) -> Iterable[RowChange]:
    return (
        RowChange.objects.filter(
            revision__organization_id=organization_id, revision__number__gt=number
        )
        .order_by("-revision__number", "-id")
        .only("table", "row_id", "op", "old")
        .iterator(chunk_size=2000)
    )


def history_start(organization_id: int) -> int | None:
    """The oldest revision the history can rebuild (None: nothing recorded yet)."""
    first = (
        TreeShape.objects.filter(organization_id=organization_id)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    return first


def rows_at(organization_id: int, number: int) -> Rows:
    return take_back(current_rows(organization_id), changes_after(organization_id, number))


def shape_at(organization_id: int, table: str, number: int) -> Shape | None:
    """The order of tree `table` at revision `number`: the newest whole shape at or before it,
    with the placements recorded after that one and up to `number` made in turn."""
    shapes = TreeShape.objects.filter(
        organization_id=organization_id, table=table, number__lte=number
    )
    newest_whole = shapes.filter(whole=True).order_by("-number").values("number")[:1]
    recorded = list(
        shapes.filter(number__gte=Subquery(newest_whole))
        .order_by("number", "id")
        .values_list("whole", "nodes")
    )
    wholes = [index for index, (whole, _nodes) in enumerate(recorded) if whole]
    if not wholes:
        return None  # nothing recorded yet
    shape = recorded[wholes[-1]][1]
    placements = [placement for _whole, nodes in recorded[wholes[-1] + 1 :] for placement in nodes]
    return placed(shape, placements) if placements else shape


def placed(shape: Shape, placements: Iterable[list[int | None]]) -> Shape:
    """`shape` with each `[node, parent, previous sibling]` of `placements` made in turn: the
    node, with everything under it, taken from where it was and put under `parent` right after
    that sibling (the first child when None; parent None: the top level)."""
    parent_of: dict[int, int | None] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for node, parent in shape:
        parent_of[node] = parent
        children[parent].append(node)
    for node, parent, previous in placements:
        if node in parent_of:
            children[parent_of[node]].remove(node)
        siblings = children[parent]
        siblings.insert(0 if previous is None else siblings.index(previous) + 1, node)
        parent_of[node] = parent
    order: Shape = []
    stack = list(reversed(children[None]))
    while stack:
        node = stack.pop()
        order.append([node, parent_of[node]])
        stack.extend(reversed(children.get(node, [])))
    return order


def shapes_at(organization_id: int, number: int) -> dict[str, Shape]:
    return {
        entry.table: shape_at(organization_id, entry.table, number) or []
        for entry in tracked_tables()
        if entry.tree_parent
    }


def tree_order(rows: dict[int, dict], parent_column: str, shape: Shape) -> list[int]:
    """The ids of `rows` in tree order: as `shape` has them where it knows them; rows it does
    not know go last among their siblings, by id."""
    position = {node_id: index for index, (node_id, _parent) in enumerate(shape)}
    children: dict[int | None, list[int]] = defaultdict(list)
    for row_id, row in rows.items():
        parent = row.get(parent_column)
        children[parent if parent in rows else None].append(row_id)
    for siblings in children.values():
        siblings.sort(key=lambda row_id: (position.get(row_id, len(position)), row_id))
    order: list[int] = []
    stack = list(reversed(children[None]))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(children.get(node, [])))
    return order


def revision_changes(revision: Revision) -> list[RowChange]:
    return list(revision.changes.order_by("id"))
