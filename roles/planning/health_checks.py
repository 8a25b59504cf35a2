"""The org health checks, one function each: every function takes the design's `PlanData` and
returns its findings (an empty list when all is well). `roles.planning.health` lists them, in
the order users see, with the title and explanation of each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import pgettext, pgettext_lazy

from departments.models import BusinessModel, HeadcountPhase
from roles.models import Role
from roles.planning.data import ZERO, PlanData, subtree_role_counts
from roles.selectors.department_headcount import (
    DepartmentHeadcounts,
    department_headcount_of_design,
)

WARNING, INFO = "warning", "info"
# How the pages name a finding's severity (the codes above are the API's).
SEVERITY_LABELS = {
    WARNING: pgettext_lazy("plan", "Warning"),
    INFO: pgettext_lazy("plan", "Note"),
}

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


@dataclass
class Finding:
    """One problem a check found, and the node (role, department or the organization) it is on."""

    severity: str  # WARNING or INFO
    message: str
    node_kind: str  # "role", "department" or "organization"
    node_id: int | None
    node_label: str

    @property
    def severity_label(self) -> str:
        """The severity in the reader's language ("警告" / "Warning"), never its code."""
        return str(SEVERITY_LABELS[self.severity])


def _on_role(severity: str, message: str, role: Role) -> Finding:
    return Finding(severity, message, "role", role.pk, role.title)


def _people(data: PlanData, role_pk: int, phase_pk: int) -> int:
    """People in a role for the span of control: the planned maximum; a role whose head count
    was never planned counts as one person (the position exists)."""
    if role_pk not in data.planned_role_ids:
        return 1
    return data.counts.get((role_pk, phase_pk), ZERO).max


def _most_reports_per_manager(data: PlanData, role: Role) -> tuple[int, HeadcountPhase | None]:
    """The most people one holder of `role` leads in any phase, and that phase: in people, not in
    role boxes, shared among the role's own holders. Without phases, the number of reports."""
    # The cached tree's children list: get_children() would build a queryset per role.
    reports = role._cached_children
    if not data.phases:
        return len(reports), None
    # Plain ids in the loop: it runs reports × phases times for every manager.
    report_pks = [report.pk for report in reports]
    worst, worst_phase = 0, None
    for phase in data.phases:
        people = sum(_people(data, pk, phase.pk) for pk in report_pks)
        holders = max(_people(data, role.pk, phase.pk), 1)
        per_manager = math.ceil(people / holders)
        if per_manager > worst:
            worst, worst_phase = per_manager, phase
    return worst, worst_phase


def span_of_control(data: PlanData) -> list[Finding]:
    """Managers who lead more people than the organization's span-of-control limit."""
    limit = data.organization.span_of_control_limit
    findings = []
    for role in data.design.roles:
        if not role._cached_children:
            continue
        worst, worst_phase = _most_reports_per_manager(data, role)
        if worst > limit:
            message = pgettext(
                "plan",
                "%(role)s has %(count)s direct reports per manager in %(phase)s (limit "
                "%(limit)s). Add a supervisor layer or split the team.",
            ) % {
                "role": role.title,
                "count": worst,
                "phase": (worst_phase.name if worst_phase is not None else "") or "—",
                "limit": limit,
            }
            findings.append(_on_role(WARNING, message, role))
    return findings


def single_report(data: PlanData) -> list[Finding]:
    """Managers with exactly one report who holds one person at most."""
    findings = []
    for role in data.design.roles:
        reports = role._cached_children
        # One report role that holds several people in some phase is a real team.
        if len(reports) != 1 or _most_reports_per_manager(data, role)[0] > 1:
            continue
        message = pgettext(
            "plan",
            "%(role)s manages only one person (%(report)s). Consider merging the two "
            "positions or letting %(role)s do the work directly.",
        ) % {"role": role.title, "report": reports[0].title}
        findings.append(_on_role(INFO, message, role))
    return findings


def layers(data: PlanData) -> list[Finding]:
    """The deepest reporting line, when it has more layers than the layer limit."""
    roles, limit = data.design.roles, data.organization.layer_limit
    if not roles:
        return []
    deepest = roles[0]
    for role in roles:
        if role.depth > deepest.depth:
            deepest = role
    # mptt depth 0 is the top of a reporting tree, so layers = depth + 1.
    if deepest.depth + 1 <= limit:
        return []
    chain, node = [], deepest
    while node is not None:
        chain.append(node.title)
        node = node.reports_to if node.reports_to_id else None
    message = pgettext(
        "plan",
        "The reporting line %(chain)s has %(count)s layers (limit %(limit)s). "
        "Flatten it by removing a middle layer or widening spans.",
    ) % {"chain": " > ".join(reversed(chain)), "count": deepest.depth + 1, "limit": limit}
    return [_on_role(WARNING, message, deepest)]


def role_without_duties(data: PlanData) -> list[Finding]:
    """Roles with no duties."""
    return [
        _on_role(WARNING, pgettext("plan", "%(role)s has no duties.") % {"role": role.title}, role)
        for role in data.design.roles
        if not data.duty_counts.get(role.pk)
    ]


