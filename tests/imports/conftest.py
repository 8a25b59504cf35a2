import io

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.services import membership_set
from tests.factories import UserFactory, department_path, role_chain
from tests.snapshots import database_snapshot


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(user):
    return client_for(user)


@pytest.fixture
def design(organization):
    """运营中心 > 客服部 with CEO > 客服主管 > 客服专员 (all three in 客服部)."""
    service = department_path(organization, "运营中心 > 客服部")
    role_chain(organization, service, "CEO > 客服主管 > 客服专员")
    organization.refresh_from_db()
    return organization


def upload(api, slug: str, name: str, content: bytes, **fields):
    data = {"file": io.BytesIO(content), **fields}
    data["file"].name = name
    return api.post(f"/api/v1/organizations/{slug}/import/", data, format="multipart")


def design_snapshot() -> dict:
    """Every row of the design's tables (tests/snapshots.py), without the import jobs: keeping
    an uploaded file and its preview is not a write to the design."""
    snapshot = database_snapshot()
    snapshot.pop("roles.ImportJob", None)
    return snapshot


@pytest.fixture
def client_for_user():
    """client_for_user(organization, role) → a client of a fresh member with that role;
    client_for_user(None, None, user) → a client of `user`."""

    def make(organization, role, user=None):
        if user is None:
            user = UserFactory()
            membership_set(organization=organization, user=user, role=role)
        return client_for(user)

    return make
