"""The job-description page: every section of the issue, and nothing printed empty."""

import pytest
from django.urls import reverse

from tests.documents.support import sample_design
from tests.factories import OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(organization):
    return sample_design(organization)


def _page(client, user, role, **params):
    client.force_login(user)
    url = reverse("roles:role-detail", args=[role.organization.slug, role.pk])
    return client.get(url, params)


def test_shows_every_section_of_a_fully_described_role(client, user, sample):
    response = _page(client, user, sample.supervisor, lang="en")

    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Customer Service Supervisor",  # title
        "Customer Service",  # department
        "Operations Director",  # reports to
        "Pre-sales Agent",  # direct report
        "Supervisor",  # level
        "Full-time",  # employment type
        "No. 3 to hire",  # hiring priority
        "Leads the service team",  # summary
        "Set service rules and plans",
        "Train and coach the agents",
        "Resolve disputes and returns",
        "Education",
        "College degree",
        "Experience",
        "2+ years in service",
        "Skills",
        "Inquiry conversion rate",  # KPI
        "Base + bonus",  # pay structure
        "6,000–9,000 CNY per month",  # salary band
        "Quarterly bonus by satisfaction score",
        "May be combined with",
        "Promotion Specialist",
    ]:
        assert text in page, text
    # Head count per phase: the phase names and the ranges.
    assert "Launch" in page and "Growth" in page and "Maturity" in page
    assert "1–2" in page


def test_requirements_are_grouped_by_kind_in_a_fixed_order(client, user, sample):
    page = _page(client, user, sample.supervisor, lang="en").content.decode()

    labels = ('scope="row">Education', 'scope="row">Experience', 'scope="row">Skills')
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    assert positions[0] < page.index("College degree") < positions[1]
    assert positions[1] < page.index("2+ years in service") < positions[2]


def test_leaves_out_empty_sections(client, user, sample):
    page = _page(client, user, sample.promoter, lang="en").content.decode()

    assert "Promotion Specialist" in page
    for heading in ["Duties", "Required", "Preferred", "Key performance indicators",
                    "Pay structure", "Head count per phase", "Direct reports",
                    "Hiring priority"]:  # fmt: skip
        assert heading not in page, heading
    assert "May be combined with" in page  # combinable is symmetrical: the supervisor


def test_chinese_by_default(client, user, sample):
    page = _page(client, user, sample.supervisor).content.decode()

    assert "客服主管" in page and "客服部" in page and "制定客服管理制度和工作规划" in page
    assert "Customer Service Supervisor" not in page


def test_links_to_the_pdf_and_to_related_roles(client, user, sample):
    page = _page(client, user, sample.supervisor).content.decode()

    slug = sample.organization.slug
    assert reverse("roles:role-jd-pdf", args=[slug, sample.supervisor.pk]) in page
    assert reverse("roles:role-detail", args=[slug, sample.director.pk]) in page
    assert reverse("roles:department-detail", args=[slug, sample.service.pk]) in page


def test_a_role_of_another_organization_is_not_found(client, user, sample):
    foreign = RoleFactory(department__organization=OrganizationFactory(), title_zh="别家岗位")
    client.force_login(user)

    url = reverse("roles:role-detail", args=[sample.organization.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_an_organization_the_user_cannot_see_is_not_found(client, other_user, sample):
    assert _page(client, other_user, sample.supervisor).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, sample):
    url = reverse("roles:role-detail", args=[sample.organization.slug, sample.supervisor.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert "next=" in response["Location"]
