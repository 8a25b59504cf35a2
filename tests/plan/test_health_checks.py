"""Each health check, firing and not firing."""

from departments import services as department_services
from departments.models import BusinessModel, Organization
from roles import services as role_services
from roles.planning.health import organization_health
from tests.factories import department_path


def findings(organization, code: str) -> list:
    organization = Organization.objects.get(pk=organization.pk)
    report = organization_health(organization)
    (check,) = [c for c in report.checks if c.code == code]
    return check.findings


def test_span_of_control_counts_people_and_fires_above_the_limit(organization, make_role):
    manager = make_role("客服部", "客服主管", [(1, 1), (1, 1), (1, 1)])
    make_role("客服部", "客服专员", [(4, 6), (8, 10), (12, 12)], reports_to=manager)
    assert findings(organization, "span_of_control") == []  # 12 is within the default 12
    make_role("客服部", "售后专员", [(0, 0), (0, 0), (1, 1)], reports_to=manager)
    (finding,) = findings(organization, "span_of_control")
    assert finding.node_id == manager.pk and "13" in finding.message
    # Two supervisors share the 13 people: 7 each.
    role_services.role_set_headcount(
        role=manager, phase=manager.organization.phases.get(order=3), min_count=2, max_count=2
    )
    assert findings(organization, "span_of_control") == []


def test_span_limit_is_the_organizations_own(organization, make_role):
    manager = make_role("运营部", "运营经理", [(1, 1), (1, 1), (1, 1)])
    make_role("运营部", "运营专员", [(2, 3), (3, 4), (4, 5)], reports_to=manager)
    assert findings(organization, "span_of_control") == []
    department_services.organization_update(organization=organization, span_of_control_limit=4)
    (finding,) = findings(organization, "span_of_control")
    assert "5" in finding.message and "4" in finding.message


def test_single_report_fires_for_a_manager_of_one_person_only(organization, make_role):
    manager = make_role("物流部", "物流经理", [(1, 1), (1, 1), (1, 1)])
    make_role("物流部", "库管", [(1, 1), (1, 1), (1, 1)], reports_to=manager)
    (finding,) = findings(organization, "single_report")
    assert finding.node_id == manager.pk and "库管" in finding.message
    make_role("物流部", "打包员", [(0, 0), (1, 2), (2, 3)], reports_to=manager)
    assert findings(organization, "single_report") == []


def test_single_report_does_not_fire_when_that_role_holds_several_people(organization, make_role):
    manager = make_role("客服部", "客服主管", [(1, 1), (1, 1), (1, 1)])
    make_role("客服部", "客服专员", [(1, 1), (2, 3), (4, 5)], reports_to=manager)
    assert findings(organization, "single_report") == []


def test_layers_fire_above_the_layer_limit(organization, make_role):
    boss = make_role("总经办", "总经理", [(1, 1)] * 3)
    node = boss
    for title in ("运营总监", "运营经理", "运营主管", "运营组长"):
        node = make_role("运营部", title, [(1, 1)] * 3, reports_to=node)
    assert findings(organization, "layers") == []  # exactly 5 layers
    deepest = make_role("运营部", "运营专员", [(1, 2)] * 3, reports_to=node)
    (finding,) = findings(organization, "layers")
    assert finding.node_id == deepest.pk
    assert "总经理 > 运营总监 > 运营经理 > 运营主管 > 运营组长 > 运营专员" in finding.message
    department_services.organization_update(organization=organization, layer_limit=6)
    assert findings(organization, "layers") == []


def test_roles_without_duties_or_requirements(organization, make_role):
    complete = make_role("运营部", "运营", [(1, 1)] * 3)
    bare = make_role("运营部", "文案", [(1, 1)] * 3, lines=False)
    only_duties = make_role(
        "运营部", "推广", [(1, 1)] * 3, lines=False, duties=[{"text_zh": "推广", "text_en": "x"}]
    )
    no_duties = {f.node_id for f in findings(organization, "role_without_duties")}
    no_requirements = {f.node_id for f in findings(organization, "role_without_requirements")}
    assert no_duties == {bare.pk}
    assert no_requirements == {bare.pk, only_duties.pk}
    assert complete.pk not in no_duties | no_requirements


def test_departments_with_no_roles(organization, make_role):
    make_role("运营中心 > 客服部", "客服", [(1, 1)] * 3)
    empty = department_path(organization, "仓储部")
    result = {f.node_id: f for f in findings(organization, "department_without_roles")}
    assert set(result) == {empty.pk, department_path(organization, "运营中心").pk}
    assert result[empty.pk].severity == "warning"
    # 运营中心 is staffed through its sub-department: only a hint that nobody heads it.
    assert result[department_path(organization, "运营中心").pk].severity == "info"
    make_role("仓储部", "仓管", [(1, 1)] * 3)
    make_role("运营中心", "运营总监", [(1, 1)] * 3)
    assert findings(organization, "department_without_roles") == []


def test_roles_with_zero_head_count_in_every_phase(organization, make_role):
    zero = make_role("运营部", "数据分析", [(0, 0), (0, 0), (0, 0)])
    unplanned = make_role("运营部", "策划", [])
    make_role("运营部", "运营", [(0, 0), (0, 0), (0, 1)])
    result = {f.node_id for f in findings(organization, "role_without_headcount")}
    assert result == {zero.pk, unplanned.pk}


def test_roles_combined_in_one_person(organization, make_role):
    manager = make_role("运营部", "店长", [(1, 1)] * 3)
    assert findings(organization, "combined_roles") == []
    make_role("运营部", "推广", [(0, 0), (1, 1), (1, 1)], combinable_with=[manager])
    (finding,) = findings(organization, "combined_roles")
    assert "店长" in finding.message and "推广" in finding.message


def test_total_against_the_seed_guideline_of_the_business_model(organization, make_role):
    department_services.organization_update(
        organization=organization, business_model=BusinessModel.STARTUP
    )
    role = make_role("运营部", "运营", [(3, 4), (8, 10), (14, 16)])
    assert findings(organization, "headcount_guideline") == []  # ~4 at first, ~16 complete
    phases = list(organization.phases.order_by("order"))
    role_services.role_set_headcount(role=role, phase=phases[0], min_count=30, max_count=40)
    role_services.role_set_headcount(role=role, phase=phases[2], min_count=2, max_count=3)
    result = findings(organization, "headcount_guideline")
    assert len(result) == 2
    assert "30–40" in result[0].message and "2–3" in result[1].message


def test_guideline_check_does_not_apply_to_custom_designs(organization, make_role):
    make_role("运营部", "运营", [(300, 400)] * 3)
    report = organization_health(Organization.objects.get(pk=organization.pk))
    (check,) = [c for c in report.checks if c.code == "headcount_guideline"]
    assert check.applies is False and check.findings == []


def test_every_template_is_within_its_own_guideline(loaded_templates):
    for organization in Organization.objects.filter(is_template=True):
        assert findings(organization, "headcount_guideline") == [], organization.slug
