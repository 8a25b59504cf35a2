import pytest

from departments.models import Department
from roles.models import Role
from teamorg.trees import tree_integrity_errors
from tests.benchmarks.synthetic import bulk_design

pytestmark = pytest.mark.django_db


def test_synthetic_designs_have_sound_trees(user):
    organization = bulk_design(roles=120, owner=user)
    assert organization.roles.count() == 120
    assert organization.departments.count() == 12
    assert tree_integrity_errors(Department) == []
    assert tree_integrity_errors(Role) == []
    root = organization.roles.get(code="role-0")
    assert root.get_descendant_count() == 119
    assert [r.code for r in root.get_children()] == [f"role-{i}" for i in range(1, 9)]
