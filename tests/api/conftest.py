import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.services import membership_set
from tests.benchmarks.synthetic import bulk_design as build_design
from tests.factories import UserFactory, department_path, role_chain


def client_for(user=None) -> APIClient:
    """An API client signed in with `user`'s token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(user):
    """The owner of `organization`, by token."""
    return client_for(user)


@pytest.fixture
def member_client(organization):
    """member_client("editor") → a client of a fresh user with that role in `organization`."""

    def make(role: str) -> APIClient:
        member = UserFactory()
        membership_set(organization=organization, user=member, role=role)
        return client_for(member)

    return make


@pytest.fixture
def design(organization):
    """A small design in `organization`: 运营中心 > 客服部 with CEO > 客服主管 > 客服专员."""
    service = department_path(organization, "运营中心 > 客服部")
    clerk = role_chain(organization, service, "CEO > 客服主管 > 客服专员")
    organization.refresh_from_db()
    return {
        "organization": organization,
        "center": service.parent,
        "service": service,
        "clerk": clerk,
        "lead": clerk.reports_to,
        "ceo": clerk.reports_to.reports_to,
    }


@pytest.fixture
def foreign_design(other_user):
    """A design of another organization, owned by `other_user`; `user` cannot see it."""
    return build_design(roles=3, owner=other_user, slug="foreign")
