"""The admin shows where a template's content comes from as it does for roles and their lines:
a department's function lines each with its origin (shown, not edited: the services keep them in
step with the texts), a phase's origin and source note in the organization's phase rows, a
requirement's preferred mark in the role's requirement rows."""

import pytest
from django.conf import settings
from django.urls import reverse

from departments.models import Department, Organization
from roles.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_templates_origins_are_shown(admin_client, loaded_templates):
    template = Organization.objects.get(slug="cross-border")
    rnd = Department.objects.get(organization=template, code="rnd")
    page = admin_client.get(
        reverse("admin:departments_department_change", args=[rnd.pk])
    ).content.decode()
    assert "Origin of each function line" in page
    first_line = rnd.function_lines[0]
    assert f"{first_line} · Filled in by TeamOrg where the articles are silent" in page
    assert 'name="functions_origin"' not in page

    page = admin_client.get(
        reverse("admin:departments_organization_change", args=[template.pk])
    ).content.decode()
    phase = template.phases.order_by("order").first()
    assert "Source note" in page and phase.source_note in page

    direct = Organization.objects.get(slug="direct-sales")
    agent = Role.objects.get(organization=direct, code="order-seat-rep")
    page = admin_client.get(reverse("admin:roles_role_change", args=[agent.pk])).content.decode()
    assert '<th class="column-preferred' in page
