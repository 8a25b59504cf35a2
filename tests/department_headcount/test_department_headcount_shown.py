"""A department's head count (部门定编) is shown beside the sum of its roles in the plan page,
the department chart's boxes and the department charter (issue 20)."""

import pytest
from django.urls import reverse
from django.utils import translation

from departments.services import department_set_headcount
from roles import charts
from roles import services as role_services
from tests.factories import department_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchandising(organization):
    launch, growth, _mature = organization.phases.order_by("order")
    department = department_path(organization, "商品部")
    for title, low in (("平面美工", 1), ("文案策划员", 2), ("拍照", 1), ("信息内容维护专员", 1)):
        role_services.role_create(
            organization=organization,
            department=department,
            title_zh=title,
            title_en=title,
            headcount=[{"phase": launch.pk, "min": low, "max": low}],
        )
    department_set_headcount(
        department=department,
        headcount=[{"phase": launch.pk, "min": 3}, {"phase": growth.pk, "min": 8, "max": 10}],
    )
    return department


def test_the_plan_page_shows_both_numbers(client, user, organization, merchandising):
    client.force_login(user)
    page = client.get(
        reverse("plan:plan", args=[organization.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "≠ department head count 3" in page  # roles add up to 5
    assert "≠ department head count 8–10" in page  # roles add up to 0


def test_the_department_chart_shows_both_numbers(organization, merchandising):
    with translation.override("en"):
        source = charts.chart_source(organization, charts.ChartOptions(view="departments"))
        growth = organization.phases.get(order=2)
        later = charts.chart_source(
            organization, charts.ChartOptions(view="departments", phase=growth.pk)
        )
    assert "Head count 5" in source
    assert "Department head count 3 ≠ roles 5" in source
    assert "Department head count 8–10 ≠ roles 0" in later


def test_the_charter_shows_both_numbers(client, user, organization, merchandising):
    client.force_login(user)
    url = reverse("roles:department-detail", args=[organization.slug, merchandising.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Department head count" in page
    assert "3 ≠ 5" in page
    assert "8–10 ≠ 0" in page
