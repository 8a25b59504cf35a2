"""The API refuses what the editor and the admin refuse, with the same limits
(`teamorg.limits`): a 400 naming the field, never a 500, nothing written."""

import pytest

from roles.models import Role
from roles.services import roles
from tests.factories import department_path, role_chain
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(organization):
    return role_chain(organization, department_path(organization, "客服部"), "客服主管")


def _patch(api, role, body):
    before = database_snapshot()
    response = api.patch(
        f"/api/v1/roles/{role.pk}/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert database_snapshot() == before
    return response.json()


def _errors(body: dict, field: str) -> str:
    return " ".join(item["message"] for item in body["errors"].get(field, []))


def test_a_head_count_of_3000000000_is_a_400(api, organization, role):
    phase = organization.phases.first()
    body = _patch(api, role, {"headcount": [{"phase": phase.pk, "min": 1, "max": 3000000000}]})
    assert "100000" in str(body)


def test_an_800000_character_summary_is_a_400(api, role):
    body = _patch(api, role, {"summary_en": "x" * 800_000})
    assert "10000" in _errors(body, "summary_en")
    body = _patch(api, role, {"summary": "x" * 800_000})
    assert "10000" in _errors(body, "summary")


def test_more_lines_than_allowed_are_a_400(api, role):
    body = _patch(api, role, {"duties": [f"Duty {n}" for n in range(51)]})
    assert "50" in str(body)


def test_a_role_past_the_organization_limit_is_a_400(api, organization, role, monkeypatch):
    monkeypatch.setattr(roles, "ROLES_PER_ORGANIZATION", 1)
    before = database_snapshot()
    response = api.post(
        "/api/v1/roles/",
        {"organization": "acme", "department": role.department_id, "title": "客服专员"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert _errors(response.json(), "organization") == ("An organization can have at most 1 roles.")
    assert database_snapshot() == before
    assert Role.objects.filter(organization=organization).count() == 1
