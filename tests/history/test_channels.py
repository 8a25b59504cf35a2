"""Every channel's writes are recorded with who made them and where: the editor, the API, the
admin, a command; the admin's history link opens the design's history."""

import pytest
from django.urls import reverse

from departments.models import Channel, Revision
from roles import services as role_services
from roles.models import Role
from tests.api.conftest import client_for
from tests.departments.test_admin_writes import form_data, single
from tests.factories import UserFactory, department_path

pytestmark = pytest.mark.django_db


def latest(organization) -> Revision:
    return Revision.objects.filter(organization=organization).order_by("-number").first()


def test_an_admin_save_is_recorded_as_the_admin_user_through_the_admin(client, organization):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    role = role_services.role_create(
        organization=organization,
        department=department_path(organization, "客服部"),
        title_zh="客服专员",
    )
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = form_data(client, url)
    data["title_zh"] = ["客服主管"]
    assert client.post(url, single(data)).status_code == 302

    revision = latest(organization)
    assert (revision.channel, revision.user, revision.user_name) == (Channel.ADMIN, admin, "admin")
    assert {(c.table, c.op) for c in revision.changes.all()} >= {("roles_role", "U")}
    assert Role.objects.get(pk=role.pk).title_zh == "客服主管"

    history = client.get(reverse("admin:roles_role_history", args=[role.pk]))
    assert history.status_code == 302
    assert history["Location"] == (
        reverse("org-history", args=[organization.slug]) + f"?node=roles-{role.pk}"
    )


def test_an_api_write_is_recorded_as_the_token_user_through_the_api(organization, user):
    department = department_path(organization, "客服部")
    api = client_for()
    token = api.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": "correct horse battery staple"},
        format="json",
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    response = api.post(
        "/api/v1/departments/",
        {"organization": organization.slug, "parent": department.pk, "name_zh": "售后组"},
        format="json",
    )
    assert response.status_code == 201, response.content
    revision = latest(organization)
    assert (revision.channel, revision.user) == (Channel.API, user)
    assert [(c.table, c.op, c.new["name_zh"]) for c in revision.changes.all()] == [
        ("departments_department", "I", "售后组")
    ]


def test_a_service_called_outside_a_request_is_recorded_as_the_system(organization):
    role_services.role_create(
        organization=organization,
        department=department_path(organization, "客服部"),
        title_zh="客服专员",
    )
    revision = latest(organization)
    assert (revision.channel, revision.user, revision.user_name) == (Channel.SYSTEM, None, "")
