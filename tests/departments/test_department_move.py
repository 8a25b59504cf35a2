import pytest
from django.core.exceptions import ValidationError

from departments.models import Department
from departments.services import department_move
from teamorg.trees import tree_integrity_errors
from tests.factories import OrganizationFactory, department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def names(nodes):
    return [node.name_zh for node in nodes]


def shape(organization):
    """Each department as 'parent > child' in tree order."""
    result = []
    for node in Department.objects.filter(organization=organization).order_by("tree_id", "lft"):
        result.append(f"{node.parent.name_zh} > {node.name_zh}" if node.parent else node.name_zh)
    return result


@pytest.fixture
def tree(organization):
    """运营中心 > (客服部 > 售后组), 推广部 ; 财务部"""
    department_path(organization, "运营中心 > 客服部 > 售后组")
    department_path(organization, "运营中心 > 推广部")
    department_path(organization, "财务部")
    return {d.name_zh: d for d in Department.objects.filter(organization=organization)}


def test_moves_a_department_under_another_parent(organization, tree):
    moved = department_move(department=tree["客服部"], target=tree["财务部"], position="last-child")

    assert moved.parent == tree["财务部"]
    assert shape(organization) == [
        "运营中心",
        "运营中心 > 推广部",
        "财务部",
        "财务部 > 客服部",
        "客服部 > 售后组",
    ]
    assert tree_integrity_errors(Department) == []


def test_reorders_siblings_with_left_and_right(organization, tree):
    department_move(department=tree["推广部"], target=tree["客服部"], position="left")
    assert names(Department.objects.get(pk=tree["运营中心"].pk).get_children()) == [
        "推广部",
        "客服部",
    ]

    department_move(department=tree["推广部"], target=tree["客服部"], position="right")
    assert names(Department.objects.get(pk=tree["运营中心"].pk).get_children()) == [
        "客服部",
        "推广部",
    ]
    assert tree_integrity_errors(Department) == []


def test_first_child_puts_it_first(organization, tree):
    department_move(department=tree["财务部"], target=tree["运营中心"], position="first-child")
    assert names(Department.objects.get(pk=tree["运营中心"].pk).get_children()) == [
        "财务部",
        "客服部",
        "推广部",
    ]


def test_no_target_makes_a_top_level_department_last(organization, tree):
    department_move(department=tree["售后组"], target=None)
    roots = Department.objects.filter(organization=organization, parent=None).order_by("tree_id")
    assert names(roots) == ["运营中心", "财务部", "售后组"]
    assert tree_integrity_errors(Department) == []


def test_top_level_departments_reorder_among_themselves(organization, tree):
    department_move(department=tree["财务部"], target=tree["运营中心"], position="left")
    roots = Department.objects.filter(organization=organization, parent=None).order_by("tree_id")
    assert names(roots) == ["财务部", "运营中心"]
    assert tree_integrity_errors(Department) == []


@pytest.mark.parametrize(
    ("node", "target", "position"),
    [
        ("运营中心", "运营中心", "last-child"),  # itself
        ("运营中心", "售后组", "last-child"),  # its own grandchild
        ("运营中心", "客服部", "left"),  # beside its own child is still inside itself
    ],
)
def test_a_move_into_its_own_subtree_is_refused_and_changes_nothing(tree, node, target, position):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_move(department=tree[node], target=tree[target], position=position)
    assert error.value.error_dict["parent"][0].code == "cycle"
    assert "cannot be moved under itself" in error.value.messages[0]
    assert database_snapshot() == before


def test_a_target_in_another_organization_is_refused(tree):
    elsewhere = department_path(OrganizationFactory(), "别家部门")
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_move(department=tree["客服部"], target=elsewhere)
    assert error.value.error_dict["parent"][0].code == "cross_organization"
    assert database_snapshot() == before


def test_an_unknown_position_is_refused(tree):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        department_move(department=tree["客服部"], target=tree["财务部"], position="inside")
    assert error.value.error_dict["position"][0].code == "invalid_position"
    assert database_snapshot() == before


def test_stale_instances_held_by_the_caller_do_not_corrupt_the_tree(organization, tree):
    """The service re-reads nodes under the lock instead of trusting the caller's copies."""
    stale_finance = tree["财务部"]
    department_move(department=tree["推广部"], target=tree["财务部"], position="last-child")
    department_move(department=tree["客服部"], target=stale_finance, position="last-child")
    assert tree_integrity_errors(Department) == []
    assert shape(organization)[-3:] == ["财务部 > 推广部", "财务部 > 客服部", "客服部 > 售后组"]
