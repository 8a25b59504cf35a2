"""Writing an earlier state back: restore a whole design to revision N, or take back one
revision's changes (undo, redo, revert). Each is a new revision, recorded like any write, so it
can itself be undone.

Both compute the rows the design should have, check that every reference in them resolves,
then write the difference (inserts with the rows' old ids, updates, deletes) and renumber the
trees from the wanted order, under both tree locks.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ForeignKey, UniqueConstraint
from django.utils.translation import gettext as _

from departments.history import recording, replay
from departments.history.tracking import MPTT_COLUMNS, Tracked, tracked, tracked_tables
from departments.models import Organization, Revision, RevisionKind
from departments.services import begin_write
from teamorg.locking import tree_write


def _tree_models():
    return [entry.model for entry in tracked_tables() if entry.tree_parent]


def _fields(entry: Tracked) -> dict[str, object]:
    return {f.column: f for f in entry.model._meta.concrete_fields if f.column in entry.columns}


def _instance(entry: Tracked, row: dict):
    fields = _fields(entry)
    # A row recorded before a column was added has no value for it: the column's default, as
    # the migration that added it gave the rows of that time.
    values = {
        fields[c].attname: fields[c].to_python(row[c]) if c in row else fields[c].get_default()
        for c in fields
    }
    if entry.tree_parent:
        values.update(lft=0, rght=0, tree_id=0, depth=0)
    return entry.model(**values)


def check_references(target: replay.Rows) -> None:
    """Refuse a state in which a row points at a design row that is not there."""
    for entry in tracked_tables():
        for model_field in entry.model._meta.concrete_fields:
            if not isinstance(model_field, ForeignKey):
                continue
            related_table = model_field.related_model._meta.db_table
            if related_table not in target:
                continue
            present = target[related_table]
            for row in target.get(entry.table, {}).values():
                value = row.get(model_field.column)
                if value is not None and value not in present:
                    raise ValidationError(
                        _(
                            "This can no longer be taken back: something it refers to was "
                            "deleted since."
                        ),
                        code="history_gone",
                    )


def write_rows(organization: Organization, target: replay.Rows, now: replay.Rows) -> None:
    """Deletes first (lines before roles before departments), then updates, then inserts, so
    a unique value (a code, a role's head count in a phase) that moves from a row going away
    to a row coming back never exists twice. References are checked when the transaction ends
    (the foreign keys are deferred), after every row is in place."""
    entries = [entry for entry in tracked_tables() if entry.restorable]
    organization_table = Organization._meta.db_table
    with connection.cursor() as cursor:
        for entry in reversed(entries):
            if entry.table == organization_table:
                continue
            gone = sorted(now.get(entry.table, {}).keys() - target.get(entry.table, {}).keys())
            for start in range(0, len(gone), 500):
                chunk = gone[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f'DELETE FROM "{entry.table}" WHERE id IN ({marks})', chunk)
    for entry in entries:
        want, have = target.get(entry.table, {}), now.get(entry.table, {})
        if entry.table == organization_table:
            want = {organization.pk: want[organization.pk]}
        changed = [i for i in want.keys() & have.keys() if want[i] != have[i]]
        _make_way(entry, want, have, changed)
        if changed:
            fields = [f.attname for f in _fields(entry).values() if not f.primary_key]
            entry.model.objects.bulk_update(
                [_instance(entry, want[i]) for i in sorted(changed)], fields, batch_size=500
            )
    for entry in entries:
        want, have = target.get(entry.table, {}), now.get(entry.table, {})
        if entry.table == organization_table:
            continue
        inserts = [_instance(entry, want[i]) for i in sorted(want.keys() - have.keys())]
        if inserts:
            entry.model.objects.bulk_create(inserts, batch_size=500)


def _unique_columns(entry: Tracked) -> list[str]:
    """The own (not foreign-key) columns of `entry`'s unique constraints: a phase's order, a
    code. A restore may swap their values between rows."""
    meta = entry.model._meta
    names = [[f.name] for f in meta.concrete_fields if f.unique and not f.primary_key]
    names += [list(fields) for fields in meta.unique_together]
    names += [list(c.fields) for c in meta.constraints if isinstance(c, UniqueConstraint)]
    columns = {
        meta.get_field(name).column
        for group in names
        for name in group
        if not meta.get_field(name).is_relation
    }
    return sorted(columns & set(entry.columns))


def _make_way(entry: Tracked, want: dict, have: dict, changed: list[int]) -> None:
    """Give the rows whose unique values change a placeholder first: when two rows swap
    their values (phases reordered back), writing either one's new value directly would
    collide with the other's old value (the services' own reorder does the same)."""
    for column in _unique_columns(entry):
        moving = sorted(i for i in changed if want[i].get(column) != have[i].get(column))
        holder = {row.get(column): row_id for row_id, row in have.items()}
        if all(holder.get(want[i].get(column), i) == i for i in moving):
            continue  # no row takes a value another row holds: write directly
        model_field = _fields(entry)[column]
        values = [row.get(column) for rows in (want, have) for row in rows.values()]
        numbers = [value for value in values if isinstance(value, int)]
        top = max(numbers, default=0)
        placeholders = []
        for offset, row_id in enumerate(moving, start=1):
            instance = entry.model(pk=row_id)
            placeholder = top + offset if numbers else f"~{row_id}"
            setattr(instance, model_field.attname, placeholder)
            placeholders.append(instance)
        entry.model.objects.bulk_update(placeholders, [model_field.attname], batch_size=500)


def renumber_tree(
    entry: Tracked, rows: dict[int, dict], order: list[int], organization_id: int
) -> None:
    """Write MPTT columns for `rows` in `order` (tree order), every top node its own tree.
    The organization's tree ids are reused in order, so nodes whose place did not change keep
    their numbers and only the rows that differ are written."""
    table = f'"{entry.table}"'
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, lft, rght, tree_id, depth FROM {table} WHERE organization_id = %s",
            [organization_id],
        )
        current = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        cursor.execute(f"SELECT COALESCE(MAX(tree_id), 0) FROM {table}")
        highest = cursor.fetchone()[0]
    tree_ids = sorted({numbers[2] for numbers in current.values()})
    parent_of = {i: rows[i].get(entry.tree_parent) for i in order}
    values: dict[int, list[int]] = {}
    stack: list[int] = []  # open ancestors
    counter = trees = 0
    tree_id = 0
    for node in order:
        parent = parent_of[node] if parent_of[node] in rows else None
        while stack and stack[-1] != parent:
            values[stack.pop()][1] = counter = counter + 1
        if parent is None:
            if trees < len(tree_ids):
                tree_id = tree_ids[trees]
            else:
                highest += 1
                tree_id = highest
            trees += 1
            counter = 0
        counter += 1
        values[node] = [counter, 0, tree_id, len(stack)]
        stack.append(node)
    while stack:
        values[stack.pop()][1] = counter = counter + 1
    changed = [
        (*numbers, node) for node, numbers in values.items() if current.get(node) != tuple(numbers)
    ]
    assignments = ", ".join(f'"{column}" = %s' for column in MPTT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", changed)


def apply_state(
    organization: Organization,
    target: replay.Rows,
    orders: dict[str, list[int]],
    now: replay.Rows,
) -> None:
    check_references(target)
    try:
        with transaction.atomic():
            write_rows(organization, target, now)
    except IntegrityError as error:
        # A value that must be unique (the organization's address, a code) was taken since.
        raise ValidationError(
            _("This cannot be taken back: a name or code it needs is used by something else now."),
            code="history_taken",
        ) from error
    for table, order in orders.items():
        entry = tracked(table)
        renumber_tree(entry, target[table], order, organization.pk)
        recording.mark_reshaped(table)


@recording.design_write
def design_restore(
    *, organization: Organization, number: int, expected_revision: int | None = None
) -> Organization:
    """Make the design what it was at revision `number` (a new revision; undo takes it back)."""
    with tree_write(*_tree_models()):
        # Checked under the lock: a prune or another write may have moved the range since the
        # caller read the organization.
        current = Organization.objects.get(pk=organization.pk).revision
        start = replay.history_start(organization.pk)
        if start is None or number < start or number > current:
            message = _("There is no such revision to restore.")
            raise ValidationError({"revision": ValidationError(message, code="invalid")})
        target = replay.rows_at(organization.pk, number)
        organization = begin_write(
            organization,
            expected_revision=expected_revision,
            kind=RevisionKind.RESTORE,
            restored_number=number,
        )
        now = replay.current_rows(organization.pk)
        orders = {
            entry.table: replay.tree_order(
                target[entry.table],
                entry.tree_parent,
                replay.shape_at(organization.pk, entry.table, number) or [],
            )
            for entry in tracked_tables()
            if entry.tree_parent
        }
        apply_state(organization, target, orders, now)
    return Organization.objects.get(pk=organization.pk)


def _position(shape: replay.Shape) -> dict[int, tuple[int | None, int | None]]:
    """Each node's (parent, previous sibling) in `shape`."""
    last_child: dict[int | None, int | None] = {}
    position = {}
    for node, parent in shape:
        position[node] = (parent, last_child.get(parent))
        last_child[parent] = node
    return position


