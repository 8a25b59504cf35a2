"""Department names are unique per parent (in each language, ignoring case and spaces); the
refusal names the clash and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from departments.models import Department
from departments.services import department_create, department_move, department_update
from tests.factories import OrganizationFactory, department_path
from tests.snapshots import database_snapshot


def _code(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_a_second_department_of_the_same_name_under_one_parent_is_refused(organization):
    operations = department_path(organization, "运营中心")
    department_create(organization=organization, parent=operations, name_zh="客服部")
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        department_create(organization=organization, parent=operations, name_zh=" 客服部 ")
    assert _code(refused.value) == {"name_zh": ["duplicate_name"]}
    assert "运营中心" in str(refused.value)
    assert database_snapshot() == before


def test_english_names_clash_ignoring_case(organization):
    department_create(organization=organization, name_zh="运营部", name_en="Operations")
    with pytest.raises(ValidationError) as refused:
        department_create(organization=organization, name_zh="运营二部", name_en="operations")
    assert _code(refused.value) == {"name_en": ["duplicate_name"]}


def test_the_same_name_under_different_parents_is_fine(organization):
    first = department_path(organization, "华东区")
    second = department_path(organization, "华南区")
    department_create(organization=organization, parent=first, name_zh="客服部")
    department_create(organization=organization, parent=second, name_zh="客服部")
    assert Department.objects.filter(organization=organization, name_zh="客服部").count() == 2


def test_renaming_onto_a_sibling_is_refused_and_keeping_its_own_name_is_not(organization):
    department_create(organization=organization, name_zh="市场部")
    service = department_create(organization=organization, name_zh="客服部")
    department_update(department=service, name_zh="客服部", name_en="Service")  # its own name
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        department_update(department=service, name_zh="市场部")
    assert _code(refused.value) == {"name_zh": ["duplicate_name"]}
    assert database_snapshot() == before


def test_moving_under_a_parent_with_a_same_named_child_is_refused(organization):
    east = department_path(organization, "华东区 > 客服部")
    south = department_path(organization, "华南区")
    south_service = department_create(organization=organization, parent=south, name_zh="客服部")
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        department_move(department=south_service, target=east, position="right")
    assert _code(refused.value) == {"name_zh": ["duplicate_name"]}
    assert database_snapshot() == before
    # Reordering among its own siblings is not a clash.
    other = department_create(organization=organization, parent=south, name_zh="仓储部")
    department_move(department=south_service, target=other, position="right")


def test_another_organization_may_use_the_same_names(organization):
    department_create(organization=organization, name_zh="运营部")
    department_create(organization=OrganizationFactory(), name_zh="运营部")
