"""The registry of health checks: every check is one function, run in the listed order, and the
limits form is offered to those who may change the limits."""

from departments.models import Organization
from departments.services import membership_set
from roles.planning import health_checks
from roles.planning.data import plan_data
from roles.planning.health import HEALTH_CHECKS, may_change_limits, organization_health
from tests.factories import UserFactory


def test_each_check_is_one_function_of_the_plan_data(organization, make_role):
    manager = make_role("物流部", "物流经理", [(1, 1)] * 3)
    clerk = make_role("物流部", "库管", [(1, 1)] * 3, reports_to=manager, lines=False)
    organization = Organization.objects.get(pk=organization.pk)
    data = plan_data(organization)
    assert [f.node_id for f in health_checks.single_report(data)] == [manager.pk]
    assert [f.node_id for f in health_checks.role_without_duties(data)] == [clerk.pk]
    assert [f.node_id for f in health_checks.role_without_requirements(data)] == [clerk.pk]
    assert health_checks.span_of_control(data) == [] and health_checks.layers(data) == []
    registered = {check.code: check.find for check in HEALTH_CHECKS}
    assert registered["single_report"] is health_checks.single_report
    assert registered["role_without_duties"] is health_checks.role_without_duties
    assert len(registered) == len(HEALTH_CHECKS) == 10  # codes are unique


def test_the_report_runs_the_registered_checks_in_order(organization, make_role):
    make_role("运营部", "文案", [(1, 1)] * 3, lines=False)
    organization = Organization.objects.get(pk=organization.pk)
    data = plan_data(organization)
    report = organization_health(organization, data)
    assert [check.code for check in report.checks] == [check.code for check in HEALTH_CHECKS]
    for check, result in zip(HEALTH_CHECKS, report.checks, strict=True):
        assert result.findings == (check.find(data) if result.applies else []), check.code
    assert report.warnings == 2  # no duties, no requirements


def test_explanations_name_the_organizations_own_limits(organization):
    organization.span_of_control_limit, organization.layer_limit = 7, 3
    report = organization_health(organization)
    explanations = {check.code: check.explanation for check in report.checks}
    assert "7" in explanations["span_of_control"] and "3" in explanations["layers"]
    assert "%(" not in "".join(explanations.values())


def test_only_editors_and_owners_of_a_design_may_change_the_limits(
    user, organization, loaded_templates
):
    editor, viewer = UserFactory(username="editor"), UserFactory(username="viewer")
    membership_set(organization=organization, user=editor, role="editor")
    membership_set(organization=organization, user=viewer, role="viewer")
    assert may_change_limits(user, organization) and may_change_limits(editor, organization)
    assert not may_change_limits(viewer, organization)
    assert not may_change_limits(UserFactory(username="stranger"), organization)
    template = Organization.objects.filter(is_template=True).first()
    assert not may_change_limits(user, template)
