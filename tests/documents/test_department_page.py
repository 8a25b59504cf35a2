"""The department charter page, in the seeds' format (直接上级, 下属部门, 职责概述,
岗位设置/人员编制, 工作职能) plus the collaboration lines."""

import pytest
from django.urls import reverse

from tests.documents.support import sample_design
from tests.factories import DepartmentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(organization):
    return sample_design(organization)


def _page(client, user, department, **params):
    client.force_login(user)
    url = reverse("roles:department-detail", args=[department.organization.slug, department.pk])
    return client.get(url, params)


def test_shows_the_charter_of_a_department(client, user, sample):
    response = _page(client, user, sample.service, lang="en")

    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Department charter",
        "Customer Service",
        "Direct superior",
        "Operations Centre",
        "Summary of responsibilities",
        "Pre-sales advice and after-sales service",
        "Positions and head count",
        "Customer Service Supervisor",
        "Pre-sales Agent",
        "Functions",
        "Answer customers online",
        "Handle returns and disputes",
        "Keep member records",
        "Front line",
        "Works with",
        "Promotion",
        "Pass on customer reviews",
    ]:
        assert text in page, text


def test_head_count_table_adds_up_per_phase(client, user, sample):
    page = _page(client, user, sample.service, lang="en").content.decode()

    # Launch: 1 + 2–3 = 3–4; growth: 1–2 + 8–10 = 9–12; maturity: not planned.
    assert "3–4" in page
    assert "9–12" in page
    assert "Total" in page


def test_a_parent_department_lists_its_sub_departments(client, user, sample):
    page = _page(client, user, sample.operations, lang="en").content.decode()

    assert "Sub-departments" in page
    assert "Customer Service" in page and "Promotion" in page


def test_leaves_out_empty_sections(client, user, sample):
    page = _page(client, user, sample.finance, lang="en").content.decode()

    assert "Finance" in page
    for heading in ["Direct superior", "Sub-departments", "Summary of responsibilities",
                    "Positions and head count", "Functions", "Works with"]:  # fmt: skip
        assert heading not in page, heading


def test_uses_the_seed_charter_labels_in_chinese(client, user, sample):
    """Needs the compiled catalogue (`make test` runs compilemessages)."""
    page = _page(client, user, sample.service).content.decode()

    for label in ["部门职能说明书", "直接上级", "职责概述", "岗位设置", "人员编制", "工作职能"]:
        assert label in page, label
    assert "运营中心" in page and "售前客服" in page


def test_a_department_of_another_organization_is_not_found(client, user, sample):
    foreign = DepartmentFactory(organization=OrganizationFactory(), name_zh="别家部门")
    client.force_login(user)

    url = reverse("roles:department-detail", args=[sample.organization.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_an_organization_the_user_cannot_see_is_not_found(client, other_user, sample):
    assert _page(client, other_user, sample.service).status_code == 404
