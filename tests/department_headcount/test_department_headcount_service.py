"""A department's head count per phase (部门定编, issue 20): set, refused, recorded, cloned,
kept through a phase delete."""

import pytest
from django.core.exceptions import ValidationError

from departments.history.restore import design_restore
from departments.models import DepartmentHeadcount, Organization, RowChange
from departments.services import department_create, department_set_headcount, department_update
from roles.services import organization_clone, phase_delete_with_targets
from teamorg.limits import DEPARTMENT_HEADCOUNT_LIMIT
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def counts(department) -> dict[int, tuple[int, int]]:
    return {
        t.phase.order: (t.min_count, t.max_count)
        for t in DepartmentHeadcount.objects.filter(department=department)
    }


def snapshot(organization) -> tuple:
    organization = Organization.objects.get(pk=organization.pk)
    rows = DepartmentHeadcount.objects.filter(department__organization=organization)
    return organization.revision, sorted(rows.values_list("phase_id", "min_count", "max_count"))


def test_set_replaces_the_list_and_writes_only_what_differs(organization):
    launch, growth, mature = organization.phases.order_by("order")
    department = DepartmentFactory(organization=organization)
    department_set_headcount(
        department=department,
        headcount=[
            {"phase": launch.pk, "min": 3, "max": 3},
            {"phase": growth, "min": 8, "max": 10},
        ],
    )
    assert counts(department) == {1: (3, 3), 2: (8, 10)}
    kept = DepartmentHeadcount.objects.get(department=department, phase=launch)
    department_set_headcount(
        department=department,
        headcount=[{"phase": launch.pk, "min": 3}, {"phase": mature.pk, "min": 11, "max": 13}],
    )
    assert counts(department) == {1: (3, 3), 3: (11, 13)}
    # The unchanged phase is the same row: nothing was deleted and inserted again.
    assert DepartmentHeadcount.objects.get(department=department, phase=launch).pk == kept.pk


def test_update_and_create_take_the_head_count_with_the_fields(organization):
    launch = organization.phases.order_by("order").first()
    department = department_create(
        organization=organization,
        name_zh="客服部",
        name_en="Customer Service",
        headcount=[{"phase": launch.pk, "min": 7, "max": 7}],
    )
    assert counts(department) == {1: (7, 7)}
    before = Organization.objects.get(pk=organization.pk).revision
    department_update(
        department=department, name_en="Customer Care", headcount=[{"phase": launch.pk, "min": 6}]
    )
    assert counts(department) == {1: (6, 6)}
    # One write, one revision.
    assert Organization.objects.get(pk=organization.pk).revision == before + 1


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ({"min": 5, "max": 3}, "inverted_headcount"),
        ({"min": -1, "max": 3}, "negative_headcount"),
        ({"min": 1, "max": DEPARTMENT_HEADCOUNT_LIMIT + 1}, "headcount_too_large"),
        ({"min": "3", "max": 3}, "invalid"),
        ({"min": 1.5, "max": 3}, "invalid"),
    ],
)
def test_bad_counts_are_refused_and_nothing_changes(organization, target, code):
    launch = organization.phases.order_by("order").first()
    department = DepartmentFactory(organization=organization)
    department_set_headcount(department=department, headcount=[{"phase": launch.pk, "min": 2}])
    before = snapshot(organization)
    with pytest.raises(ValidationError) as caught:
        department_set_headcount(department=department, headcount=[{"phase": launch.pk, **target}])
    assert caught.value.error_dict["headcount"][0].code == code
    assert snapshot(organization) == before


def test_a_phase_of_another_organization_or_twice_is_refused(organization):
    foreign = DepartmentFactory().organization.phases.first()
    launch = organization.phases.order_by("order").first()
    department = DepartmentFactory(organization=organization)
    with pytest.raises(ValidationError) as caught:
        department_set_headcount(department=department, headcount=[{"phase": foreign.pk, "min": 1}])
    assert caught.value.error_dict["headcount"][0].code == "unknown_phase"
    twice = [{"phase": launch.pk, "min": 1}, {"phase": launch.pk, "min": 2}]
    with pytest.raises(ValidationError) as caught:
        department_set_headcount(department=department, headcount=twice)
    assert caught.value.error_dict["headcount"][0].code == "duplicate_phase"
    assert counts(department) == {}


def test_the_history_records_it_and_a_restore_brings_it_back(organization):
    launch = organization.phases.order_by("order").first()
    department = DepartmentFactory(organization=organization)
    department_set_headcount(department=department, headcount=[{"phase": launch.pk, "min": 3}])
    revision = Organization.objects.get(pk=organization.pk).revision
    assert RowChange.objects.filter(
        revision__organization=organization,
        revision__number=revision,
        table=DepartmentHeadcount._meta.db_table,
    ).exists()
    department_set_headcount(
        department=department, headcount=[{"phase": launch.pk, "min": 5, "max": 6}]
    )
    assert counts(department) == {1: (5, 6)}
    design_restore(organization=Organization.objects.get(pk=organization.pk), number=revision)
    assert counts(department) == {1: (3, 3)}


def test_a_clone_copies_it(organization, user):
    launch, growth, _mature = organization.phases.order_by("order")
    department = DepartmentFactory(organization=organization, code="cs")
    department_set_headcount(
        department=department,
        headcount=[{"phase": launch.pk, "min": 7}, {"phase": growth.pk, "min": 17, "max": 20}],
    )
    copy = organization_clone(source=organization, owner=user, name_zh="副本")
    copied = copy.departments.get(code="cs")
    assert counts(copied) == {1: (7, 7), 2: (17, 20)}
    # The copy's rows point at the copy's phases, not the source's.
    assert set(
        DepartmentHeadcount.objects.filter(department=copied).values_list(
            "phase__organization", flat=True
        )
    ) == {copy.pk}


def test_deleting_a_phase_moves_or_deletes_it_with_the_roles_head_count(organization):
    launch, growth, mature = organization.phases.order_by("order")
    moved = DepartmentFactory(organization=organization)
    kept = DepartmentFactory(organization=organization)
    department_set_headcount(department=moved, headcount=[{"phase": launch.pk, "min": 3}])
    department_set_headcount(
        department=kept,
        headcount=[{"phase": launch.pk, "min": 1}, {"phase": growth.pk, "min": 9}],
    )
    phase_delete_with_targets(phase=launch, targets="move", move_to=growth)
    assert counts(moved) == {2: (3, 3)}
    assert counts(kept) == {2: (9, 9)}  # its own in the target phase wins
    phase_delete_with_targets(phase=growth, targets="delete")
    assert counts(moved) == {} and counts(kept) == {}
    assert mature.pk
