import pytest
from django.core.cache import cache

from roles.services import collaboration_create, role_set_headcount, role_update
from tests.factories import department_path, role_chain


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def shop(organization):
    """A small Chinese design: 运营中心 > 客服部 / 仓储部, a reporting chain, a shared role, head
    count in the first phase and a collaboration line."""
    service = department_path(organization, "运营中心 > 客服部")
    warehouse = department_path(organization, "运营中心 > 仓储部")
    agent = role_chain(organization, service, "总经理 > 客服主管 > 客服专员")
    keeper = role_chain(organization, warehouse, "仓储主管")
    organization.refresh_from_db()
    phase = organization.phases.order_by("order").first()
    role_set_headcount(role=agent, phase=phase, min_count=8, max_count=10)
    role_set_headcount(role=keeper, phase=phase, min_count=1, max_count=1)
    role_update(role=keeper, employment_type="outsourced", hiring_priority=2)
    collaboration_create(
        organization=organization,
        from_department=service,
        to_department=warehouse,
        description_zh="退货交接",
        description_en="Returns hand-over",
    )
    organization.refresh_from_db()
    return organization
