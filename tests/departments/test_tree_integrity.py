"""The integrity check the concurrency test relies on must itself catch broken trees."""

import pytest

from departments.models import Department
from teamorg.trees import tree_integrity_errors
from tests.factories import OrganizationFactory, department_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(organization):
    department_path(organization, "运营中心 > 客服部 > 售后组")
    department_path(organization, "运营中心 > 推广部")
    return {d.name_zh: d for d in Department.objects.filter(organization=organization)}


def test_a_tree_built_by_the_services_is_sound(tree):
    assert tree_integrity_errors(Department) == []


def test_overlapping_bounds_are_caught(tree):
    # Simulates the lost update two unlocked writers produce.
    Department.objects.filter(pk=tree["推广部"].pk).update(lft=3)
    errors = tree_integrity_errors(Department)
    assert any("permutation" in e for e in errors)


def test_a_wrong_level_is_caught(tree):
    Department.objects.filter(pk=tree["售后组"].pk).update(depth=1)
    assert any("level" in e for e in tree_integrity_errors(Department))


def test_two_roots_in_one_tree_are_caught(tree):
    Department.objects.filter(pk=tree["推广部"].pk).update(parent=None, depth=0)
    assert any("2 roots" in e for e in tree_integrity_errors(Department))


def test_a_tree_shared_by_two_organizations_is_caught(tree):
    other = department_path(OrganizationFactory(), "别家")
    Department.objects.filter(pk=other.pk).update(tree_id=tree["运营中心"].tree_id)
    errors = tree_integrity_errors(Department)
    assert any("several organizations" in e for e in errors)


def test_a_sibling_order_that_a_rebuild_would_change_is_caught(tree):
    # Swapping the bounds of two siblings keeps a permutation but nests them wrongly.
    service, promotion = tree["客服部"], tree["推广部"]
    Department.objects.filter(pk=promotion.pk).update(lft=service.lft + 1, rght=service.lft + 2)
    assert tree_integrity_errors(Department) != []
