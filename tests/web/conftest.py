import pytest
from django.test import Client

from roles import services as role_services
from tests.factories import department_path, role_chain


@pytest.fixture
def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def htmx(user) -> Client:
    """A signed-in client whose requests look like htmx's."""
    client = Client(headers={"HX-Request": "true"})
    client.force_login(user)
    return client


@pytest.fixture
def design(organization):
    """运营中心 > 客服部 with CEO > 运营总监 > 客服主管 and a second director."""
    operations = department_path(organization, "运营中心")
    service = department_path(organization, "运营中心 > 客服部")
    supervisor = role_chain(organization, operations, "CEO > 运营总监")
    cs_lead = role_services.role_create(
        organization=organization,
        department=service,
        reports_to=supervisor,
        title_zh="客服主管",
        title_en="Customer Service Lead",
    )
    ceo = supervisor.reports_to
    marketing = role_services.role_create(
        organization=organization,
        department=operations,
        reports_to=ceo,
        title_zh="市场总监",
        title_en="Marketing Director",
    )
    organization.refresh_from_db()
    return {
        "organization": organization,
        "operations": operations,
        "service": service,
        "ceo": ceo,
        "director": supervisor,
        "cs_lead": cs_lead,
        "marketing": marketing,
    }


def revision_of(organization) -> int:
    organization.refresh_from_db()
    return organization.revision