def _reverted_order(
    organization_id: int, entry: Tracked, revision: Revision, target: dict[int, dict]
) -> list[int]:
    """Tree order after taking `revision` back: nodes it moved (and nodes coming back) return
    to where they were before it, when nobody moved them since; everything else stays."""
    before = replay.shape_at(organization_id, entry.table, revision.number - 1) or []
    after = _position(replay.shape_at(organization_id, entry.table, revision.number) or [])
    now_shape = recording.tree_shape(organization_id, entry.table)
    now = _position(now_shape)
    was = _position(before)
    children: dict[int | None, list[int]] = defaultdict(list)
    placed = set()
    for node, _parent in now_shape:
        if node not in target:
            continue
        moved_by_it = node in was and after.get(node) != was[node]
        moved_back = moved_by_it and now.get(node) == after.get(node)
        if moved_back or target[node].get(entry.tree_parent) != now[node][0]:
            continue
        children[target[node].get(entry.tree_parent)].append(node)
        placed.add(node)
    for node, _parent in before:  # in their old order, so each finds its old previous sibling
        if node not in target or node in placed:
            continue
        parent = target[node].get(entry.tree_parent)
        previous = was[node][1]
        siblings = children[parent]
        index = siblings.index(previous) + 1 if previous in siblings else 0
        siblings.insert(index, node)
        placed.add(node)
    shape = []
    stack = list(reversed(children[None]))
    while stack:
        node = stack.pop()
        shape.append([node, target[node].get(entry.tree_parent)])
        stack.extend(reversed(children.get(node, [])))
    return replay.tree_order(target, entry.tree_parent, shape)


