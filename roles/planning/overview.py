"""Everything the plan page shows, from one read of the design: the plan, its health warnings
and its two plots."""

from __future__ import annotations

from dataclasses import dataclass

from departments.models import Organization
from roles.planning.data import plan_data
from roles.planning.health import HealthReport, organization_health
from roles.planning.plan import HeadcountPlan, organization_plan
from roles.planning.plots import plan_svgs


@dataclass
class PlanOverview:
    plan: HeadcountPlan
    health: HealthReport
    svgs: dict[str, str]  # plot name → SVG markup, every label escaped by `roles.planning.plots`


def plan_overview(organization: Organization, plot_level: int | None = None) -> PlanOverview:
    """The plan, the health report and the plan's plots, the bar chart by departments of
    `plot_level` (None: the first meaningful level). Eight queries: one `plan_data` for both
    the plan and the checks."""
    data = plan_data(organization)
    plan = organization_plan(organization, data)
    return PlanOverview(
        plan=plan,
        health=organization_health(organization, data),
        svgs=plan_svgs(plan, plot_level),
    )