def role_without_requirements(data: PlanData) -> list[Finding]:
    """Roles with no requirements."""
    message = pgettext("plan", "%(role)s has no requirements.")
    return [
        _on_role(WARNING, message % {"role": role.title}, role)
        for role in data.design.roles
        if not data.requirement_counts.get(role.pk)
    ]


def department_without_roles(data: PlanData) -> list[Finding]:
    """Departments without roles of their own (a hint when sub-departments are staffed)."""
    design = data.design
    subtree_roles = subtree_role_counts(design)
    findings = []
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
        findings.append(
            Finding(
                severity,
                message % {"department": department.name},
                "department",
                department.pk,
                department.name,
            )
        )
    return findings


def role_without_headcount(data: PlanData) -> list[Finding]:
    """Roles planned at zero people, or not planned, in every phase."""
    phase_names = ", ".join(phase.name for phase in data.phases)
    findings = []
    for role in data.design.roles:
        if any(data.count(role, phase).max for phase in data.phases):
            continue
        message = (
            pgettext("plan", "%(role)s is planned at zero people in every phase (%(phases)s).")
            if data.planned(role)
            else pgettext("plan", "%(role)s has no head count planned in any phase.")
        )
        findings.append(
            _on_role(WARNING, message % {"role": role.title, "phases": phase_names}, role)
        )
    return findings


def plan_department_counts(data: PlanData) -> DepartmentHeadcounts:
    """The departments' head count beside their roles' (one query: the roles' head count is
    the plan's own), read once per report."""
    counts = getattr(data, "_department_counts", None)
    if counts is None:
        counts = department_headcount_of_design(data.design, data.counts)
        data._department_counts = counts
    return counts


def has_department_headcount(data: PlanData) -> bool:
    """The department head-count check needs a department with a head count of its own."""
    return bool(plan_department_counts(data).planned)


def department_headcount(data: PlanData) -> list[Finding]:
    """Per department and phase, its head count (部门定编) against the sum of its roles' head
    count (its sub-departments' roles included), where the two differ: more people in the roles
    than the department's maximum is a warning (over its head count), the rest a note."""
    counts = plan_department_counts(data)
    findings = []
    for department in data.design.departments:
        for phase in data.phases:
            line = counts.get(department.pk, phase.pk)
            if not line.differs:
                continue
            planned, roles = line.planned, line.roles
            if roles.min > planned.max:
                severity = WARNING
                message = pgettext(
                    "plan",
                    "%(department)s, %(phase)s: its roles add up to %(roles)s people, more than "
                    "its head count of %(planned)s.",
                )
            elif roles.max < planned.min:
                severity = INFO
                message = pgettext(
                    "plan",
                    "%(department)s, %(phase)s: its roles add up to %(roles)s people, fewer than "
                    "its head count of %(planned)s.",
                )
            else:
                severity = INFO
                message = pgettext(
                    "plan",
                    "%(department)s, %(phase)s: its roles add up to %(roles)s people; its head "
                    "count is %(planned)s.",
                )
            text = message % {
                "department": department.name,
                "phase": phase.name,
                "roles": roles,
                "planned": planned,
            }
            findings.append(Finding(severity, text, "department", department.pk, department.name))
    return findings


def combined_roles(data: PlanData) -> list[Finding]:
    """Every pair of roles one person may hold, with their head count in the last phase."""
    design = data.design
    last_phase = data.phases[-1] if data.phases else None
    findings = []
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
        findings.append(_on_role(INFO, message, left))
    return findings


def has_guideline(data: PlanData) -> bool:
    """The guideline check needs phases and a business model the articles describe."""
    return bool(data.phases) and data.organization.business_model in GUIDELINE_TOTALS


def headcount_guideline(data: PlanData) -> list[Finding]:
    """The first and last phase's totals outside the business model's guideline."""
    organization, phases = data.organization, data.phases
    launch, complete = GUIDELINE_TOTALS[organization.business_model]
    position = {phase.pk: index for index, phase in enumerate(phases)}
    totals = [ZERO] * len(phases)
    for (_role, phase_id), count in data.counts.items():
        totals[position[phase_id]] += count
    stages = [(0, launch, pgettext("plan", "at first"))]
    if len(phases) > 1:
        stages.append((len(phases) - 1, complete, pgettext("plan", "once complete")))
    findings = []
    for index, (low, high), when in stages:
        total = totals[index]
        if low <= total.max and total.min <= high:
            continue
        message = pgettext(
            "plan",
            "%(phase)s plans %(total)s people; the articles suggest "
            "%(low)s–%(high)s %(when)s for a %(model)s.",
        ) % {
            "phase": phases[index].name,
            "total": total,
            "low": low,
            "high": high,
            "when": when,
            "model": BusinessModel(organization.business_model).label,
        }
        findings.append(Finding(WARNING, message, "organization", None, organization.name))
    return findings
