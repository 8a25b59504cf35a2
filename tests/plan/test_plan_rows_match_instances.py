"""The plan reads its design as light rows (`organization_outline(..., with_plan=True)`), not
as model instances (issue 21). Every number, name and finding must come out as it did from the
model instances of `organization_design(..., with_lines=False)`, which the plan read before
and which a past revision (`roles.selectors.design_at`) still gives: the plan, its roadmap, the
health report, the plots and the download table, in both languages; and the pages, downloads
and API answers made from them, byte for byte (a template reading an attribute the rows lack
would show nothing there, silently)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from departments.models import Department, Organization
from roles import services as role_services
from roles.models import HeadcountTarget, Role
from roles.planning import health, overview, plan
from roles.planning.data import PlanData, plan_data
from roles.planning.exports import plan_table
from roles.planning.health import organization_health
from roles.planning.plan import organization_plan
from roles.planning.plots import plan_svgs
from roles.planning.serializers import health_json, plan_json
from roles.selectors import organization_design
from roles.selectors.design import OutlineRole
from tests.benchmarks.synthetic import bulk_design


def _from_instances(data: PlanData) -> PlanData:
    """The same plan data, its design read as model instances."""
    return PlanData(
        design=organization_design(data.organization, with_lines=False),
        counts=data.counts,
        duty_counts=data.duty_counts,
        requirement_counts=data.requirement_counts,
        combined_pairs=data.combined_pairs,
    )


def _everything(organization: Organization, data: PlanData) -> dict:
    plan = organization_plan(organization, data)
    return {
        "plan": plan_json(plan),
        "health": health_json(organization_health(organization, data)),
        "svgs": [plan_svgs(plan, level) for level in (None, 0, 1, 2)],
        "table": plan_table(plan),
        "roadmap": [
            (
                step.number,
                step.role.pk,
                step.role.title,
                step.role.code,
                step.department.name,
                step.kind,
                step.before,
                step.after,
                step.hires,
                step.fewer,
                step.cumulative,
                [other.title for other in step.combinable],
            )
            for step in plan.roadmap
        ],  # fmt: skip
        "roles": [
            (
                row.role.pk,
                row.role.title,
                row.department.name,
                row.role.hiring_priority,
                row.salary,
                row.counts,
                row.costs,
            )
            for row in plan.roles
        ],  # fmt: skip
        "departments": [
            (
                row.department.pk,
                row.path,
                row.depth,
                row.own,
                row.total,
                row.cost,
                row.role_count,
                row.subtree_role_count,
            )
            for row in plan.departments
        ],  # fmt: skip
        "unpriced": [role.pk for role in plan.unpriced_roles],
        "totals": (plan.totals, plan.costs, plan.unpriced, plan.staffed),
    }


def _varied(user) -> Organization:
    """A synthetic design with what the plan treats specially: roles without a salary band or
    with one end of it, without hiring priority, of other levels, with no or zero head count,
    with no English title, key positions, deep reporting lines and combinable pairs."""
    organization = bulk_design(roles=120, owner=user, fan_out=2)
    roles = list(Role.objects.filter(organization=organization).order_by("pk"))
    ids = [role.pk for role in roles]
    Role.objects.filter(pk__in=ids[::7]).update(salary_min=None, salary_max=None)
    Role.objects.filter(pk__in=ids[1::11]).update(salary_max=None)
    Role.objects.filter(pk__in=ids[2::13]).update(salary_min=None, salary_max=12000)
    Role.objects.filter(pk__in=ids[::5]).update(hiring_priority=None)
    Role.objects.filter(pk__in=ids[3::6]).update(level="manager")
    Role.objects.filter(pk__in=ids[4::9]).update(level="assistant", title_en="")
    Role.objects.filter(pk__in=ids[::4]).update(key_position=True)
    HeadcountTarget.objects.filter(role_id__in=ids[5::8]).delete()
    HeadcountTarget.objects.filter(role_id__in=ids[6::10]).update(min_count=0, max_count=0)
    HeadcountTarget.objects.filter(role_id__in=ids[7::12]).update(min_count=4, max_count=30)
    departments = Department.objects.filter(organization=organization).order_by("pk")
    Department.objects.filter(pk__in=[d.pk for d in departments][::3]).update(name_en="")
    Role.combinable_with.through.objects.bulk_create(
        (
            Role.combinable_with.through(from_role_id=left, to_role_id=right)
            for a, b in zip(ids[10:60:5], ids[11:61:5], strict=True)
            for left, right in ((a, b), (b, a))
        ),
        ignore_conflicts=True,
    )
    return Organization.objects.get(pk=organization.pk)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_plan_from_rows_is_the_plan_from_model_instances(user, loaded_templates, language):
    template = Organization.objects.get(slug="cross-border", is_template=True)
    copy = role_services.organization_clone(source=template, owner=user, name_zh="跨境副本")
    with translation.override(language):
        for organization in (_varied(user), Organization.objects.get(pk=copy.pk)):
            data = plan_data(organization)
            assert isinstance(data.design.roles[0], OutlineRole)  # rows, not instances
            rows = _everything(organization, data)
            instances = _everything(organization, _from_instances(data))
            assert rows["roadmap"] and rows["roles"] and rows["health"]["checks"]
            for key in rows:
                assert rows[key] == instances[key], (organization.slug, key)


def _answers(client, organization: Organization, department_id: int, language: str) -> dict:
    slug = organization.slug
    urls = {
        "plan": reverse("plan:plan", args=[slug]),
        "plan, one department, page 2": reverse("plan:plan", args=[slug])
        + f"?department={department_id}&page=2&level=2",
        "health": reverse("plan:health", args=[slug]),
        "csv": reverse("plan:plan-csv", args=[slug]),
        "api plan": reverse("plan:api-plan", args=[slug]),
        "api health": reverse("plan:api-health", args=[slug]),
    }
    answers = {}
    for name, url in urls.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        answers[name] = re.sub(rb'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]*',
                               rb"\1-", body)  # fmt: skip
    return answers


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_from_rows_are_the_pages_from_model_instances(
    client, user, monkeypatch, language
):
    organization = _varied(user)
    department_id = Department.objects.filter(organization=organization, depth=1).first().pk
    client.force_login(user)
    with translation.override(language):
        rows = _answers(client, organization, department_id, language)

        def from_instances(organization):
            return _from_instances(plan_data(organization))

        # The same views, their plan data read as model instances.
        for module in (overview, health, plan):
            monkeypatch.setattr(module, "plan_data", from_instances)
        instances = _answers(client, organization, department_id, language)
    for name in rows:
        assert rows[name] == instances[name], name
