"""The net change between two revisions: both designs rebuilt (`replay.rows_at`), their rows
compared table by table, and the differences read as the same lines a revision shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.history import replay
from departments.history.tracking import tracked_tables
from departments.models import Organization
from roles.history.lines import Change, Names, change_lines


@dataclass
class Comparison:
    first: int
    second: int
    lines: list[str]


def revision_number(value: str | int | None, organization: Organization, start: int) -> int:
    """A revision the history can rebuild, from a query parameter."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < start or number > organization.revision:
        raise ValidationError(
            _("Choose revisions between %(first)s and %(last)s to compare.")
            % {"first": start, "last": organization.revision},
            code="invalid",
        )
    return number


def row_differences(before: replay.Rows, after: replay.Rows) -> list[Change]:
    """Rows only in `after` (inserted), only in `before` (deleted) and in both but different
    (updated), in the tables' write order."""
    changes = []
    for entry in tracked_tables():
        old_rows, new_rows = before.get(entry.table, {}), after.get(entry.table, {})
        for row_id in sorted(old_rows.keys() | new_rows.keys()):
            old, new = old_rows.get(row_id), new_rows.get(row_id)
            if old == new:
                continue
            op = "I" if old is None else "D" if new is None else "U"
            changes.append(Change(entry.table, row_id, op, old, new))
    return changes


def revisions_compare(*, organization: Organization, first, second) -> Comparison:
    """What changed from revision `first` to revision `second` (either order)."""
    start = replay.history_start(organization.pk) or organization.revision
    first = revision_number(first, organization, start)
    second = revision_number(second, organization, start)
    changes = row_differences(
        replay.rows_at(organization.pk, first), replay.rows_at(organization.pk, second)
    )
    return Comparison(first, second, change_lines(changes, Names(organization.pk, changes)))
