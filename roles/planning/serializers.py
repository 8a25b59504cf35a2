"""JSON of the plan, health and comparison API, and the serializers that document it.

The views answer with plain dicts built here (a 5,000-role plan is ~100,000 values; running each
through a serializer field would cost more than computing it); the serializers below describe
exactly these dicts for drf-spectacular, and a test checks the two agree.
"""

from __future__ import annotations

from rest_framework import serializers

from roles.planning.compare import Comparison
from roles.planning.data import Range
from roles.planning.health import HealthReport
from roles.planning.links import node_url
from roles.planning.plan import HeadcountPlan

# --- Dicts -------------------------------------------------------------------------------------


def _phased(phases, values: list[Range | None]) -> list[dict]:
    """[{phase, min, max}] for the phases that have a value."""
    return [
        {"phase": phase.pk, "min": value.min, "max": value.max}
        for phase, value in zip(phases, values, strict=True)
        if value is not None
    ]


def phases_json(phases) -> list[dict]:
    return [
        {
            "id": p.pk,
            "order": p.order,
            "name": p.name,
            "start_month": p.start_month,
            "end_month": p.end_month,
        }
        for p in phases
    ]


def plan_json(plan: HeadcountPlan) -> dict:
    organization, phases = plan.organization, plan.phases
    return {
        "slug": organization.slug,
        "name": organization.name,
        "business_model": organization.business_model,
        "revision": organization.revision,
        "phases": phases_json(phases),
        "roles": [
            {
                "id": row.role.pk,
                "code": row.role.code,
                "title": row.role.title,
                "department": row.department.pk,
                "reports_to": row.role.reports_to_id,
                "level": row.role.level,
                "hiring_priority": row.role.hiring_priority,
                "salary_min": row.role.salary_min,
                "salary_max": row.role.salary_max,
                "headcount": _phased(phases, row.counts),
                "monthly_cost": _phased(phases, row.costs),
            }
            for row in plan.roles
        ],
        "departments": [
            {
                "id": row.department.pk,
                "code": row.department.code,
                "name": row.department.name,
                "parent": row.department.parent_id,
                "depth": row.depth,
                "role_count": row.role_count,
                "subtree_role_count": row.subtree_role_count,
                "own": _phased(phases, row.own),
                "total": _phased(phases, row.total),
                "monthly_cost": _phased(phases, row.cost),
            }
            for row in plan.departments
        ],
        "totals": _phased(phases, plan.totals),
        "monthly_cost": [
            {"phase": phase.pk, "min": cost.min, "max": cost.max, "unpriced_roles": unpriced}
            for phase, cost, unpriced in zip(phases, plan.costs, plan.unpriced, strict=True)
        ],
        "roadmap": [
            {
                "step": step.number,
                "phase": step.phase.pk,
                "role": step.role.pk,
                "title": step.role.title,
                "department": step.department.pk,
                "hiring_priority": step.role.hiring_priority,
                "kind": step.kind,
                "before": step.before.as_dict(),
                "after": step.after.as_dict(),
                "hires": step.hires.as_dict(),
                "cumulative": step.cumulative.as_dict(),
                "combinable_with": [role.pk for role in step.combinable],
            }
            for step in plan.roadmap
        ],
    }


def health_json(report: HealthReport) -> dict:
    slug = report.organization.slug
    return {
        "slug": slug,
        "revision": report.organization.revision,
        "span_of_control_limit": report.span_of_control_limit,
        "layer_limit": report.layer_limit,
        "warnings": report.warnings,
        "checks": [
            {
                "code": check.code,
                "title": check.title,
                "explanation": check.explanation,
                "applies": check.applies,
                "passed": check.applies and not check.findings,
                "findings": [
                    {
                        "severity": finding.severity,
                        "message": finding.message,
                        "node": {
                            "kind": finding.node_kind,
                            "id": finding.node_id,
                            "label": finding.node_label,
                            "url": node_url(slug, finding.node_kind, finding.node_id),
                        },
                    }
                    for finding in check.findings
                ],
            }
            for check in report.checks
        ],
    }


def comparison_json(comparison: Comparison, *, base: dict, target: dict) -> dict:
    return {
        "mode": comparison.mode,
        "base": base,
        "target": target,
        "columns": comparison.columns,
        "notes": comparison.notes,
        "changes": [
            {
                "kind": change.kind,
                "change": change.change,
                "code": change.code,
                "label": change.label,
                "before": change.before,
                "after": change.after,
                "url": node_url(change.organization_slug, change.kind, change.node_id),
            }
            for change in comparison.changes
        ],
        "departments": [
            {
                "code": row.code,
                "name": row.label,
                "depth": row.depth,
                "status": row.status,
                "before": [r.as_dict() for r in row.before],
                "after": [r.as_dict() for r in row.after],
                "delta": [r.as_dict() for r in row.delta],
            }
            for row in comparison.departments
        ],
        "totals": {
            "before": [r.as_dict() for r in comparison.totals_before],
            "after": [r.as_dict() for r in comparison.totals_after],
            "delta": [r.as_dict() for r in comparison.totals_delta],
        },
    }


