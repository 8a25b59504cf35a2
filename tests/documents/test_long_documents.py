"""Long texts wrap, long lists break across pages between their lines, and every page of a long
job description carries the running header and page number."""

import pytest
from django.urls import reverse

from teamorg.limits import LINES_PER_ROLE
from tests.documents.support import pdf_pages, squash
from tests.factories import DepartmentFactory, RoleFactory

pytestmark = pytest.mark.django_db

LONG_WORD = "SKU-" + "0123456789" * 30  # no space to break at


@pytest.fixture
def long_role(organization):
    department = DepartmentFactory(organization=organization, name_zh="客服部")
    duties = [
        {
            "text_zh": f"第{n}条职责："
            + "负责处理顾客的售前咨询与售后问题，并按时记录在工作报表中。" * 3
        }
        # As many as a role may have (teamorg.limits), the long word included.
        for n in range(1, LINES_PER_ROLE)
    ]
    duties.append({"text_zh": LONG_WORD})
    return RoleFactory(department=department, title_zh="资深客服", duties=duties)


def _pdf_pages(client, user, role):
    client.force_login(user)
    url = reverse("roles:role-jd-pdf", args=[role.organization.slug, role.pk])
    response = client.get(url)
    assert response.status_code == 200
    return pdf_pages(response.content)


def test_a_long_list_of_duties_runs_over_several_pages_without_splitting_a_duty(
    client, user, long_role
):
    pages = _pdf_pages(client, user, long_role)

    assert len(pages) >= 3
    squashed = [squash(text) for text in pages]
    for duty in long_role.duties.all():
        # Each duty is whole on one page (break-inside: avoid).
        assert any(squash(duty.text_zh) in text for text in squashed), duty.order


def test_every_page_has_the_running_header_and_its_number(client, user, long_role):
    pages = _pdf_pages(client, user, long_role)

    for number, text in enumerate(pages, start=1):
        assert "测试电商" in text and "资深客服" in text, number
        assert f"{number} / {len(pages)}" in text


def test_a_word_longer_than_the_line_wraps_instead_of_being_cut(client, user, long_role):
    pages = _pdf_pages(client, user, long_role)

    page = next(text for text in pages if "SKU-" in text)
    lines = [line for line in page.splitlines() if "0123456789" in line]
    assert len(lines) >= 2  # wrapped onto several lines …
    assert LONG_WORD in squash("".join(lines))  # … and nothing lost
