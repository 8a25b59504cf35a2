"""The unit of work around a design write, and what it records.

A service that writes a design is decorated with `design_write` (a transaction) and calls
`departments.services.begin_write`, which bumps the revision and opens a `Revision` here. From
then until the service returns, the triggers (`tracking`) record every row the transaction
changes. When the outermost `design_write` returns, `finish` records the new tree shapes and
checks the write against what others changed since the writer read the design.

A tree shape is the whole order of a tree, or, when the write only moved nodes, where each move
placed its node (`TreeShape.whole`): at 5,000 roles the whole order is 5,000 pairs read, encoded
and stored on every move, the placement one triple. A whole shape is recorded at least every
`PLACEMENTS_BETWEEN_WHOLE_SHAPES` revisions, so an order is rebuilt from at most that many.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Max, Model, When
from django.db.models.fields.json import KT

from departments.history.tracking import tracked, tracked_tables
from departments.models import (
    Channel,
    HistoryCursor,
    Organization,
    Revision,
    RevisionKind,
    RowChange,
    TreeShape,
)
from teamorg.errors import EditConflict, FieldConflict, StaleRevision

PLACEMENTS_BETWEEN_WHOLE_SHAPES = 100


@dataclass
class Actor:
    user: Any = None
    channel: str = Channel.SYSTEM
    client: str = ""  # the editor tab, when the write comes from one


_actor: contextvars.ContextVar[Actor | Callable[[], Actor] | None] = contextvars.ContextVar(
    "history_actor", default=None
)


@contextmanager
def acting(actor: Actor | Callable[[], Actor]):
    """Attribute the writes inside to `actor` (a callable is asked when a write starts: a
    request's user is known only after the API authenticated it)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    actor = _actor.get()
    if actor is None:
        return Actor()  # a management command or a shell: no person, the system channel
    return actor() if callable(actor) else actor


@dataclass
class _Write:
    depth: int = 0
    revision: Revision | None = None
    expected: int | None = None
    previous: int | None = None
    reshaped: set[str] = field(default_factory=set)  # trees whose whole order is recorded
    # Each tree's moves in this write: [node, parent, previous sibling] where each put its node.
    placed: dict[str, list[list[int | None]]] = field(default_factory=dict)


_write: contextvars.ContextVar[_Write | None] = contextvars.ContextVar(
    "history_write", default=None
)


def design_write(function):
    """Run a service as one recorded design write: a transaction, and `finish` before it
    commits. Nested design writes join the outermost one."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        state = _write.get()
        if state is not None:
            state.depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                state.depth -= 1
        state = _Write()
        token = _write.set(state)
        try:
            with transaction.atomic():
                result = function(*args, **kwargs)
                finish(state)
            return result
        finally:
            _write.reset(token)

    return run


def in_design_write() -> bool:
    return _write.get() is not None


def open_revision(
    organization: Organization,
    *,
    number: int,
    expected: int | None,
    kind: str = RevisionKind.CHANGE,
    reverts: Revision | None = None,
    restored_number: int | None = None,
    note: str = "",
) -> Revision:
    """Called by `begin_write` right after the bump to `number`: from here on the transaction's
    row changes belong to this revision."""
    state = _write.get()
    if state is None:
        raise RuntimeError("A design write runs inside a service decorated with @design_write.")
    if state.revision is not None:
        raise RuntimeError("One design write changes one organization once.")
    actor = current_actor()
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    if not TreeShape.objects.filter(organization=organization).exists():
        # The first recorded write: keep the trees' order as it was before it.
        for entry in tracked_tables():
            if entry.tree_parent:
                record_shape(organization.pk, entry.table, number - 1)
    state.revision = Revision.objects.create(
        organization=organization,
        number=number,
        user=user,
        user_name=user.get_username() if user else "",
        channel=actor.channel,
        kind=kind,
        reverts=reverts,
        restored_number=restored_number,
        note=note,
        client=actor.client,
    )
    state.expected = expected
    state.previous = number - 1
    HistoryCursor.objects.create(revision=state.revision)
    return state.revision


def current_revision() -> Revision | None:
    state = _write.get()
    return state.revision if state else None


def mark_reshaped(table: str) -> None:
    """A tree's sibling order changed in ways the writer does not list (a restore, an import):
    its whole order is recorded."""
    state = _write.get()
    if state is not None:
        state.reshaped.add(table)


def mark_placed(node: Model) -> None:
    """`node` was just moved (with its subtree, `node` as stored now): where it went, its parent
    and its previous sibling, read now, before a later move of this write changes them."""
    state = _write.get()
    if state is None:
        return
    entry = tracked(node._meta.db_table)
    parent = getattr(node, entry.tree_parent)
    state.placed.setdefault(entry.table, []).append(
        [node.pk, parent, previous_sibling(entry.table, node)]
    )


def previous_sibling(table: str, node: Model) -> int | None:
    """The sibling just before `node` in tree order: in its tree, the node that ends right
    before it starts; for a top-level node, the organization's root of the tree before."""
    entry = tracked(table)
    with connection.cursor() as cursor:
        if getattr(node, entry.tree_parent) is None:
            cursor.execute(
                f'SELECT id FROM "{table}" WHERE organization_id = %s '
                f'AND "{entry.tree_parent}" IS NULL AND tree_id < %s '
                "ORDER BY tree_id DESC LIMIT 1",
                [node.organization_id, node.tree_id],
            )
        else:
            cursor.execute(
                f'SELECT id FROM "{table}" WHERE tree_id = %s AND rght = %s',
                [node.tree_id, node.lft - 1],
            )
        row = cursor.fetchone()
    return row[0] if row else None


def stop_recording() -> None:
    """Record nothing more in this write (deleting a whole organization, its history with it)."""
    state = _write.get()
    if state is not None and state.revision is not None:
        HistoryCursor.objects.filter(revision=state.revision).delete()
        state.revision = None


def tree_shape(organization_id: int, table: str) -> list[list[int | None]]:
    entry = tracked(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, "{entry.tree_parent}" FROM "{table}" WHERE organization_id = %s '
            "ORDER BY tree_id, lft",
            [organization_id],
        )
        return [list(row) for row in cursor.fetchall()]


def record_shape(organization_id: int, table: str, number: int) -> None:
    TreeShape.objects.create(
        organization_id=organization_id,
        table=table,
        number=number,
        nodes=tree_shape(organization_id, table),
    )


def record_placements(state: _Write, table: str, reparented: set[int]) -> bool:
    """Record where this write's moves placed their nodes, when that is all that changed the
    tree's order since the order recorded last: no node inserted or deleted, no other reorder
    (`state.reshaped`), no node re-parented but by a move (`reparented`, the nodes whose row
    says so), and the revision before this one recorded (a write outside the history, a
    template reload, bumps the revision without a `Revision`: what it did to the tree is not
    in the shapes). False: the whole order has to be recorded."""
    revision = state.revision
    placements = state.placed.get(table)
    if not placements or table in state.reshaped:
        return False
    if not reparented <= {node for node, _parent, _sibling in placements}:
        return False
    newest_whole = TreeShape.objects.filter(
        organization_id=revision.organization_id, table=table, whole=True
    ).aggregate(number=Max("number"))["number"]
    if newest_whole is None or revision.number - newest_whole > PLACEMENTS_BETWEEN_WHOLE_SHAPES:
        return False
    previous = Revision.objects.filter(
        organization_id=revision.organization_id, number=revision.number - 1
    )
    if not previous.exists():
        return False
    TreeShape.objects.create(
        organization_id=revision.organization_id,
        table=table,
        number=revision.number,
        nodes=placements,
        whole=False,
    )
    return True


def finish(state: _Write) -> None:
    revision = state.revision
    if revision is None:
        return
    HistoryCursor.objects.filter(revision=revision).delete()
    resized, reparented = reshaped_nodes(revision)
    state.reshaped |= resized
    for table in sorted(state.reshaped | state.placed.keys() | reparented.keys()):
        if not record_placements(state, table, reparented.get(table, set())):
            record_shape(revision.organization_id, table, revision.number)
    if state.expected is not None and state.expected < state.previous:
        recorded = Revision.objects.filter(
            organization_id=revision.organization_id, number=state.expected + 1
        ).exists()
        if not recorded:
            # Written before the history began (or by a template reload): what changed since
            # the writer read the design is unknown, so the whole design counts as changed.
            raise StaleRevision(expected=state.expected, current=state.previous)
        changes = list(RowChange.objects.filter(revision=revision))
        check_conflicts(revision, changes, since=state.expected)


def reshaped_nodes(revision: Revision) -> tuple[set[str], dict[str, set[int]]]:
    """How `revision` changed the trees' shapes: the trees where it inserted or deleted a node,
    and in each tree the nodes whose parent column it updated. Only the table, the row, the
    operation and the parent's value before and after are read, in one query: a large write
    (an import inserts some 50,000 rows, 5,500 of them tree nodes) would otherwise read every
    row change back as a model instance with its JSON."""
    parents = {entry.table: entry.tree_parent for entry in tracked_tables() if entry.tree_parent}

    def parent(side: str) -> Case:
        return Case(
            *(When(table=table, then=KT(f"{side}__{column}")) for table, column in parents.items())
        )

    changes = RowChange.objects.filter(revision=revision, table__in=parents).values_list(
        "table", "row_id", "op", parent("old"), parent("new")
    )
    resized: set[str] = set()
    reparented: dict[str, set[int]] = {}
    for table, row_id, op, old, new in changes.iterator():
        if op != "U":
            resized.add(table)
        elif old != new:
            reparented.setdefault(table, set()).add(row_id)
    return resized, reparented


_UNSEEN = object()  # the row did not exist when the writer read the design


def check_conflicts(revision: Revision, changes: list[RowChange], *, since: int) -> None:
    """Refuse the write when it changed a column of a row that a revision after `since` (the
    one the writer read) changed too; anything else goes through.

    A column the writer only wrote back as it read it (a form posts every field, also the
    ones the user left alone) is no conflict: it keeps the newer value (`_keep_theirs`)."""
    mine: dict[tuple[str, int], set[str]] = {}
    yours: dict[tuple[str, int], dict] = {}
    own_changes: dict[tuple[str, int], list[RowChange]] = {}
    for change in changes:  # a row may change more than once in one write
        key = (change.table, change.row_id)
        mine.setdefault(key, set()).update(change.changed_columns())
        yours[key] = change.new or {}
        own_changes.setdefault(key, []).append(change)
    if not mine:
        return
    theirs = (
        RowChange.objects.filter(
            revision__organization_id=revision.organization_id,
            revision__number__gt=since,
            revision__number__lt=revision.number,
            row_id__in={row_id for _, row_id in mine},
        )
        .select_related("revision")
        .order_by("revision__number", "id")
    )
    if revision.client:
        theirs = theirs.exclude(revision__client=revision.client)  # the tab's own writes
    conflicts: dict[tuple[str, int, str], FieldConflict] = {}
    read: dict[tuple[str, int, str], object] = {}  # each column as the writer read it
    for other in theirs:
        columns = mine.get((other.table, other.row_id))
        if columns is None:
            continue
        for column in sorted(columns & other.changed_columns()):
            key = (other.table, other.row_id, column)
            if key not in read:
                read[key] = other.old.get(column) if other.op == "U" else _UNSEEN
            conflicts[key] = FieldConflict(
                table=other.table,
                row_id=other.row_id,
                column=column,
                theirs=(other.new or {}).get(column),
                yours=yours[(other.table, other.row_id)].get(column),
                deleted_by_them=other.op == "D",
                revision_number=other.revision.number,
                user_id=other.revision.user_id,
                user_name=other.revision.user_name,
                channel=other.revision.channel,
            )
    for key, conflict in list(conflicts.items()):
        untouched = conflict.yours == read[key]
        if untouched and _keep_theirs(key, own_changes[(conflict.table, conflict.row_id)]):
            del conflicts[key]
    if conflicts:
        you = current_actor().user
        for conflict in conflicts.values():
            conflict.label = column_label(conflict.table, conflict.column)
            conflict.by_you = bool(you and you.is_authenticated and conflict.user_id == you.pk)
        raise EditConflict(list(conflicts.values()), current=revision.number - 1)


def _keep_theirs(key: tuple[str, int, str], own: list[RowChange]) -> bool:
    """Put back the newer value of a column this write only rewrote as its writer had read
    it; False when that cannot be done simply (then it is a conflict after all)."""
    table, row_id, column = key
    entry = tracked(table)
    if len(own) != 1 or own[0].op != "U" or column == entry.tree_parent:
        return False  # a tree column moves with the tree; several changes are not simple
    change = own[0]
    model_field = next(f for f in entry.model._meta.concrete_fields if f.column == column)
    try:
        with transaction.atomic():
            entry.model.objects.filter(pk=row_id).update(
                **{model_field.attname: model_field.to_python(change.old.get(column))}
            )
    except IntegrityError:
        return False  # the newer value no longer fits with what this write changed
    # The triggers have stopped recording: the change says itself what it no longer does.
    change.new[column] = change.old.get(column)
    if change.changed_columns():
        change.save(update_fields=["new"])
    else:
        change.delete()
    return True


def column_label(table: str, column: str) -> str:
    for model_field in tracked(table).model._meta.concrete_fields:
        if model_field.column == column:
            return str(model_field.verbose_name)
    return column


def record_start(
    organization: Organization, *, copied_from: Organization | None = None
) -> Revision:
    """The first revision of a new organization, empty or a copy of `copied_from` (its name
    in `note`, its revision in `restored_number`), with its trees' order, so its history goes
    back to its start."""
    actor = current_actor()
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    revision = Revision.objects.create(
        organization=organization,
        number=organization.revision,
        user=user,
        user_name=user.get_username() if user else "",
        channel=actor.channel,
        kind=RevisionKind.CREATED,
        note=_copy_name(copied_from) if copied_from else "",
        restored_number=copied_from.revision if copied_from else None,
    )
    for entry in tracked_tables():
        if entry.tree_parent:
            record_shape(organization.pk, entry.table, organization.revision)
    return revision


def _copy_name(source: Organization) -> str:
    names = [name for name in (source.name_zh, source.name_en) if name]
    return (" / ".join(names) or source.slug)[:300]
