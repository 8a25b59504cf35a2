"""The net change between two revisions: both designs rebuilt (`replay.rows_at`), their rows
compared table by table, and the differences read as the same lines a revision shows; and the
same two designs compared as the plan's compare page compares two designs (changes list, chart
and head count per department), from the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.history import replay
from departments.history.tracking import tracked_tables
from departments.models import Organization
from roles.history.lines import Change, Names, change_lines
from roles.planning.compare import Comparison as DesignComparison
from roles.planning.compare import compare_revisions


@dataclass
class Comparison:
    first: int
    second: int
    lines: list[str]
    design: DesignComparison  # the plan's comparison of the two designs


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
    rows_first = replay.rows_at(organization.pk, first)
    rows_second = replay.rows_at(organization.pk, second)
    changes = row_differences(rows_first, rows_second)
    lines = change_lines(changes, Names(organization.pk, changes))
    # After the lines: the designs are read from the rows, never written back into them.
    design = compare_revisions(
        organization, first, second, rows_first=rows_first, rows_second=rows_second
    )
    return Comparison(first, second, lines, design)