# --- Schema ------------------------------------------------------------------------------------


class PlanRangeSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class PlanPhaseRangeSerializer(PlanRangeSerializer):
    phase = serializers.IntegerField(help_text="Phase id.")


class PlanCostSerializer(PlanPhaseRangeSerializer):
    unpriced_roles = serializers.IntegerField(
        help_text="Roles with head count in this phase but no salary band (not in the cost)."
    )


class PlanPhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    start_month = serializers.IntegerField(allow_null=True)
    end_month = serializers.IntegerField(allow_null=True)


class PlanRoleRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    department = serializers.IntegerField()
    reports_to = serializers.IntegerField(allow_null=True)
    level = serializers.CharField()
    hiring_priority = serializers.IntegerField(allow_null=True)
    salary_min = serializers.IntegerField(allow_null=True)
    salary_max = serializers.IntegerField(allow_null=True)
    headcount = PlanPhaseRangeSerializer(many=True, help_text="Phases with a target only.")
    monthly_cost = PlanPhaseRangeSerializer(
        many=True, help_text="Head count × salary band (CNY per month); empty without a band."
    )


class PlanDepartmentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    role_count = serializers.IntegerField()
    subtree_role_count = serializers.IntegerField()
    own = PlanPhaseRangeSerializer(many=True, help_text="The department's own roles.")
    total = PlanPhaseRangeSerializer(many=True, help_text="With all sub-departments.")
    monthly_cost = PlanPhaseRangeSerializer(many=True, help_text="Of the whole subtree.")


class PlanRoadmapStepSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    phase = serializers.IntegerField()
    role = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.IntegerField()
    hiring_priority = serializers.IntegerField(allow_null=True)
    # Not a ChoiceField: other `kind`s already name enums in the schema.
    kind = serializers.CharField(
        help_text="`hire`, or `reduce`: the phase plans fewer people for the role (listed "
        "first in it)."
    )
    before = PlanRangeSerializer(help_text="The role's planned head count before the step.")
    after = PlanRangeSerializer(help_text="… and after it: the phase's target.")
    hires = PlanRangeSerializer(help_text="People to hire (0 for a reduction); min ≤ max.")
    cumulative = PlanRangeSerializer(
        help_text="The organization's planned head count after the step; after a phase's last "
        "step it is that phase's total."
    )
    combinable_with = serializers.ListField(child=serializers.IntegerField())


class PlanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    business_model = serializers.CharField()
    revision = serializers.IntegerField()
    phases = PlanPhaseSerializer(many=True)
    roles = PlanRoleRowSerializer(many=True)
    departments = PlanDepartmentRowSerializer(many=True)
    totals = PlanPhaseRangeSerializer(many=True)
    monthly_cost = PlanCostSerializer(many=True)
    roadmap = PlanRoadmapStepSerializer(many=True)


class HealthNodeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="`role`, `department` or `organization`.")
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    url = serializers.CharField()


class HealthFindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["warning", "info"])
    message = serializers.CharField()
    node = HealthNodeSerializer()


class HealthCheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    applies = serializers.BooleanField()
    passed = serializers.BooleanField()
    findings = HealthFindingSerializer(many=True)


class HealthSerializer(serializers.Serializer):
    slug = serializers.CharField()
    revision = serializers.IntegerField()
    span_of_control_limit = serializers.IntegerField()
    layer_limit = serializers.IntegerField()
    warnings = serializers.IntegerField()
    checks = HealthCheckSerializer(many=True)


class CompareSideSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    phase = serializers.IntegerField(allow_null=True)


class CompareChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="`department` or `role`.")
    change = serializers.ChoiceField(
        choices=["added", "removed", "moved", "retitled", "grew", "shrank"]
    )
    code = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField(allow_blank=True, help_text="Place, title or head count.")
    after = serializers.CharField(allow_blank=True)
    url = serializers.CharField()


class CompareDepartmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    depth = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["added", "removed"], allow_blank=True)
    before = PlanRangeSerializer(many=True)
    after = PlanRangeSerializer(many=True)
    delta = PlanRangeSerializer(many=True)


class CompareTotalsSerializer(serializers.Serializer):
    before = PlanRangeSerializer(many=True)
    after = PlanRangeSerializer(many=True)
    delta = PlanRangeSerializer(many=True)


class CompareSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["designs", "phases"])
    base = CompareSideSerializer()
    target = CompareSideSerializer()
    columns = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    changes = CompareChangeSerializer(many=True)
    departments = CompareDepartmentSerializer(many=True)
    totals = CompareTotalsSerializer()
