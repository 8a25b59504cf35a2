"""`manage.py prune_history`: delete an organization's oldest history, keeping what remains
rebuildable.

The history keeps everything by default. Pruning keeps an organization's revisions from K on
(K: the oldest revision kept) and moves its history start to S = K - 1, the design K was made
on: revisions before K go with their row changes, and so do tree shapes before S, except the
newest shape at or before S of each tree, which is the trees' order at S and is kept, filed
under S. A design at revision n ≥ S is rebuilt from the current rows, the row changes after n
and the shape at or before n, all kept, so every n ≥ S stays exactly as it was, and every kept
revision can still be undone or reverted (that needs the shape before it); a restore before S is
refused like any revision before the history began. A shape recorded now would not do: it is
the current tree, true only at the current revision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
                .first()
            )
            if shape is not None:
                shapes_at_start.append(shape.pk)
        old_shapes = shapes.filter(number__lt=start).exclude(pk__in=shapes_at_start)
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
            old_shapes.delete()
            # Filed under the new start: `history_start` is the oldest shape's number.
            shapes.filter(pk__in=shapes_at_start, number__lt=start).update(number=start)
            old_changes.delete()
            old_revisions.delete()  # a kept undo or revert of one of them keeps no link to it
        return pruned


def parse_day(value: str) -> datetime.datetime:
    """The start of day `value` (YYYY-MM-DD) in the site's time zone."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--before takes a date as YYYY-MM-DD, not “%(value)s”.") % {"value": value}
        ) from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = (
        "Delete the oldest design history (revisions with their row changes, and tree shapes) "
        "of every organization or of one. The history keeps everything unless this is run; "
        "what remains can still be restored and undone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            metavar="YYYY-MM-DD",
            help="Delete the revisions made before this day (site time zone).",
        )
        parser.add_argument(
            "--keep-revisions",
            type=int,
            metavar="N",
            help="Keep the newest N revisions of each organization. With --before, a revision "
            "is deleted only when both allow it.",
        )
        parser.add_argument("--organization", metavar="SLUG", help="Only this organization.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted; delete nothing."
        )

    def handle(self, *args, before, keep_revisions, organization, dry_run, **options):
        if before is None and keep_revisions is None:
            raise CommandError(
                _("Say what to prune: --before YYYY-MM-DD, --keep-revisions N, or both.")
            )
        if keep_revisions is not None and keep_revisions < 1:
            raise CommandError(_("--keep-revisions must be at least 1."))
        cut = parse_day(before) if before is not None else None
        organizations = Organization.objects.order_by("slug")
        if organization is not None:
            organizations = organizations.filter(slug=organization)
            if not organizations.exists():
                raise CommandError(
                    _("There is no organization “%(slug)s”.") % {"slug": organization}
                )
        for each in organizations.filter(revisions__isnull=False).distinct():
            pruned = history_prune(
                organization=each, before=cut, keep_revisions=keep_revisions, dry_run=dry_run
            )
            if options["verbosity"]:
                self.stdout.write(self.describe(pruned, dry_run))

    @staticmethod
    def describe(pruned: Pruned, dry_run: bool) -> str:
        values = {
            "organization": pruned.organization.slug,
            "revisions": pruned.revisions,
            "changes": pruned.row_changes,
            "shapes": pruned.tree_shapes,
            "kept_from": pruned.kept_from,
            "start": pruned.start,
        }
        if pruned.kept_from is None:
            return _("%(organization)s: nothing to prune.") % values
        if dry_run:
            return (
                _(
                    "%(organization)s: would delete %(revisions)s revisions, %(changes)s row "
                    "changes and %(shapes)s tree shapes; the history would keep revision "
                    "%(kept_from)s on and start at revision %(start)s."
                )
                % values
            )
        return (
            _(
                "%(organization)s: deleted %(revisions)s revisions, %(changes)s row changes and "
                "%(shapes)s tree shapes; the history keeps revision %(kept_from)s on and starts "
                "at revision %(start)s."
            )
            % values
        )
