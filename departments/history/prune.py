"""Deleting an organization's oldest history, keeping what remains rebuildable (the service
behind `manage.py prune_history`).

The history keeps everything by default. Pruning keeps an organization's revisions from K on
(K: the oldest revision kept) and moves its history start to S = K - 1, the design K was made
on: revisions before K go with their row changes, and so do tree shapes before S, except the
newest shape at or before S of each tree, which is the trees' order at S and is kept, filed
under S. A design at revision n ≥ S is rebuilt from the current rows, the row changes after n
and the shape at or before n, all kept, so every n ≥ S stays exactly as it was, and every kept
revision can still be undone or reverted (that needs the shape before it); a restore before S is
refused like any revision before the history began. A shape recorded now would not do: it is
the current tree, true only at the current revision. The kept shape is made a whole one (the
order at S) when it holds only where the moves of its revision placed their nodes: the whole
shape they were made on goes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from departments.history import replay
from departments.history.tracking import tracked_tables
from departments.models import Organization, Revision, RowChange, TreeShape
from teamorg.locking import tree_write


@dataclass(frozen=True)
class Pruned:
    """What pruning one organization removed (or would remove): `kept_from` is the oldest
    revision kept and `start` the history's new start (`kept_from - 1`); both None when there
    was nothing to prune."""

    organization: Organization
    kept_from: int | None
    start: int | None = None
    revisions: int = 0
    row_changes: int = 0
    tree_shapes: int = 0


def oldest_kept(
    organization: Organization,
    *,
    before: datetime.datetime | None,
    keep_revisions: int | None,
) -> int | None:
    """The oldest revision to keep: the first made at or after `before` and the oldest of the
    newest `keep_revisions`, whichever keeps more (a revision goes only when every given rule
    lets it go). The newest revision always stays. None: nothing older to prune."""
    revisions = list(
        Revision.objects.filter(organization=organization)
        .order_by("number")
        .values_list("number", "created_at")
    )
    if not revisions:
        return None
    newest = revisions[-1][0]
    candidates = []
    if before is not None:
        candidates.append(next((number for number, made in revisions if made >= before), newest))
    if keep_revisions is not None:
        candidates.append(revisions[max(0, len(revisions) - keep_revisions)][0])
    kept_from = min(candidates)
    return kept_from if kept_from > revisions[0][0] else None


def history_prune(
    *,
    organization: Organization,
    before: datetime.datetime | None = None,
    keep_revisions: int | None = None,
    dry_run: bool = False,
) -> Pruned:
    """Delete `organization`'s history before the revision `oldest_kept` picks (see the
    module's docstring for why what remains stays rebuildable). `dry_run` only counts."""
    tree_entries = [entry for entry in tracked_tables() if entry.tree_parent]
    # The tree lock: a restore or revert computing a design from this history waits for us.
    with transaction.atomic(), tree_write(*(entry.model for entry in tree_entries)):
        kept_from = oldest_kept(organization, before=before, keep_revisions=keep_revisions)
        if kept_from is None:
            return Pruned(organization, None)
        start = kept_from - 1
        shapes = TreeShape.objects.filter(organization=organization)
        shapes_at_start = []
        for entry in tree_entries:
            shape = (
                shapes.filter(table=entry.table, number__lte=start)
                .order_by("-number", "-id")
                .only("pk", "table", "whole")
                .first()
            )
            if shape is not None:
                shapes_at_start.append(shape)
        old_shapes = shapes.filter(number__lt=start).exclude(
            pk__in=[shape.pk for shape in shapes_at_start]
        )
        old_revisions = Revision.objects.filter(organization=organization, number__lt=kept_from)
        old_changes = RowChange.objects.filter(revision__in=old_revisions)
        pruned = Pruned(
            organization,
            kept_from,
            start,
            revisions=old_revisions.count(),
            row_changes=old_changes.count(),
            tree_shapes=old_shapes.count(),
        )
        if not dry_run:
            for shape in shapes_at_start:
                if not shape.whole:  # before the shapes it was made on go
                    shape.nodes = replay.shape_at(organization.pk, shape.table, start)
                    shape.whole = True
                    shape.save(update_fields=["nodes", "whole"])
            old_shapes.delete()
            # Filed under the new start: `history_start` is the oldest shape's number.
            shapes.filter(pk__in=[shape.pk for shape in shapes_at_start], number__lt=start).update(
                number=start
            )
            old_changes.delete()
            old_revisions.delete()  # a kept undo or revert of one of them keeps no link to it
        return pruned
