"""The history page's reads: an organization's revisions newest first, filtered by person or by
node, a page at a time, each with its readable lines. A constant number of queries per page:
the revisions, their changes, their tree shapes and one query per table for the names."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext as _

from departments.models import Channel, Organization, Revision, RevisionKind, RowChange, TreeShape
from roles.history.lines import (
    COLLABORATIONS,
    COMBINABLE,
    DEPARTMENTS,
    HEADCOUNT,
    ROLE_LINE_TABLES,
    ROLES,
    Change,
    Names,
    change_lines,
)

PER_PAGE = 50
NODE_PATTERN = re.compile(r"^(roles|departments)-(\d+)$")


@dataclass
class Entry:
    """One revision as the page shows it."""

    revision: Revision
    who: str
    kind: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NodeFilter:
    kind: str  # "roles" or "departments"
    pk: int

    @property
    def value(self) -> str:
        return f"{self.kind}-{self.pk}"


def parse_node(value: str) -> NodeFilter | None:
    """`roles-12` or `departments-3`; None for anything else."""
    match = NODE_PATTERN.match(value or "")
    return NodeFilter(match[1], int(match[2])) if match else None


def node_changes(node: NodeFilter) -> Q:
    """The row changes that belong to a node: its own row, and for a role its lines, head
    count, combinations and collaboration lines; for a department its collaboration lines."""
    if node.kind == "roles":
        own = Q(table=ROLES, row_id=node.pk)
        of_role = [*ROLE_LINE_TABLES, HEADCOUNT]
        for side in ("old", "new"):
            own |= Q(table__in=of_role, **{f"{side}__role_id": node.pk})
            own |= Q(table=COMBINABLE, **{f"{side}__from_role_id": node.pk})
            for end in ("from_role_id", "to_role_id"):
                own |= Q(table=COLLABORATIONS, **{f"{side}__{end}": node.pk})
        return own
    own = Q(table=DEPARTMENTS, row_id=node.pk)
    for side in ("old", "new"):
        for end in ("from_department_id", "to_department_id"):
            own |= Q(table=COLLABORATIONS, **{f"{side}__{end}": node.pk})
    return own


def revisions(
    organization: Organization, *, user_id: int | None = None, node: NodeFilter | None = None
):
    found = Revision.objects.filter(organization=organization)
    if user_id is not None:
        found = found.filter(user_id=user_id)
    if node is not None:
        changes = RowChange.objects.filter(
            node_changes(node), revision__organization=organization
        ).values("revision_id")
        found = found.filter(pk__in=changes)
    return found.select_related("reverts").order_by("-number")


def revisions_page(
    organization: Organization,
    *,
    page: str | int = 1,
    user_id: int | None = None,
    node: NodeFilter | None = None,
) -> tuple[Page, list[Entry]]:
    """One page of the timeline (an out-of-range page number gives the last page)."""
    paginator = Paginator(revisions(organization, user_id=user_id, node=node), PER_PAGE)
    current = paginator.get_page(page)
    return current, entries(organization, list(current.object_list))


def entries(organization: Organization, shown: list[Revision]) -> list[Entry]:
    by_revision: dict[int, list[Change]] = defaultdict(list)
    for change in RowChange.objects.filter(revision__in=[r.pk for r in shown]).order_by("id"):
        by_revision[change.revision_id].append(Change.of(change))
    reshaped: dict[int, set[str]] = defaultdict(set)
    shapes = TreeShape.objects.filter(
        organization=organization, number__in=[r.number for r in shown]
    ).values_list("number", "table")
    for number, table in shapes:
        reshaped[number].add(table)
    names = Names(organization.pk, (c for changes in by_revision.values() for c in changes))
    return [
        Entry(
            revision=revision,
            who=who(revision),
            kind=kind_text(revision),
            lines=change_lines(
                by_revision[revision.pk],
                names,
                # The first revision records the shape it started from, not a reorder.
                reshaped=() if revision.kind == RevisionKind.CREATED else reshaped[revision.number],
            ),
        )
        for revision in shown
    ]


def who(revision: Revision) -> str:
    if revision.user_name:
        return revision.user_name
    if revision.channel == Channel.TEMPLATE:
        return _("template")
    return _("system")


def kind_text(revision: Revision) -> str:
    """What kind of write it was, when it was not a plain change."""
    reverted = revision.reverts.number if revision.reverts else None
    if revision.kind == RevisionKind.UNDO and reverted:
        return _("undo of revision %(number)s") % {"number": reverted}
    if revision.kind == RevisionKind.REDO and reverted:
        return _("redo of revision %(number)s") % {"number": reverted}
    if revision.kind == RevisionKind.REVERT and reverted:
        return _("revert of revision %(number)s") % {"number": reverted}
    if revision.kind == RevisionKind.RESTORE and revision.restored_number:
        return _("restore of revision %(number)s") % {"number": revision.restored_number}
    if revision.kind == RevisionKind.CREATED:
        if revision.note and revision.restored_number is not None:
            return _("created as a copy of %(source)s, revision %(number)s") % {
                "source": revision.note,
                "number": revision.restored_number,
            }
        if revision.note:
            return _("created as a copy of %(source)s") % {"source": revision.note}
        return _("created")
    if revision.kind != RevisionKind.CHANGE:
        return revision.get_kind_display()
    return ""


def people(organization: Organization) -> list[tuple[int, str]]:
    """Who made the organization's revisions (for the person filter)."""
    found = (
        Revision.objects.filter(organization=organization, user__isnull=False)
        .values_list("user_id", "user_name")
        .distinct()
        .order_by("user_name")
    )
    return list(dict(found).items())


def node_name(organization: Organization, node: NodeFilter) -> str:
    """The filtered node's name now, or as it was last recorded when it was deleted since."""
    table = ROLES if node.kind == "roles" else DEPARTMENTS
    reference = "role_id" if node.kind == "roles" else "department_id"
    names = Names(organization.pk, [Change("", 0, "I", None, {reference: node.pk})])
    return names.of(table, node.pk)
