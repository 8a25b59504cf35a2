"""`manage.py prune_history`: delete organizations' oldest history (see
`departments.history.prune` for what is kept and why)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.history.prune import Pruned, history_prune
from departments.models import Organization


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
