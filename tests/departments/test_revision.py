import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from departments.models import Organization
from departments.services import (
    department_create,
    department_move,
    department_update,
    organization_update,
    phase_create,
)
from roles.services import (
    collaboration_create,
    department_delete,
    role_create,
    role_delete,
    role_move,
    role_set_headcount,
    role_update,
)
from teamorg.errors import StaleRevision
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def revision(organization):
    return Organization.objects.get(pk=organization.pk).revision


def test_every_change_inside_an_organization_bumps_its_revision(organization):
    steps = [
        lambda: organization_update(organization=organization, name_en="Renamed"),
        lambda: department_create(organization=organization, name_zh="运营部", code="ops"),
        lambda: department_create(organization=organization, name_zh="客服部", code="cs"),
        lambda: department_update(department=dept("ops"), summary_zh="负责店铺运营"),
        lambda: department_move(department=dept("cs"), target=dept("ops")),
        lambda: role_create(organization=organization, department=dept("ops"), title_zh="店长"),
        lambda: role_create(
            organization=organization,
            department=dept("cs"),
            title_zh="客服",
            reports_to=organization.roles.get(title_zh="店长"),
        ),
        lambda: role_update(role=organization.roles.get(title_zh="客服"), hiring_priority=2),
        lambda: role_set_headcount(
            role=organization.roles.get(title_zh="客服"),
            phase=organization.phases.first(),
            min_count=2,
            max_count=3,
        ),
        lambda: role_move(role=organization.roles.get(title_zh="客服"), target=None),
        lambda: collaboration_create(
            organization=organization,
            from_department=dept("ops"),
            to_department=dept("cs"),
            description_zh="运营把活动交给客服",
        ),
        lambda: phase_create(organization=organization, name_zh="扩张期"),
        lambda: role_delete(role=organization.roles.get(title_zh="客服")),
        lambda: department_delete(department=dept("cs"), children="lift"),
    ]

    def dept(code):
        return organization.departments.get(code=code)

    seen = [revision(organization)]
    for step in steps:
        step()
        seen.append(revision(organization))
    assert seen == list(range(seen[0], seen[0] + len(steps) + 1))


def test_a_write_based_on_a_stale_revision_is_refused_and_changes_nothing(organization):
    # Refused when the stale write changes the same field someone changed since it was read
    # (a stale write of anything else goes through: tests/history/test_conflicts.py).
    department = department_create(organization=organization, name_zh="运营部")
    read_revision = revision(organization)
    department_update(department=department, name_zh="运营一部", expected_revision=read_revision)
    before = database_snapshot()

    with translation.override("en"), pytest.raises(StaleRevision) as error:
        department_update(
            department=department, name_zh="运营二部", expected_revision=read_revision
        )

    assert error.value.current == read_revision + 1
    assert "changed name (Chinese)" in str(error.value)
    assert database_snapshot() == before


def test_a_refused_write_does_not_bump_the_revision(organization):
    before = revision(organization)
    with pytest.raises(ValidationError):
        department_create(organization=organization, name_zh="", name_en="")
    assert revision(organization) == before
