"""Per-object versions: the newest revision that changed what one object's answer shows.

The API's ETag of a role, a department, a phase or a collaboration line is its version, not the
organization's revision: a tool that cached one role sees it unchanged (304) while colleagues
edit other roles, and writes it back with `If-Match: "<version>"`. Such a version is an ordinary
revision number, so the write is checked like any other (`recording.check_conflicts`): it goes
through unless a field it changes was changed after that revision. Because nothing shown in the
object changed between its version and the moment it was read, that is the same check as with
the organization revision the reader could have sent instead.

A version must never be newer than the answer it tags (a client would then pass `If-Match`
over a change it never saw), so callers read it *before* reading the object. It may be older
than strictly needed (parts counted that the answer does not show): that only costs a 200
instead of a 304, never a lost update.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q

from departments.history.replay import history_start
from departments.models import Organization, RowChange


@dataclass
class VersionParts:
    """What one object's answer shows: whole rows (`rows`: table, id) and rows of other tables
    that belong to it (`owned`: table, the column naming the owner, the owner's id) — a role's
    duties, head count and so on, also those deleted since."""

    rows: list[tuple[str, int]] = field(default_factory=list)
    owned: list[tuple[str, str, int]] = field(default_factory=list)


def last_change(organization_id: int, parts: VersionParts) -> int | None:
    """The newest recorded revision that changed any part; None when none is recorded. One
    query."""
    where = Q()
    for table, row_id in parts.rows:
        where |= Q(table=table, row_id=row_id)
    for table, column, owner_id in parts.owned:
        # A row's owner never changes, so the owner is in `new` (inserted, updated) or in
        # `old` (deleted) of each of its changes.
        where |= Q(table=table) & (
            Q(**{f"new__{column}": owner_id}) | Q(**{f"old__{column}": owner_id})
        )
    if not where:
        return None
    return RowChange.objects.filter(where, revision__organization_id=organization_id).aggregate(
        number=Max("revision__number")
    )["number"]


def object_version(organization_id: int, parts: VersionParts) -> int:
    """The version of an object of the organization.

    Without a history (templates, a design nobody has changed since the history began) it is
    the organization's revision, as before per-object versions. Otherwise it is the newest
    revision that changed a part, or the history's start when none did since (pruning keeps the
    history exact from its start on, so nothing changed the object after it). Never newer than
    the organization's revision read first: a write committed meanwhile is left for the next
    read. Three queries."""
    revision = (
        Organization.objects.filter(pk=organization_id).values_list("revision", flat=True).first()
    )
    if revision is None:
        return 0
    start = history_start(organization_id)
    if start is None:
        return revision
    last = last_change(organization_id, parts)
    return min(max(start, last or start), revision)


def rows_of(table: str, ids: Iterable[int]) -> list[tuple[str, int]]:
    return [(table, row_id) for row_id in ids]
