"""The org health report: `HEALTH_CHECKS`, the checks in the order users see them, each with
its stable code (part of the API: never change it), its title, its plain-language explanation
and the function in `roles.planning.health_checks` that finds its problems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from departments.models import Organization
from departments.selectors import EDIT, check_access
from roles.planning import health_checks as checks
from roles.planning.data import PlanData, plan_data
from roles.planning.health_checks import WARNING, Finding


@dataclass(frozen=True)
class HealthCheck:
    code: str
    title: Promise
    explanation: Promise  # may name the organization's limit as %(limit)s
    find: Callable[[PlanData], list[Finding]]
    limit: Callable[[Organization], int] | None = None  # the limit the explanation names
    applies: Callable[[PlanData], bool] | None = None  # None: always applies


@dataclass
class CheckResult:
    code: str
    title: str
    explanation: str  # what the check looks for and why it matters, in plain language
    findings: list[Finding] = field(default_factory=list)
    applies: bool = True  # False: nothing to check (e.g. no guideline for a custom design)


@dataclass
class HealthReport:
    organization: Organization
    span_of_control_limit: int
    layer_limit: int
    checks: list[CheckResult]

    @property
    def findings(self) -> list[Finding]:
        return [finding for check in self.checks for finding in check.findings]

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == WARNING)


HEALTH_CHECKS: tuple[HealthCheck, ...] = (
    HealthCheck(
        code="span_of_control",
        title=pgettext_lazy("plan", "Too many direct reports"),
        explanation=pgettext_lazy(
            "plan",
            "A manager can lead about 10 to 12 people well. Above the limit of %(limit)s the team "
            "needs a second manager or a supervisor layer — this is the moment a department "
            "splits.",
        ),
        limit=lambda organization: organization.span_of_control_limit,
        find=checks.span_of_control,
    ),
    HealthCheck(
        code="single_report",
        title=pgettext_lazy("plan", "Managers with a single report"),
        explanation=pgettext_lazy(
            "plan",
            "A manager with only one person under them adds a layer without spreading the work. "
            "Merge the two positions, or give the manager more of the team.",
        ),
        find=checks.single_report,
    ),
    HealthCheck(
        code="layers",
        title=pgettext_lazy("plan", "Too many layers"),
        explanation=pgettext_lazy(
            "plan",
            "Each reporting layer slows decisions and news. The articles recommend flat teams; "
            "this design allows %(limit)s layers.",
        ),
        limit=lambda organization: organization.layer_limit,
        find=checks.layers,
    ),
    HealthCheck(
        code="role_without_duties",
        title=pgettext_lazy("plan", "Roles without duties"),
        explanation=pgettext_lazy(
            "plan",
            "A job description without duties cannot be used to hire or to judge the work.",
        ),
        find=checks.role_without_duties,
    ),
    HealthCheck(
        code="role_without_requirements",
        title=pgettext_lazy("plan", "Roles without requirements"),
        explanation=pgettext_lazy(
            "plan",
            "Without requirements (education, experience, skills) candidates cannot be screened.",
        ),
        find=checks.role_without_requirements,
    ),
    HealthCheck(
        code="department_without_roles",
        title=pgettext_lazy("plan", "Departments with no roles"),
        explanation=pgettext_lazy(
            "plan",
            "A department nobody works in does none of its functions. Add its roles, or remove it.",
        ),
        find=checks.department_without_roles,
    ),
    HealthCheck(
        code="role_without_headcount",
        title=pgettext_lazy("plan", "Roles with no head count"),
        explanation=pgettext_lazy(
            "plan",
            "A role planned at zero people in every phase will never be hired. Plan its head "
            "count, or remove the role.",
        ),
        find=checks.role_without_headcount,
    ),
    HealthCheck(
        code="department_headcount",
        title=pgettext_lazy("plan", "Department head count against its roles"),
        explanation=pgettext_lazy(
            "plan",
            "A department's head count (部门定编) is set apart from its roles' head count, and "
            "the two may differ: roles adding up to more people than the department's head count "
            "need a decision (raise the department's head count, or plan fewer people), fewer "
            "leave room still to fill. The roles of sub-departments count towards their "
            "department.",
        ),
        applies=checks.has_department_headcount,
        find=checks.department_headcount,
    ),
    HealthCheck(
        code="combined_roles",
        title=pgettext_lazy("plan", "Roles combined in one person"),
        explanation=pgettext_lazy(
            "plan",
            "Early on one person may hold several roles (一人多职). That is fine while the team "
            "is small; plan the phase in which each role gets its own person.",
        ),
        find=checks.combined_roles,
    ),
    HealthCheck(
        code="headcount_guideline",
        title=pgettext_lazy("plan", "Total head count against the articles' guideline"),
        explanation=pgettext_lazy(
            "plan",
            "The source articles give typical team sizes for each business model; a total far "
            "outside them deserves a second look.",
        ),
        applies=checks.has_guideline,
        find=checks.headcount_guideline,
    ),
)


def organization_health(organization: Organization, data: PlanData | None = None) -> HealthReport:
    """Every health check of one organization, each with its findings (eight queries; none when
    the caller passes the `plan_data` it already read)."""
    data = data or plan_data(organization)
    results = []
    for check in HEALTH_CHECKS:
        explanation = (
            check.explanation % {"limit": check.limit(organization)}
            if check.limit is not None
            else str(check.explanation)
        )
        applies = check.applies is None or check.applies(data)
        results.append(
            CheckResult(
                code=check.code,
                title=str(check.title),
                explanation=explanation,
                findings=check.find(data) if applies else [],
                applies=applies,
            )
        )
    return HealthReport(
        organization=organization,
        span_of_control_limit=organization.span_of_control_limit,
        layer_limit=organization.layer_limit,
        checks=results,
    )


def may_change_limits(user, organization: Organization) -> bool:
    """Editors and owners may change the limits the checks use; viewers and templates may not
    (the same rule `organization_for(…, EDIT)` applies to the form's POST), nor anyone who
    cannot see the design."""
    try:
        check_access(user, organization, EDIT)
    except (PermissionDenied, Http404):
        return False
    return True