def _took_back(revision: Revision, now: replay.Rows) -> tuple[replay.Rows, int, int]:
    """The rows with `revision`'s changes taken back where nobody changed them since; how many
    were taken back and how many were left because they changed again."""
    target = {table: {i: dict(row) for i, row in rows.items()} for table, rows in now.items()}
    done = skipped = 0
    for change in reversed(replay.revision_changes(revision)):
        if not tracked(change.table).restorable:
            continue
        rows = target.setdefault(change.table, {})
        current = rows.get(change.row_id)
        if change.op == "I":
            if current is not None and current == change.new:
                del rows[change.row_id]
                done += 1
            else:
                skipped += 1
        elif change.op == "D":
            if current is None:
                rows[change.row_id] = dict(change.old)
                done += 1
            else:
                skipped += 1
        else:
            columns = change.changed_columns()
            if current is not None and all(current.get(c) == change.new.get(c) for c in columns):
                current.update({c: change.old.get(c) for c in columns})
                done += 1
            else:
                skipped += 1
    return target, done, skipped


@recording.design_write
def revision_revert(
    *,
    organization: Organization,
    revision: Revision,
    kind: str = RevisionKind.REVERT,
    expected_revision: int | None = None,
) -> tuple[Organization, int]:
    """Take back what `revision` changed, where it still applies (a field changed again since
    keeps its newer value). Returns the organization and how many changes could not be taken
    back. Undo and redo are this, on the user's own last revision."""
    if revision.organization_id != organization.pk:
        raise ValidationError(
            {"revision": ValidationError(_("There is no such revision."), code="invalid")}
        )
    with tree_write(*_tree_models()):
        organization = begin_write(
            organization, expected_revision=expected_revision, kind=kind, reverts=revision
        )
        now = replay.current_rows(organization.pk)
        target, done, skipped = _took_back(revision, now)
        if not done and not _reshaped(organization.pk, revision):
            raise ValidationError(
                _("Nothing of this change can be taken back: it was all changed again since."),
                code="history_nothing",
            )
        orders = {
            entry.table: _reverted_order(organization.pk, entry, revision, target[entry.table])
            for entry in tracked_tables()
            if entry.tree_parent
        }
        apply_state(organization, target, orders, now)
    return Organization.objects.get(pk=organization.pk), skipped


