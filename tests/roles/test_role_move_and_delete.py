import pytest
from django.core.exceptions import ValidationError

from roles.models import Duty, HeadcountTarget, Role
from roles.services import role_delete, role_move
from teamorg.trees import tree_integrity_errors
from tests.factories import DepartmentFactory, RoleFactory, role_chain
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(organization):
    """CEO > (运营总监 > 运营专员), 客服主管"""
    department = DepartmentFactory(organization=organization)
    specialist = role_chain(organization, department, "CEO > 运营总监 > 运营专员")
    ceo = specialist.reports_to.reports_to
    RoleFactory(department=department, reports_to=ceo, title_zh="客服主管")
    return {r.title_zh: r for r in Role.objects.filter(organization=organization)}


def test_changes_a_reporting_line(roles):
    role_move(role=roles["运营专员"], target=roles["客服主管"], position="last-child")
    assert Role.objects.get(pk=roles["运营专员"].pk).reports_to == roles["客服主管"]
    assert tree_integrity_errors(Role) == []


def test_no_target_makes_a_top_role(roles, organization):
    role_move(role=roles["运营专员"], target=None)
    top = Role.objects.filter(organization=organization, reports_to=None).order_by("tree_id")
    assert [r.title_zh for r in top][-1] == "运营专员"
    assert tree_integrity_errors(Role) == []


def test_a_manager_cannot_report_to_a_subordinate(roles):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_move(role=roles["运营总监"], target=roles["运营专员"], position="first-child")
    assert error.value.error_dict["reports_to"][0].code == "cycle"
    assert database_snapshot() == before


def test_a_manager_of_another_organization_is_refused(roles):
    stranger = RoleFactory()
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_move(role=roles["运营总监"], target=stranger)
    assert error.value.error_dict["reports_to"][0].code == "cross_organization"
    assert database_snapshot() == before


def test_deleting_a_manager_lifts_the_reports_to_its_own_manager(roles):
    role_delete(role=roles["运营总监"], children="lift")
    assert Role.objects.get(pk=roles["运营专员"].pk).reports_to == roles["CEO"]
    assert tree_integrity_errors(Role) == []


def test_deleting_a_manager_can_be_refused(roles):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_delete(role=roles["运营总监"], children="refuse")
    assert error.value.code == "has_children"
    assert database_snapshot() == before


def test_deleting_a_role_removes_its_own_lines_and_head_count(organization):
    role = RoleFactory(
        department=DepartmentFactory(organization=organization),
        duties=[{"text_zh": "一"}],
        headcount=[{"phase": organization.phases.first().pk, "min": 1, "max": 2}],
    )
    role_delete(role=role)
    assert not Role.objects.filter(pk=role.pk).exists()
    assert not Duty.objects.filter(role_id=role.pk).exists()
    assert not HeadcountTarget.objects.filter(role_id=role.pk).exists()
