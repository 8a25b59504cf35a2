"""Job-description PDFs, rendered by the real WeasyPrint and read back with pypdf and poppler."""

import pytest
from django.urls import reverse

from departments.models import Organization
from roles.models import Role
from roles.services import role_update
from tests.conftest import TEMPLATE_SLUGS
from tests.documents.support import pdf_fonts, pdf_reader, pdf_text, sample_design, squash
from tests.factories import OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(organization):
    return sample_design(organization)


def _pdf(client, user, role, slug=None, **params):
    client.force_login(user)
    url = reverse("roles:role-jd-pdf", args=[slug or role.organization.slug, role.pk])
    return client.get(url, params)


def test_contains_title_department_and_every_duty(client, user, sample):
    response = _pdf(client, user, sample.supervisor)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squash(pdf_text(response.content))
    role = sample.supervisor
    for expected in ["客服主管", "客服部", "运营总监", "售前客服", "大专及以上学历", "咨询转化率"]:
        assert expected in text, expected
    for duty in role.duties.all():
        assert squash(duty.text_zh) in text


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_a_chinese_role_of_each_template(client, user, loaded_templates, slug):
    template = Organization.objects.get(slug=slug, is_template=True)
    roles = Role.objects.filter(organization=template).prefetch_related("duties")
    role = max(roles, key=lambda r: (len(r.duties.all()), -r.pk))  # the most detailed one

    response = _pdf(client, user, role)

    assert response.status_code == 200
    text = squash(pdf_text(response.content))
    assert squash(role.title_zh) in text
    assert squash(role.department.name_zh) in text
    duties = list(role.duties.all())
    assert duties, f"{slug}: expected a role with duties"
    for duty in duties:
        assert squash(duty.text_zh or duty.text_en) in text, duty.text_zh


def test_the_cjk_font_is_embedded_as_a_subset(client, user, sample):
    fonts = pdf_fonts(_pdf(client, user, sample.supervisor).content)

    assert fonts
    assert any("CJK" in font["name"] for font in fonts), fonts
    for font in fonts:
        assert font["embedded"] == "yes", font
        assert font["subset"] == "yes", font
        # A subset's name carries a six-letter tag, e.g. ABCDEF+NotoSansCJK…
        assert font["name"][6] == "+", font


def test_metadata_names_title_author_and_language(client, user, sample):
    reader = pdf_reader(_pdf(client, user, sample.supervisor).content)

    assert reader.metadata.title == "客服主管"
    assert reader.metadata.author == "测试电商"
    assert str(reader.trailer["/Root"]["/Lang"]).lower().startswith("zh")


def test_the_file_name_keeps_chinese(client, user, sample):
    response = _pdf(client, user, sample.supervisor)

    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    # RFC 5987: UTF-8, percent-encoded. 岗位说明书 - 客服主管.pdf
    assert "filename*=utf-8''" in disposition
    assert "%E5%AE%A2%E6%9C%8D%E4%B8%BB%E7%AE%A1.pdf" in disposition  # 客服主管.pdf


def test_download_asks_the_browser_to_save(client, user, sample):
    response = _pdf(client, user, sample.supervisor, download="1")

    assert response["Content-Disposition"].startswith("attachment")


def test_english_when_the_language_is_english(client, user, sample):
    response = _pdf(client, user, sample.supervisor, lang="en")

    text = squash(pdf_text(response.content))
    for expected in ["CustomerServiceSupervisor", "Jobdescription", "Duties", "Required",
                     "Setservicerulesandplans", "Collegedegree", "Full-time"]:  # fmt: skip
        assert expected in text, expected
    assert "客服主管" not in text
    assert "Customer Service Supervisor" in response["Content-Disposition"].replace("%20", " ")
    assert str(pdf_reader(response.content).trailer["/Root"]["/Lang"]) == "en"


def test_english_from_the_browser_language(client, user, sample):
    client.force_login(user)
    url = reverse("roles:role-jd-pdf", args=[sample.organization.slug, sample.supervisor.pk])

    response = client.get(url, headers={"accept-language": "en"})

    assert "CustomerServiceSupervisor" in squash(pdf_text(response.content))


def test_a_role_with_no_duties_still_renders(client, user, sample):
    response = _pdf(client, user, sample.promoter, lang="en")

    assert response.status_code == 200
    text = squash(pdf_text(response.content))
    assert "PromotionSpecialist" in text
    assert "Promotion" in text
    assert "Duties" not in text  # left out, not printed empty


def test_a_role_of_another_organization_is_not_found(client, user, sample):
    foreign = RoleFactory(department__organization=OrganizationFactory())

    assert _pdf(client, user, foreign, slug=sample.organization.slug).status_code == 404


def test_an_organization_the_user_cannot_see_is_not_found(client, other_user, sample):
    assert _pdf(client, other_user, sample.supervisor).status_code == 404


def test_the_file_name_drops_bidirectional_controls(client, user, sample):
    """A title "<RLO>fdp.exe" would show as "exe.pdf" in a download bar."""
    role_update(role=sample.supervisor, title_zh="\u202efdp.exe\u2066x\u200f")
    response = _pdf(client, user, sample.supervisor, download="1")

    disposition = response["Content-Disposition"]
    for control in ("%E2%80%AE", "%E2%81%A6", "%E2%80%8F"):  # U+202E, U+2066, U+200F
        assert control not in disposition.upper()
    assert "fdp.exe" in disposition and disposition.endswith(".pdf")