def _reshaped(organization_id: int, revision: Revision) -> bool:
    return any(
        replay.shape_at(organization_id, entry.table, revision.number)
        != replay.shape_at(organization_id, entry.table, revision.number - 1)
        for entry in tracked_tables()
        if entry.tree_parent
    )


def _own(organization: Organization, user) -> list[Revision]:
    return list(
        Revision.objects.filter(organization=organization, user=user)
        .exclude(kind=RevisionKind.CREATED)
        .order_by("-number")
        .prefetch_related("reverted_by")[:200]
    )


def _changed_nothing(revision: Revision) -> bool:
    """A write that changed no restorable row and no tree's order (a head-count cell saved
    with the values it had): there is nothing in it to take back, so undo passes over it
    instead of being stuck on it."""
    restorable = [entry.table for entry in tracked_tables() if entry.restorable]
    return not (
        revision.changes.filter(table__in=restorable).exists()
        or _reshaped(revision.organization_id, revision)
    )


def undoable(organization: Organization, user) -> Revision | None:
    """The user's latest change not undone yet (an undo itself is taken back by redo)."""
    for revision in _own(organization, user):
        if revision.kind == RevisionKind.UNDO:
            continue
        if revision.kind != RevisionKind.REDO and _changed_nothing(revision):
            continue
        if not any(r.kind == RevisionKind.UNDO for r in revision.reverted_by.all()):
            return revision
    return None


def redoable(organization: Organization, user) -> Revision | None:
    """The user's latest undo not redone yet, while they made no new change after it."""
    for revision in _own(organization, user):
        if revision.kind == RevisionKind.UNDO:
            if not any(r.kind == RevisionKind.REDO for r in revision.reverted_by.all()):
                return revision
            continue
        if revision.kind == RevisionKind.REDO or _changed_nothing(revision):
            continue
        return None
    return None


def undo(*, organization: Organization, user, expected_revision: int | None = None):
    revision = undoable(organization, user)
    if revision is None:
        raise ValidationError(_("There is nothing of yours to undo."), code="history_nothing")
    return revision_revert(
        organization=organization,
        revision=revision,
        kind=RevisionKind.UNDO,
        expected_revision=expected_revision,
    )


def redo(*, organization: Organization, user, expected_revision: int | None = None):
    revision = redoable(organization, user)
    if revision is None:
        raise ValidationError(_("There is nothing to redo."), code="history_nothing")
    return revision_revert(
        organization=organization,
        revision=revision,
        kind=RevisionKind.REDO,
        expected_revision=expected_revision,
    )
