import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from departments.models import HeadcountPhase, MemberRole
from departments.services import (
    membership_remove,
    membership_set,
    phase_create,
    phase_delete,
    phase_update,
)
from roles.models import Collaboration, HeadcountTarget
from roles.services import collaboration_create
from tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def test_members_can_be_added_and_changed(organization, other_user):
    membership = membership_set(organization=organization, user=other_user, role="viewer")
    assert membership.role == MemberRole.VIEWER
    assert (
        membership_set(organization=organization, user=other_user, role="editor").role == "editor"
    )


def test_the_last_owner_cannot_leave_or_be_demoted(organization, user):
    owner = organization.memberships.get(user=user)
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        membership_set(organization=organization, user=user, role="viewer")
    assert error.value.error_dict["role"][0].code == "last_owner"
    with pytest.raises(ValidationError):
        membership_remove(membership=owner)
    assert database_snapshot() == before


def test_an_unknown_member_role_is_refused(organization, other_user):
    with pytest.raises(ValidationError) as error:
        membership_set(organization=organization, user=other_user, role="admin")
    assert error.value.error_dict["role"][0].code == "invalid_choice"


def test_phases_are_appended_in_order_and_validated(organization):
    phase = phase_create(organization=organization, name_zh="扩张期", start_month=24, end_month=36)
    assert phase.order == 4
    before = database_snapshot()
    with pytest.raises(ValidationError):
        phase_update(phase=phase, start_month=40, end_month=36)
    with pytest.raises(ValidationError):
        phase_create(organization=organization, name_zh="", name_en="")
    assert database_snapshot() == before


def test_deleting_a_phase_deletes_its_head_count(organization):
    phase = organization.phases.first()
    RoleFactory(
        department=DepartmentFactory(organization=organization),
        headcount=[{"phase": phase.pk, "min": 1, "max": 1}],
    )
    phase_delete(phase=phase)
    assert not HeadcountPhase.objects.filter(pk=phase.pk).exists()
    assert not HeadcountTarget.objects.filter(phase_id=phase.pk).exists()


def test_collaboration_lines_link_two_departments_or_two_roles_of_one_organization(organization):
    operations = DepartmentFactory(organization=organization)
    service = DepartmentFactory(organization=organization)
    foreign = DepartmentFactory(organization=OrganizationFactory())
    line = collaboration_create(
        organization=organization,
        from_department=operations,
        to_department=service,
        description_zh="对接",
    )
    assert line.from_department == operations
    before = database_snapshot()
    for kwargs, code in [
        ({"from_department": operations, "to_department": foreign}, "cross_organization"),
        ({"from_department": operations, "to_department": operations}, "self_link"),
        ({"from_department": operations}, "invalid_endpoints"),
        (
            {
                "from_department": operations,
                "to_department": service,
                "from_role": RoleFactory(department=operations),
                "to_role": None,
            },
            "invalid_endpoints",
        ),
    ]:
        with pytest.raises(ValidationError) as error:
            collaboration_create(organization=organization, **kwargs)
        codes = (
            [e.code for errors in error.value.error_dict.values() for e in errors]
            if hasattr(error.value, "error_dict")
            else [error.value.code]
        )
        assert code in codes
    assert Collaboration.objects.filter(organization=organization).count() == 1
    assert database_snapshot()["roles.Collaboration"] == before["roles.Collaboration"]


def test_the_database_itself_refuses_inverted_or_negative_head_count(organization):
    """Constraints hold even for code that bypasses the services."""
    role = RoleFactory(department=DepartmentFactory(organization=organization))
    phase = organization.phases.first()
    for low, high in [(3, 1)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            HeadcountTarget.objects.create(role=role, phase=phase, min_count=low, max_count=high)
    with pytest.raises(IntegrityError), transaction.atomic():
        HeadcountTarget.objects.bulk_create(
            [HeadcountTarget(role=role, phase=phase, min_count=-1, max_count=2)]
        )
