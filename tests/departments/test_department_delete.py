import pytest
from django.core.exceptions import ValidationError

from departments.models import Department
from roles.models import Role
from roles.services import department_delete
from teamorg.trees import tree_integrity_errors
from tests.factories import RoleFactory, department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(organization):
    department_path(organization, "运营中心 > 客服部 > 售前组")
    department_path(organization, "运营中心 > 客服部 > 售后组")
    department_path(organization, "运营中心 > 推广部")
    return {d.name_zh: d for d in Department.objects.filter(organization=organization)}


def children_of(name, organization):
    parent = Department.objects.get(organization=organization, name_zh=name)
    return [child.name_zh for child in parent.get_children()]


def test_refuse_keeps_a_department_with_sub_departments(tree):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_delete(department=tree["客服部"], children="refuse")
    assert error.value.code == "has_children"
    assert "2" in error.value.messages[0]
    assert database_snapshot() == before


def test_lift_moves_sub_departments_into_its_place(organization, tree):
    department_delete(department=tree["客服部"], children="lift")

    assert children_of("运营中心", organization) == ["售前组", "售后组", "推广部"]
    assert not Department.objects.filter(pk=tree["客服部"].pk).exists()
    assert tree_integrity_errors(Department) == []


def test_lift_moves_its_roles_to_the_parent_department(organization, tree):
    role = RoleFactory(department=tree["推广部"])
    department_delete(department=tree["推广部"], children="lift")
    assert Role.objects.get(pk=role.pk).department == tree["运营中心"]


def test_refuse_keeps_a_department_with_roles(tree):
    RoleFactory(department=tree["推广部"])
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_delete(department=tree["推广部"], children="refuse")
    assert error.value.code == "department_has_roles"
    assert database_snapshot() == before


def test_a_top_level_department_with_roles_cannot_lift_them(tree):
    RoleFactory(department=tree["运营中心"])
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_delete(department=tree["运营中心"], children="lift")
    assert error.value.code == "department_has_roles"
    assert database_snapshot() == before


def test_lifting_the_children_of_a_top_level_department_makes_them_top_level(organization, tree):
    department_delete(department=tree["运营中心"], children="lift")
    roots = Department.objects.filter(organization=organization, parent=None).order_by("tree_id")
    assert [d.name_zh for d in roots] == ["客服部", "推广部"]
    assert tree_integrity_errors(Department) == []


def test_an_unknown_children_policy_is_refused(tree):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_delete(department=tree["推广部"], children="cascade")
    assert error.value.error_dict["children"][0].code == "invalid_choice"
    assert database_snapshot() == before


def test_a_leaf_is_deleted_with_either_policy(organization, tree):
    department_delete(department=tree["售前组"], children="refuse")
    assert children_of("客服部", organization) == ["售后组"]
