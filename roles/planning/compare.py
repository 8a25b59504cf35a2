"""Comparison of two designs (e.g. a template and its clone), of one design at two revisions,
or of two phases of one design: what was added, removed, moved or retitled, and head count per
department side by side.

`comparison_for` reads what the page's and the API's query asks for (`with=<slug>`, or
`phase_a` and `phase_b`) and refuses bad arguments with a `ValidationError` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import pgettext

from departments.history import replay
from departments.models import Department, HeadcountPhase, Organization
from departments.selectors import READ, member_role, organization_for, organizations_visible_to
from roles.models import Role
from roles.planning.data import ZERO, Range
from roles.planning.plan import HeadcountPlan, organization_plan
from roles.selectors.design_at import plan_data_at
from teamorg.errors import field_error
from teamorg.ids import parse_id

ADDED, REMOVED, MOVED, RETITLED = "added", "removed", "moved", "retitled"
GREW, SHRANK = "grew", "shrank"


@dataclass
class Change:
    kind: str  # "department" or "role"
    change: str  # added, removed, moved, retitled (designs); added, removed, grew, shrank (phases)
    code: str
    label: str
    before: str
    after: str
    node_id: int | None  # in the design the link should open
    organization_slug: str

    @property
    def change_label(self) -> str:
        return {
            ADDED: pgettext("plan", "added"),
            REMOVED: pgettext("plan", "removed"),
            MOVED: pgettext("plan", "moved"),
            RETITLED: pgettext("plan", "retitled"),
            GREW: pgettext("plan", "grows"),
            SHRANK: pgettext("plan", "shrinks"),
        }[self.change]


@dataclass
class DepartmentDelta:
    code: str
    label: str
    depth: int
    before: list[Range]
    after: list[Range]
    status: str  # "", added, removed

    @property
    def delta(self) -> list[Range]:
        return [b - a for a, b in zip(self.before, self.after, strict=True)]

    @property
    def cells(self) -> list[tuple[Range, Range, Range]]:
        return list(zip(self.before, self.after, self.delta, strict=True))

    @property
    def changed(self) -> bool:
        return bool(self.status) or any(not d.is_zero for d in self.delta)


@dataclass
class Comparison:
    mode: str  # "designs" or "phases"
    base_label: str
    target_label: str
    columns: list[str]  # one per compared phase pair
    changes: list[Change]
    departments: list[DepartmentDelta]
    totals_before: list[Range]
    totals_after: list[Range]
    notes: list[str] = field(default_factory=list)

    def changes_of(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def totals_cells(self) -> list[tuple[Range, Range, Range]]:
        return list(zip(self.totals_before, self.totals_after, self.totals_delta, strict=True))

    @property
    def totals_delta(self) -> list[Range]:
        return [b - a for a, b in zip(self.totals_before, self.totals_after, strict=True)]


def _translated_pair(obj, name: str) -> tuple[str, str]:
    return (getattr(obj, f"{name}_zh"), getattr(obj, f"{name}_en"))


def compare_designs(base: Organization, target: Organization) -> Comparison:
    """What changed from `base` to `target` (e.g. from a template to its clone), matching
    departments and roles by code: added, removed, moved (another parent department, manager or
    department) and retitled (another name in either language), and head count per department
    (subtree totals) phase by phase, phases matched by their position. Sixteen queries."""
    return compare_plans(
        organization_plan(base),
        organization_plan(target),
        base=ComparedSide(base.name, base.slug),
        target=ComparedSide(target.name, target.slug),
    )


def compare_revisions(
    organization: Organization,
    first: int,
    second: int,
    *,
    rows_first: replay.Rows | None = None,
    rows_second: replay.Rows | None = None,
) -> Comparison:
    """What changed in one design from revision `first` to revision `second` (either order),
    read as `compare_designs` reads two designs: both rebuilt from the history
    (`roles.selectors.design_at`), the current revision labelled "now". The caller checks the
    numbers are revisions the history can rebuild and may pass their rows if it has them."""

    def side(number: int) -> ComparedSide:
        if number == organization.revision:
            return ComparedSide(pgettext("plan", "now"), organization.slug)
        label = pgettext("plan", "Revision %(number)s") % {"number": number}
        return ComparedSide(label, organization.slug)

    before = organization_plan(organization, plan_data_at(organization, first, rows=rows_first))
    after = organization_plan(organization, plan_data_at(organization, second, rows=rows_second))
    return compare_plans(before, after, base=side(first), target=side(second))


class ComparedSide(NamedTuple):
    label: str  # how the page names the side
    slug: str  # the organization its nodes' links open


def compare_plans(
    before: HeadcountPlan, after: HeadcountPlan, *, base: ComparedSide, target: ComparedSide
) -> Comparison:
    """The comparison of two plans already read (see `compare_designs`); no query."""
    old_departments = {row.department.code: row for row in before.departments}
    new_departments = {row.department.code: row for row in after.departments}
    old_roles = {role.code: role for role in before.data.design.roles}
    new_roles = {role.code: role for role in after.data.design.roles}
    width = min(len(before.phases), len(after.phases))
    notes = []
    if len(before.phases) != len(after.phases):
        notes.append(
            pgettext(
                "plan",
                "The designs have %(a)s and %(b)s phases; the first %(n)s are compared by "
                "position.",
            )
            % {"a": len(before.phases), "b": len(after.phases), "n": width}
        )
    columns = [
        p.name if p.name == q.name else f"{q.name} / {p.name}"
        for p, q in zip(after.phases[:width], before.phases[:width], strict=True)
    ]
    changes: list[Change] = []

    def parent_code(department: Department) -> str:
        return department.parent.code if department.parent_id else ""

    for code, row in new_departments.items():
        department = row.department
        old = old_departments.get(code)
        if old is None:
            changes.append(
                Change("department", ADDED, code, department.name, "", row.path, department.pk,
                       target.slug)
            )  # fmt: skip
            continue
        if parent_code(old.department) != parent_code(department):
            changes.append(
                Change("department", MOVED, code, department.name, old.path, row.path,
                       department.pk, target.slug)
            )  # fmt: skip
        if _translated_pair(old.department, "name") != _translated_pair(department, "name"):
            changes.append(
                Change("department", RETITLED, code, department.name, old.department.name,
                       department.name, department.pk, target.slug)
            )  # fmt: skip
    for code, row in old_departments.items():
        if code not in new_departments:
            changes.append(
                Change("department", REMOVED, code, row.department.name, row.path, "",
                       row.department.pk, base.slug)
            )  # fmt: skip

    def placement(role: Role) -> str:
        manager = role.reports_to.title if role.reports_to_id else "—"
        return f"{role.department.name} · {manager}"

    def manager_code(role: Role) -> str:
        return role.reports_to.code if role.reports_to_id else ""

    for code, role in new_roles.items():
        old = old_roles.get(code)
        if old is None:
            changes.append(
                Change("role", ADDED, code, role.title, "", placement(role), role.pk, target.slug)
            )
            continue
        if manager_code(old) != manager_code(role) or old.department.code != role.department.code:
            changes.append(
                Change("role", MOVED, code, role.title, placement(old), placement(role), role.pk,
                       target.slug)
            )  # fmt: skip
        if _translated_pair(old, "title") != _translated_pair(role, "title"):
            changes.append(
                Change("role", RETITLED, code, role.title, old.title, role.title, role.pk,
                       target.slug)
            )  # fmt: skip
    for code, role in old_roles.items():
        if code not in new_roles:
            changes.append(
                Change("role", REMOVED, code, role.title, placement(role), "", role.pk, base.slug)
            )

    deltas = [
        DepartmentDelta(
            code=code,
            label=row.department.name,
            depth=row.depth,
            before=old_departments[code].total[:width]
            if code in old_departments
            else [ZERO] * width,
            after=row.total[:width],
            status="" if code in old_departments else ADDED,
        )
        for code, row in new_departments.items()
    ] + [
        DepartmentDelta(
            code=code,
            label=row.department.name,
            depth=row.depth,
            before=row.total[:width],
            after=[ZERO] * width,
            status=REMOVED,
        )
        for code, row in old_departments.items()
        if code not in new_departments
    ]
    return Comparison(
        mode="designs",
        base_label=base.label,
        target_label=target.label,
        columns=columns,
        changes=changes,
        departments=deltas,
        totals_before=before.totals[:width],
        totals_after=after.totals[:width],
        notes=notes,
    )


def compare_phases(
    organization: Organization, phase_a: HeadcountPhase, phase_b: HeadcountPhase
) -> Comparison:
    """Head count of one design in two phases: per department (subtree totals) and the roles
    that appear (0 → some), disappear, grow or shrink. Eight queries."""
    plan = organization_plan(organization)
    index = {phase.pk: i for i, phase in enumerate(plan.phases)}
    a, b = index[phase_a.pk], index[phase_b.pk]
    changes = []
    for row in plan.roles:
        before, after = row.counts[a] or ZERO, row.counts[b] or ZERO
        if before == after:
            continue
        if before.max == 0:
            change = ADDED
        elif after.max == 0:
            change = REMOVED
        elif (after.min, after.max) > (before.min, before.max):
            change = GREW
        else:
            change = SHRANK
        changes.append(
            Change("role", change, row.role.code, row.role.title, str(before), str(after),
                   row.role.pk, organization.slug)
        )  # fmt: skip
    deltas = [
        DepartmentDelta(
            code=row.department.code,
            label=row.department.name,
            depth=row.depth,
            before=[row.total[a]],
            after=[row.total[b]],
            status="",
        )
        for row in plan.departments
    ]
    return Comparison(
        mode="phases",
        base_label=phase_a.name,
        target_label=phase_b.name,
        columns=[f"{phase_a.name} → {phase_b.name}"],
        changes=changes,
        departments=deltas,
        totals_before=[plan.totals[a]],
        totals_after=[plan.totals[b]],
    )


# --- What the query asks for (shared by the page and the API) ----------------------------------


class RequestedComparison(NamedTuple):
    comparison: Comparison
    base: dict  # {"slug", "name", "phase"}: the side compared from
    target: dict  # the side compared to


class ComparisonChoices(NamedTuple):
    others: QuerySet[Organization]  # the designs the user may compare this one with
    phases: list[HeadcountPhase]


def comparison_choices(user, organization: Organization) -> ComparisonChoices:
    """What the compare form offers: every other design the user can read, and the phases."""
    return ComparisonChoices(
        others=organizations_visible_to(user).exclude(pk=organization.pk),
        phases=list(organization.phases.order_by("order")),
    )


def comparison_for(
    user, organization: Organization, *, with_slug: str = "", phase_a: str = "", phase_b: str = ""
) -> RequestedComparison | None:
    """The comparison the query asks for: `with_slug` (another design the user can read),
    `phase_a` and `phase_b` (phase ids of this design), or, without either, the design this
    one was cloned from when the user can read it. None when there is nothing to compare.
    Raises ValidationError for bad arguments and Http404 for a design the user cannot see."""
    with_slug = with_slug.strip()
    if with_slug and (phase_a or phase_b):
        raise field_error(
            "with",
            pgettext("plan", "Compare with another design or two phases, not both."),
            "ambiguous",
        )
    if phase_a or phase_b:
        missing = {
            name: ValidationError(pgettext("plan", "Choose the phase to compare."), code="required")
            for name, value in (("phase_a", phase_a), ("phase_b", phase_b))
            if not value
        }
        if missing:
            raise ValidationError(missing)
        first = _phase_of(organization, "phase_a", phase_a)
        second = _phase_of(organization, "phase_b", phase_b)
        side = {"slug": organization.slug, "name": organization.name}
        return RequestedComparison(
            compare_phases(organization, first, second),
            {**side, "phase": first.pk},
            {**side, "phase": second.pk},
        )
    if with_slug:
        base = organization_for(user, with_slug, READ)
    else:
        base = organization.cloned_from
        if base is None or member_role(user, base) is None:
            return None
    return RequestedComparison(
        compare_designs(base, organization),
        {"slug": base.slug, "name": base.name, "phase": None},
        {"slug": organization.slug, "name": organization.name, "phase": None},
    )


def _phase_of(organization: Organization, name: str, value: str) -> HeadcountPhase:
    """The phase whose id the argument `name` gives, in this organization only."""
    phase = None
    pk = parse_id(value)
    if pk is not None:
        phase = HeadcountPhase.objects.filter(organization=organization, pk=pk).first()
    if phase is None:
        raise field_error(name, pgettext("plan", "No such phase in this organization."), "invalid")
    return phase
