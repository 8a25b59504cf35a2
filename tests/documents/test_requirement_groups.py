"""A job description lists what a candidate must bring (Required, 任职要求) apart from what is
nice to have (Preferred, 优先条件), each grouped by kind: on the page, in both versions, and in
the PDF."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from roles.services import role_update
from tests.documents.support import pdf_text, sample_design, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(organization):
    role = sample_design(organization).supervisor
    return role_update(
        role=role,
        requirements=[
            {"kind": "education", "text_zh": "大专及以上学历", "text_en": "College degree"},
            {
                "kind": "education",
                "text_zh": "营销相关专业优先",
                "text_en": "Marketing majors preferred",
                "preferred": True,
            },
            {"kind": "experience", "text_zh": "两年以上客服经验", "text_en": "2+ years in service"},
            {
                "kind": "experience",
                "text_zh": "有淘宝经验者优先",
                "text_en": "Taobao experience preferred",
                "preferred": True,
            },
        ],
    )


def sections(page: str) -> dict[str, str]:
    found = re.findall(
        r'<section class="document-section requirements-(\w+)">(.*?)</section>', page, re.S
    )
    return dict(found)


def page_of(client, user, role, **params) -> str:
    client.force_login(user)
    url = reverse("roles:role-detail", args=[role.organization.slug, role.pk])
    response = client.get(url, {"lang": "en", **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("version", ["internal", "candidate"])
def test_required_then_preferred_each_by_kind(client, user, supervisor, version):
    page = page_of(client, user, supervisor, version=version)
    found = sections(page)
    assert list(found) == ["required", "preferred"]
    assert "<h2>Required</h2>" in found["required"]
    assert "<h2>Preferred</h2>" in found["preferred"]
    for text in ("College degree", "2+ years in service"):
        assert text in found["required"] and text not in found["preferred"]
    for text in ("Marketing majors preferred", "Taobao experience preferred"):
        assert text in found["preferred"] and text not in found["required"]
    # within each, the kinds in their fixed order
    for html in found.values():
        assert html.index('scope="row">Education') < html.index('scope="row">Experience')


def test_a_role_without_preferred_lines_has_no_such_section(client, user, organization):
    role = sample_design(organization).supervisor
    found = sections(page_of(client, user, role))
    assert list(found) == ["required"]


def test_the_pdf_prints_both_groups(client, user, supervisor):
    client.force_login(user)
    url = reverse("roles:role-jd-pdf", args=[supervisor.organization.slug, supervisor.pk])
    with translation.override("en"):
        text = squash(pdf_text(client.get(url, {"lang": "en"}).content))
    assert text.index("Required") < text.index("Collegedegree") < text.index("Preferred")
    assert text.index("Preferred") < text.index("Marketingmajorspreferred")
