"""The admin refuses what the editor and the API refuse, with the same limits: the form shows
the reason next to the field and nothing is written."""

import pytest
from django.urls import reverse

from roles import services as role_services
from tests.departments.test_admin_writes import admin_client, form_data, single  # noqa: F401
from tests.factories import department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def test_an_800000_character_summary_is_refused_in_the_admin(admin_client, organization):  # noqa: F811
    role = role_services.role_create(
        organization=organization,
        department=department_path(organization, "客服部"),
        title_zh="客服专员",
    )
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = form_data(admin_client, url)
    data["summary_en"] = ["x" * 800_000]
    before = database_snapshot()
    response = admin_client.post(url, single(data))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ensure this value has at most 10000 characters (it has 800000)." in body
    assert 'maxlength="10000"' in body
    assert database_snapshot() == before


def test_a_head_count_of_3000000000_is_refused_in_the_admin(admin_client, organization):  # noqa: F811
    role = role_services.role_create(
        organization=organization,
        department=department_path(organization, "客服部"),
        title_zh="客服专员",
    )
    phase = organization.phases.first()
    role_services.role_set_headcount(role=role, phase=phase, min_count=1, max_count=2)
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = form_data(admin_client, url)
    (max_count,) = [n for n in data if n.endswith("-max_count") and "__prefix__" not in n]
    data[max_count] = ["3000000000"]
    before = database_snapshot()
    response = admin_client.post(url, single(data))
    assert response.status_code == 200
    assert "At most must be between 0 and 100000." in response.content.decode()
    assert database_snapshot() == before
