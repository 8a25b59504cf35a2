"""A key position (优先到岗, 000's 「标红的19人最好全部到岗」): set through the API, shown in
the job description and the plan, copied by a clone (issue 20)."""

import pytest
from django.urls import reverse

from roles.models import Role
from roles.services import organization_clone
from tests.api.conftest import client_for
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def test_the_api_sets_and_reads_it(user, organization):
    role = RoleFactory(department__organization=organization)
    api = client_for(user)
    assert api.get(f"/api/v1/roles/{role.pk}/").json()["key_position"] is False
    response = api.patch(f"/api/v1/roles/{role.pk}/", {"key_position": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["key_position"] is True
    tree = api.get(f"/api/v1/organizations/{organization.slug}/tree/").json()
    assert tree["departments"][0]["roles"][0]["key_position"] is True
    assert (
        api.patch(f"/api/v1/roles/{role.pk}/", {"key_position": "maybe"}, format="json").status_code
        == 400
    )
    assert Role.objects.get(pk=role.pk).key_position


def test_the_job_description_and_the_plan_show_it(client, user, organization):
    role = RoleFactory(department__organization=organization, key_position=True)
    other = RoleFactory(department__organization=organization)
    client.force_login(user)
    page = client.get(
        reverse("roles:role-detail", args=[organization.slug, role.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Key position" in page and "to be filled first" in page
    plain = client.get(
        reverse("roles:role-detail", args=[organization.slug, other.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Key position" not in plain
    plan = client.get(
        reverse("plan:plan", args=[organization.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert plan.count('class="key-position"') == 1


def test_a_clone_keeps_it(user, organization):
    role = RoleFactory(department__organization=organization, key_position=True, code="lead")
    copy = organization_clone(source=organization, owner=user, name_zh="副本")
    assert copy.roles.get(code=role.code).key_position
