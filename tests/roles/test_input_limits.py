"""Input limits are enforced by the services, so every channel (editor, API, admin, template
loading, clone) shares them: a clear ValidationError naming the field and the limit, nothing
written. The numbers are `teamorg.limits`'; the size tests lower a limit where reaching the real
one would take thousands of writes."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from departments import services as department_services
from departments.models import Department, HeadcountPhase
from roles import services as role_services
from roles.models import Role
from roles.services import designs, roles
from teamorg import limits
from tests.factories import department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def _refused(call) -> ValidationError:
    before = database_snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    assert database_snapshot() == before
    return caught.value


def test_the_limits_keep_the_measured_sizes():
    # docs/benchmarks.md measures every page and export at 5,000 roles: the limits allow that.
    assert limits.ROLES_PER_ORGANIZATION == 5_000
    assert limits.DEPARTMENTS_PER_ORGANIZATION == 1_000
    assert limits.LINES_PER_ROLE == 50
    assert limits.HEADCOUNT_LIMIT < 2**31 // limits.ROLES_PER_ORGANIZATION


def test_an_800000_character_summary_is_refused_naming_the_field(organization):
    department = department_path(organization, "客服部")
    error = _refused(
        lambda: role_services.role_create(
            organization=organization,
            department=department,
            title_zh="客服专员",
            summary_en="x" * 800_000,
        )
    )
    (message,) = error.message_dict["summary_en"]
    assert "Summary (English)" in message and "10000" in message and "800000" in message


def test_a_summary_at_the_limit_is_taken(organization):
    department = department_path(organization, "客服部")
    role = role_services.role_create(
        organization=organization,
        department=department,
        title_zh="客服专员",
        summary_zh="字" * limits.LONG_TEXT_MAX_LENGTH,
    )
    assert len(Role.objects.get(pk=role.pk).summary_zh) == limits.LONG_TEXT_MAX_LENGTH


def test_a_head_count_of_3000000000_is_refused(organization):
    department = department_path(organization, "客服部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="客服专员"
    )
    phase = organization.phases.first()
    error = _refused(
        lambda: role_services.headcount_set(
            role=role, phase=phase, min_count=1, max_count=3_000_000_000
        )
    )
    assert error.error_dict["headcount"][0].code == "headcount_too_large"
    assert "100000" in error.message_dict["headcount"][0]


def test_a_long_line_and_too_many_lines_are_refused(organization):
    department = department_path(organization, "客服部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="客服专员"
    )
    error = _refused(
        lambda: role_services.role_update(role=role, duties=[{"text_zh": "长" * 2_001}])
    )
    assert "2000" in error.message_dict["duties"][0]
    lines = [{"text_en": f"Duty {n}"} for n in range(limits.LINES_PER_ROLE + 1)]
    error = _refused(lambda: role_services.role_update(role=role, kpis=lines))
    assert error.error_dict["kpis"][0].code == "limit_reached"
    assert "at most 50 KPIs" in error.message_dict["kpis"][0]
    role_services.role_update(role=role, kpis=lines[:-1])  # 50 is fine
    assert role.kpis.count() == limits.LINES_PER_ROLE


def test_numbers_outside_their_range_are_refused_naming_the_field(organization):
    department = department_path(organization, "客服部")
    error = _refused(
        lambda: role_services.role_create(
            organization=organization,
            department=department,
            title_zh="客服专员",
            salary_min=3_000_000_000,
            hiring_priority=40_000,
        )
    )
    assert "Monthly salary from (CNY) must be between 0 and 10000000" in str(error)
    assert "Hiring priority must be between 1 and 999" in str(error)
    phase = organization.phases.first()
    error = _refused(lambda: department_services.phase_update(phase=phase, end_month=3_000_000_000))
    assert "To month must be between 0 and 1200" in error.message_dict["end_month"][0]


def test_roles_per_organization_are_limited(organization, monkeypatch):
    monkeypatch.setattr(roles, "ROLES_PER_ORGANIZATION", 2)
    department = department_path(organization, "客服部")
    for title in ("客服一", "客服二"):
        role_services.role_create(organization=organization, department=department, title_zh=title)
    error = _refused(
        lambda: role_services.role_create(
            organization=organization, department=department, title_zh="客服三"
        )
    )
    assert error.message_dict["organization"] == ["An organization can have at most 2 roles."]
    assert error.error_dict["organization"][0].code == "limit_reached"


def test_departments_per_organization_are_limited(organization, monkeypatch):
    monkeypatch.setattr(department_services, "DEPARTMENTS_PER_ORGANIZATION", 1)
    department_path(organization, "客服部")
    error = _refused(
        lambda: department_services.department_create(organization=organization, name_zh="仓储部")
    )
    assert error.message_dict["organization"] == ["An organization can have at most 1 departments."]
    assert Department.objects.filter(organization=organization).count() == 1


def test_phases_per_organization_are_limited(organization):
    for n in range(organization.phases.count(), limits.PHASES_PER_ORGANIZATION):
        department_services.phase_create(organization=organization, name_en=f"Phase {n}")
    error = _refused(
        lambda: department_services.phase_create(organization=organization, name_en="One more")
    )
    assert "at most 20 growth phases" in error.message_dict["organization"][0]
    assert HeadcountPhase.objects.filter(organization=organization).count() == 20


def test_a_clone_larger_than_the_limits_is_refused(organization, user, monkeypatch):
    department = department_path(organization, "客服部")
    for title in ("客服一", "客服二"):
        role_services.role_create(organization=organization, department=department, title_zh=title)
    monkeypatch.setattr(designs, "ROLES_PER_ORGANIZATION", 1)
    error = _refused(lambda: role_services.organization_clone(source=organization, owner=user))
    assert error.message_dict["source"] == ["An organization can have at most 1 roles."]
    monkeypatch.setattr(designs, "ROLES_PER_ORGANIZATION", 2)
    clone = role_services.organization_clone(source=organization, owner=user)
    assert clone.roles.count() == 2
