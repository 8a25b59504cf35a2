"""History lines for issue 20's fields: a requirement marked preferred (优先) or required again
reads as such, not as an unchanged line; a department's function lines' origins, which change
with the texts, add no line of their own."""

import pytest
from django.test import Client

from departments import services as department_services
from roles import services as role_services
from roles.services.role_lines import LineRow
from tests.history.test_change_lines import latest, lines_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_requirement_marked_preferred_and_back(browser, organization):
    unit = department_services.department_create(organization=organization, name_zh="客服部")
    agent = role_services.role_create(
        organization=organization,
        department=unit,
        title_zh="客服代表",
        title_en="Agent",
        requirements=[
            {"kind": "experience", "text_zh": "有淘宝经验者优先", "text_en": "Taobao experience"}
        ],
    )
    (line,) = agent.requirements.all()
    row = LineRow(line.pk, line.text_zh, line.text_en, "experience", True)
    role_services.role_replace_lines(role=agent, lines_by_kind={"requirements": [row]})
    assert lines_of(browser, organization, latest(organization)) == [
        "Agent: requirement marked preferred: Taobao experience"
    ]
    (line,) = agent.requirements.all()
    row = LineRow(line.pk, line.text_zh, line.text_en, "experience", False)
    role_services.role_replace_lines(role=agent, lines_by_kind={"requirements": [row]})
    assert lines_of(browser, organization, latest(organization)) == [
        "Agent: requirement marked required: Taobao experience"
    ]


def test_function_line_origins_follow_the_text_silently(browser, organization):
    unit = department_services.department_create(
        organization=organization, name_zh="客服部", name_en="Service", functions_zh="售前咨询"
    )
    department_services.department_update(department=unit, functions_zh="售前咨询\n售后服务")
    assert lines_of(browser, organization, latest(organization)) == [
        "changed the functions of Service"
    ]
