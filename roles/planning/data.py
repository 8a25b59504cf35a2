"""Reads for head-count planning: the roles × phases grid rolled up through the department tree,
monthly cost, the hiring roadmap, org health checks and the comparison of two designs or two
phases.

Everything starts from `organization_design(..., with_lines=False)` plus four narrow queries
(head count, duty and requirement counts, combinable pairs), all filtered by organization:
eight queries whatever the size of the design, and no model instance per duty or requirement.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, F
from django.utils.translation import pgettext

from departments.models import BusinessModel, Department, HeadcountPhase, Organization
from roles.models import Duty, HeadcountTarget, Level, Requirement, Role
from roles.selectors import Design, organization_design

# --- Guideline head counts by business model ---------------------------------------------------
# (launch low, launch high), (complete low, complete high): total people of the whole design in
# its first phase and in its last phase. Deliberately wide: the check only speaks up when a design
# is far outside what the seed articles describe.
#
# - startup: article 004 says a new shop starts with about four people (店长/运营 first) and that
#   "a complete e-commerce team needs about 16 people". Ranges: 3–6 at first, 12–22 complete.
# - direct-sales: article 000 "年销售额千万电商团队如何组建" gives a head-count table of about
#   20 people in the first six months and 50–65 after twelve. Ranges: 12–35, 40–85.
# - platform: article 000 names a core of five (CEO, 招商, 运营, 技术, 财务 directors) to start;
#   article 002's committee-and-centre organization implies a hundred people or so once complete.
#   Derived ranges: 5–50 at first, 40–160 complete.
# - traditional-brand: article 000/002 start with an e-commerce head and a deputy who lean on an
#   agency and the parent company's departments; the own team later is of direct-sales size.
#   Derived ranges: 2–35 at first, 15–80 complete.
# - cross-border: article 004 lists eleven departments for a mature cross-border company and the
#   template's launch is "one store, about four people". Derived ranges: 3–20 at first, 20–70.
# - custom: no guideline, so the check does not apply.
GUIDELINE_TOTALS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    BusinessModel.STARTUP: ((3, 6), (12, 22)),
    BusinessModel.DIRECT_SALES: ((12, 35), (40, 85)),
    BusinessModel.PLATFORM: ((5, 50), (40, 160)),
    BusinessModel.TRADITIONAL_BRAND: ((2, 35), (15, 80)),
    BusinessModel.CROSS_BORDER: ((3, 20), (20, 70)),
}

# Hire the senior people of a phase first when the hiring priority does not say otherwise.
LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


class Range(NamedTuple):
    """A head count (or money) range, min ≤ max. A named tuple: plans add up hundreds of
    thousands of them, and a frozen dataclass costs several times more to create."""

    min: int = 0
    max: int = 0

    def __add__(self, other: Range) -> Range:  # type: ignore[override]
        return Range(self.min + other.min, self.max + other.max)

    def __sub__(self, other: Range) -> Range:
        return Range(self.min - other.min, self.max - other.max)

    @property
    def is_zero(self) -> bool:
        return self.min == 0 and self.max == 0

    def __str__(self) -> str:
        if self.min == self.max:
            return f"{self.min:,}"
        return f"{self.min:,}–{self.max:,}"

    def signed(self) -> str:
        """A delta, with its sign: "+2", "−1", "+1–+3"."""

        def one(value: int) -> str:
            return f"+{value:,}" if value > 0 else (f"−{-value:,}" if value < 0 else "0")

        if self.min == self.max:
            return one(self.min)
        return f"{one(self.min)}…{one(self.max)}"

    def as_dict(self) -> dict:
        return {"min": self.min, "max": self.max}

    def __repr__(self) -> str:
        return f"Range({self.min}, {self.max})"


ZERO = Range()


# --- Loading -----------------------------------------------------------------------------------


@dataclass
class PlanData:
    """One design plus the head count and line counts the plan and the checks need."""

    design: Design
    counts: dict[tuple[int, int], Range]  # (role id, phase id) → range; absent = not planned
    duty_counts: dict[int, int]
    requirement_counts: dict[int, int]
    combined_pairs: list[tuple[int, int]]  # (role id, role id), smaller id first

    @property
    def organization(self) -> Organization:
        return self.design.organization

    @property
    def phases(self) -> list[HeadcountPhase]:
        return self.design.phases

    def count(self, role: Role, phase: HeadcountPhase) -> Range:
        return self.counts.get((role.pk, phase.pk), ZERO)

    def planned(self, role: Role) -> bool:
        if not hasattr(self, "_planned"):
            self._planned = {role_id for role_id, _phase in self.counts}
        return role.pk in self._planned


def plan_data(organization: Organization) -> PlanData:
    """Eight queries whatever the size (four of `organization_design`, four here)."""
    design = organization_design(organization, with_lines=False)
    in_org = {"role__organization": organization}
    counts = {
        (role_id, phase_id): Range(low, high)
        for role_id, phase_id, low, high in HeadcountTarget.objects.filter(**in_org).values_list(
            "role_id", "phase_id", "min_count", "max_count"
        )
    }

    def line_counts(model) -> dict[int, int]:
        rows = model.objects.filter(**in_org).values("role_id").annotate(n=Count("id"))
        return {row["role_id"]: row["n"] for row in rows.order_by()}

    through = Role.combinable_with.through
    pairs = list(
        through.objects.filter(
            from_role__organization=organization, from_role_id__lt=F("to_role_id")
        )
        .order_by("from_role_id", "to_role_id")
        .values_list("from_role_id", "to_role_id")
    )
    return PlanData(
        design=design,
        counts=counts,
        duty_counts=line_counts(Duty),
        requirement_counts=line_counts(Requirement),
        combined_pairs=pairs,
    )


def _salary_band(role: Role) -> Range | None:
    if role.salary_min is None and role.salary_max is None:
        return None
    low = role.salary_min if role.salary_min is not None else role.salary_max
    high = role.salary_max if role.salary_max is not None else role.salary_min
    return Range(low, high)


def _subtree_role_counts(design: Design) -> dict[int, int]:
    """Roles in each department and all its sub-departments, without a query per node."""
    counts = {d.pk: len(design.roles_by_department.get(d.pk, [])) for d in design.departments}
    for department in reversed(design.departments):  # children before their parent
        if department.parent_id in counts:
            counts[department.parent_id] += counts[department.pk]
    return counts


def _department_path(department: Department) -> str:
    names = []
    node = department
    while node is not None:
        names.append(node.name)
        # The cached tree set the parent object, so this walk costs no query.
        node = node.parent if node.parent_id else None
    return " > ".join(reversed(names))


# --- The plan: grid, rollups, cost, roadmap ----------------------------------------------------


@dataclass
class RoleRow:
    role: Role
    department: Department
    counts: list[Range | None]  # per phase; None when the phase has no target for the role
    costs: list[Range | None]  # monthly cost per phase, None without a salary band
    salary: Range | None


@dataclass
class DepartmentRow:
    department: Department
    depth: int
    path: str
    own: list[Range]  # the department's own roles, per phase
    total: list[Range]  # the whole subtree, per phase
    cost: list[Range]  # monthly cost of the subtree where salary bands are set
    role_count: int  # own roles
    subtree_role_count: int


@dataclass
class RoadmapStep:
    number: int
    phase: HeadcountPhase
    phase_index: int
    role: Role
    department: Department
    hires: Range
    cumulative: Range
    combinable: list[Role]


@dataclass
class Plan:
    organization: Organization
    phases: list[HeadcountPhase]
    roles: list[RoleRow]  # department by department (depth-first), reporting order inside
    departments: list[DepartmentRow]  # depth-first
    totals: list[Range]  # per phase, the whole organization
    costs: list[Range]  # per phase, roles with a salary band
    unpriced: list[int]  # per phase, roles with head count but no salary band
    roadmap: list[RoadmapStep]
    data: PlanData = field(repr=False)

    @property
    def cost_is_complete(self) -> bool:
        return not any(self.unpriced)


def organization_plan(organization: Organization, data: PlanData | None = None) -> Plan:
    """The head-count plan of one organization (eight queries whatever the size)."""
    data = data or plan_data(organization)
    design, phases = data.design, data.phases
    width = len(phases)

    role_rows: list[RoleRow] = []
    own: dict[int, list[Range]] = {d.pk: [ZERO] * width for d in design.departments}
    cost: dict[int, list[Range]] = {d.pk: [ZERO] * width for d in design.departments}
    totals, costs, unpriced = [ZERO] * width, [ZERO] * width, [0] * width
    for department in design.departments:
        for role in design.roles_by_department.get(department.pk, []):
            band = _salary_band(role)
            counts = [data.counts.get((role.pk, phase.pk)) for phase in phases]
            row_costs: list[Range | None] = []
            for index, count in enumerate(counts):
                count = count or ZERO
                own[department.pk][index] += count
                totals[index] += count
                if band is None:
                    row_costs.append(None)
                    unpriced[index] += 1 if count.max else 0
                    continue
                money = Range(count.min * band.min, count.max * band.max)
                row_costs.append(money)
                cost[department.pk][index] += money
                costs[index] += money
            role_rows.append(RoleRow(role, department, counts, row_costs, band))

    # Depth-first order lists parents before children: walk it backwards to sum subtrees.
    subtree = {pk: list(values) for pk, values in own.items()}
    subtree_cost = {pk: list(values) for pk, values in cost.items()}
    for department in reversed(design.departments):
        parent = department.parent_id
        if parent is None or parent not in subtree:
            continue
        subtree[parent] = [
            a + b for a, b in zip(subtree[parent], subtree[department.pk], strict=True)
        ]
        subtree_cost[parent] = [
            a + b for a, b in zip(subtree_cost[parent], subtree_cost[department.pk], strict=True)
        ]
    role_count = {d.pk: len(design.roles_by_department.get(d.pk, [])) for d in design.departments}
    subtree_roles = _subtree_role_counts(design)
    department_rows = [
        DepartmentRow(
            department=d,
            depth=d.depth,
            path=_department_path(d),
            own=own[d.pk],
            total=subtree[d.pk],
            cost=subtree_cost[d.pk],
            role_count=role_count[d.pk],
            subtree_role_count=subtree_roles[d.pk],
        )
        for d in design.departments
    ]
    return Plan(
        organization=organization,
        phases=phases,
        roles=role_rows,
        departments=department_rows,
        totals=totals,
        costs=costs,
        unpriced=unpriced,
        roadmap=hiring_roadmap(data),
        data=data,
    )


def hiring_roadmap(data: PlanData) -> list[RoadmapStep]:
    """Who to hire, in order: phase by phase, every role whose head count grows in that phase,
    by hiring priority (1 first, unset last), then seniority, then reporting order. Each step
    hires the growth over the previous phase; `cumulative` is the head count hired so far."""
    design = data.design
    roles = design.roles
    partners: dict[int, list[Role]] = defaultdict(list)
    for left, right in data.combined_pairs:
        partners[left].append(design.role(right))
        partners[right].append(design.role(left))
    # Plain ints and tuples in the loops: this runs roles × phases times.
    pks = [role.pk for role in roles]
    order = [
        (
            role.hiring_priority is None,
            role.hiring_priority or 0,
            LEVEL_RANK.get(role.level, len(LEVEL_RANK)),
            index,
        )
        for index, role in enumerate(roles)
    ]
    counts = data.counts
    steps: list[RoadmapStep] = []
    cumulative = ZERO
    previous = [ZERO] * len(roles)
    for phase_index, phase in enumerate(data.phases):
        growing = []
        phase_pk = phase.pk
        for index, pk in enumerate(pks):
            now = counts.get((pk, phase_pk), ZERO)
            before = previous[index]
            previous[index] = now
            low, high = now.min - before.min, now.max - before.max
            if low > 0 or high > 0:
                growing.append((order[index], Range(max(0, low), max(0, high))))
        growing.sort()
        for (*_key, index), hires in growing:
            role = roles[index]
            cumulative += hires
            steps.append(
                RoadmapStep(
                    number=len(steps) + 1,
                    phase=phase,
                    phase_index=phase_index,
                    role=role,
                    department=role.department,
                    hires=hires,
                    cumulative=cumulative,
                    combinable=partners.get(pks[index], []),
                )
            )
    return steps


# --- Health checks -----------------------------------------------------------------------------

WARNING, INFO = "warning", "info"


@dataclass
class Check:
    code: str
    title: str
    explanation: str  # what the check looks for and why it matters, in plain language
    findings: list[Finding] = field(default_factory=list)
    applies: bool = True  # False: nothing to check (e.g. no guideline for a custom design)


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    node_kind: str  # "role", "department" or "organization"
    node_id: int | None
    node_label: str


@dataclass
class HealthReport:
    organization: Organization
    span_of_control_limit: int
    layer_limit: int
    checks: list[Check]

    @property
    def findings(self) -> list[Finding]:
        return [finding for check in self.checks for finding in check.findings]

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == WARNING)


def _people(data: PlanData, role: Role, phase: HeadcountPhase) -> int:
    """People in a role for the span of control: the planned maximum; a role whose head count
    was never planned counts as one person (the position exists)."""
    if not data.planned(role):
        return 1
    return data.count(role, phase).max


def _phase_label(phase: HeadcountPhase | None) -> str:
    return phase.name if phase is not None else ""


def organization_health(organization: Organization, data: PlanData | None = None) -> HealthReport:
    """Every health check of one organization, each with its findings (eight queries)."""
    data = data or plan_data(organization)
    design = data.design
    span_limit = organization.span_of_control_limit
    layer_limit = organization.layer_limit
    phases = data.phases or [None]

    span = Check(
        "span_of_control",
        pgettext("plan", "Too many direct reports"),
        pgettext(
            "plan",
            "A manager can lead about 10 to 12 people well. Above the limit of %(limit)s the team "
            "needs a second manager or a supervisor layer — this is the moment a department "
            "splits.",
        )
        % {"limit": span_limit},
    )
    single = Check(
        "single_report",
        pgettext("plan", "Managers with a single report"),
        pgettext(
            "plan",
            "A manager with only one person under them adds a layer without spreading the work. "
            "Merge the two positions, or give the manager more of the team.",
        ),
    )
    layers = Check(
        "layers",
        pgettext("plan", "Too many layers"),
        pgettext(
            "plan",
            "Each reporting layer slows decisions and news. The articles recommend flat teams; "
            "this design allows %(limit)s layers.",
        )
        % {"limit": layer_limit},
    )
    no_duties = Check(
        "role_without_duties",
        pgettext("plan", "Roles without duties"),
        pgettext(
            "plan",
            "A job description without duties cannot be used to hire or to judge the work.",
        ),
    )
    no_requirements = Check(
        "role_without_requirements",
        pgettext("plan", "Roles without requirements"),
        pgettext(
            "plan",
            "Without requirements (education, experience, skills) candidates cannot be screened.",
        ),
    )
    empty_departments = Check(
        "department_without_roles",
        pgettext("plan", "Departments with no roles"),
        pgettext(
            "plan",
            "A department nobody works in does none of its functions. Add its roles, or remove it.",
        ),
    )
    zero = Check(
        "role_without_headcount",
        pgettext("plan", "Roles with no head count"),
        pgettext(
            "plan",
            "A role planned at zero people in every phase will never be hired. Plan its head "
            "count, or remove the role.",
        ),
    )
    combined = Check(
        "combined_roles",
        pgettext("plan", "Roles combined in one person"),
        pgettext(
            "plan",
            "Early on one person may hold several roles (一人多职). That is fine while the team "
            "is small; plan the phase in which each role gets its own person.",
        ),
    )
    guideline = Check(
        "headcount_guideline",
        pgettext("plan", "Total head count against the articles' guideline"),
        pgettext(
            "plan",
            "The source articles give typical team sizes for each business model; a total far "
            "outside them deserves a second look.",
        ),
    )

    # Span of control and single reports, phase by phase in people, not in role boxes.
    for role in design.roles:
        # The cached tree's children list: get_children() would build a queryset per role.
        reports = role._cached_children
        if not reports:
            continue
        worst, worst_phase = 0, None
        for phase in phases:
            if phase is None:
                people = len(reports)
                holders = 1
            else:
                people = sum(_people(data, report, phase) for report in reports)
                holders = max(_people(data, role, phase), 1)
            per_manager = math.ceil(people / holders)
            if per_manager > worst:
                worst, worst_phase = per_manager, phase
        if worst > span_limit:
            span.findings.append(
                Finding(
                    span.code,
                    WARNING,
                    pgettext(
                        "plan",
                        "%(role)s has %(count)s direct reports per manager in %(phase)s (limit "
                        "%(limit)s). Add a supervisor layer or split the team.",
                    )
                    % {
                        "role": role.title,
                        "count": worst,
                        "phase": _phase_label(worst_phase) or "—",
                        "limit": span_limit,
                    },
                    "role",
                    role.pk,
                    role.title,
                )
            )
        if len(reports) == 1 and worst <= 1:
            single.findings.append(
                Finding(
                    single.code,
                    INFO,
                    pgettext(
                        "plan",
                        "%(role)s manages only one person (%(report)s). Consider merging the two "
                        "positions or letting %(role)s do the work directly.",
                    )
                    % {"role": role.title, "report": reports[0].title},
                    "role",
                    role.pk,
                    role.title,
                )
            )

    # Layers: mptt depth 0 is the top of a reporting tree, so layers = depth + 1.
    if design.roles:
        deepest = design.roles[0]
        for role in design.roles:
            if role.depth > deepest.depth:
                deepest = role
        if deepest.depth + 1 > layer_limit:
            chain, node = [], deepest
            while node is not None:
                chain.append(node.title)
                node = node.reports_to if node.reports_to_id else None
            layers.findings.append(
                Finding(
                    layers.code,
                    WARNING,
                    pgettext(
                        "plan",
                        "The reporting line %(chain)s has %(count)s layers (limit %(limit)s). "
                        "Flatten it by removing a middle layer or widening spans.",
                    )
                    % {
                        "chain": " > ".join(reversed(chain)),
                        "count": deepest.depth + 1,
                        "limit": layer_limit,
                    },
                    "role",
                    deepest.pk,
                    deepest.title,
                )
            )

    for role in design.roles:
        if not data.duty_counts.get(role.pk):
            no_duties.findings.append(
                Finding(
                    no_duties.code,
                    WARNING,
                    pgettext("plan", "%(role)s has no duties.") % {"role": role.title},
                    "role",
                    role.pk,
                    role.title,
                )
            )
        if not data.requirement_counts.get(role.pk):
            no_requirements.findings.append(
                Finding(
                    no_requirements.code,
                    WARNING,
                    pgettext("plan", "%(role)s has no requirements.") % {"role": role.title},
                    "role",
                    role.pk,
                    role.title,
                )
            )
        if not any(data.count(role, phase).max for phase in data.phases):
            message = (
                pgettext("plan", "%(role)s is planned at zero people in every phase (%(phases)s).")
                if data.planned(role)
                else pgettext("plan", "%(role)s has no head count planned in any phase.")
            )
            zero.findings.append(
                Finding(
                    zero.code,
                    WARNING,
                    message
                    % {"role": role.title, "phases": ", ".join(p.name for p in data.phases)},
                    "role",
                    role.pk,
                    role.title,
                )
            )

    subtree_roles = _subtree_role_counts(design)
    for department in design.departments:
        if design.roles_by_department.get(department.pk):
            continue
        if subtree_roles[department.pk]:
            # A grouping department (运营中心 over its sub-departments) may have no head yet.
            message = pgettext(
                "plan",
                "%(department)s has no roles of its own; only its sub-departments are staffed. "
                "Who heads it?",
            )
            severity = INFO
        else:
            message = pgettext("plan", "%(department)s has no roles at all.")
            severity = WARNING
        empty_departments.findings.append(
            Finding(
                empty_departments.code,
                severity,
                message % {"department": department.name},
                "department",
                department.pk,
                department.name,
            )
        )

    last_phase = data.phases[-1] if data.phases else None
    for left_id, right_id in data.combined_pairs:
        left, right = design.role(left_id), design.role(right_id)
        if last_phase is not None:
            message = pgettext(
                "plan",
                "One person may hold both %(left)s and %(right)s. By %(phase)s the plan has "
                "%(left_count)s and %(right_count)s people in them.",
            ) % {
                "left": left.title,
                "right": right.title,
                "phase": last_phase.name,
                "left_count": data.count(left, last_phase),
                "right_count": data.count(right, last_phase),
            }
        else:
            message = pgettext("plan", "One person may hold both %(left)s and %(right)s.") % {
                "left": left.title,
                "right": right.title,
            }
        combined.findings.append(Finding(combined.code, INFO, message, "role", left.pk, left.title))

    guide = GUIDELINE_TOTALS.get(organization.business_model)
    if guide is None or not data.phases:
        guideline.applies = False
    else:
        position = {phase.pk: i for i, phase in enumerate(data.phases)}
        totals = [ZERO] * len(data.phases)
        for (_role, phase_id), count in data.counts.items():
            totals[position[phase_id]] += count
        stages = [(0, guide[0], pgettext("plan", "at first"))]
        if len(data.phases) > 1:
            stages.append((len(data.phases) - 1, guide[1], pgettext("plan", "once complete")))
        for index, (low, high), when in stages:
            total = totals[index]
            if total.max < low or total.min > high:
                guideline.findings.append(
                    Finding(
                        guideline.code,
                        WARNING,
                        pgettext(
                            "plan",
                            "%(phase)s plans %(total)s people; the articles suggest "
                            "%(low)s–%(high)s %(when)s for a %(model)s.",
                        )
                        % {
                            "phase": data.phases[index].name,
                            "total": total,
                            "low": low,
                            "high": high,
                            "when": when,
                            "model": BusinessModel(organization.business_model).label,
                        },
                        "organization",
                        None,
                        organization.name,
                    )
                )

    return HealthReport(
        organization=organization,
        span_of_control_limit=span_limit,
        layer_limit=layer_limit,
        checks=[
            span,
            single,
            layers,
            no_duties,
            no_requirements,
            empty_departments,
            zero,
            combined,
            guideline,
        ],
    )


# --- Comparison --------------------------------------------------------------------------------

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
    before, after = organization_plan(base), organization_plan(target)
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
        base_label=base.name,
        target_label=target.name,
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
