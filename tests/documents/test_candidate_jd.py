"""The two versions of a job description (issue 18): the candidate version shows what a candidate
reads (company introduction, location, offers, how to apply) and none of the internal fields
(head count per phase, hiring order, pay internals, grading, KPIs, source notes); the internal
version shows everything. Real WeasyPrint, PDFs read back with poppler; both languages."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from departments import services as department_services
from departments.models import Organization
from roles import services as role_services
from roles.models import Role
from tests.conftest import TEMPLATE_SLUGS
from tests.documents.support import pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    """PDFs are cached by organization id and revision: a rolled-back test's ids come back in
    the next test (SQLite reuses them), so each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


PROFILE = {
    "company_intro_zh": "我们是一家专注家居用品的电商公司，成立于二〇一五年。",
    "company_intro_en": "We sell home goods online and have done so since 2015.",
    "locations_zh": "杭州市余杭区\n上海市闵行区",
    "locations_en": "Hangzhou, Yuhang\nShanghai, Minhang",
    "benefits_zh": "五险一金\n带薪年假十五天",
    "benefits_en": "Social insurance and housing fund\nFifteen days of paid leave",
    "how_to_apply_zh": "简历请发送至 jobs@example.cn，邮件标题注明应聘岗位。",
    "how_to_apply_en": "Send your CV to jobs@example.cn, naming the role in the subject.",
}
# The internal fields' labels as the documents print them (zh-hans, en).
INTERNAL_LABELS = {
    "zh-hans": [
        "各阶段人员编制",
        "招聘顺序",
        "薪酬结构",
        "薪酬范围",
        "薪酬说明",
        "职级",
        "用工形式",
    ],
    "en": [
        "Head count per phase",
        "Hiring priority",
        "Pay structure",
        "Salary band",
        "Pay note",
        "Employment type",
    ],
}


def _richest_role(organization: Organization) -> Role:
    """The role with the most internal fields set: hiring order, head count, pay."""
    roles = Role.objects.filter(organization=organization).prefetch_related("headcount", "kpis")

    def score(role):
        return (
            role.hiring_priority is not None,
            bool(role.pay_note_zh),
            role.salary_min is not None,
            bool(role.pay_structure),
            len(role.headcount.all()),
            len(role.kpis.all()),
            -role.pk,
        )

    role = max(roles, key=score)
    assert role.hiring_priority is not None and role.headcount.exists()
    assert role.pay_structure or role.salary_min is not None or role.pay_note_zh
    return role


def _pdf(client, role, version=None, lang=None) -> str:
    params = {}
    if version:
        params["version"] = version
    if lang:
        params["lang"] = lang
    url = reverse("roles:role-jd-pdf", args=[role.organization.slug, role.pk])
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return squash(pdf_text(response.content))


def _copy_with_profile(template: Organization, user) -> Organization:
    copy = role_services.organization_clone(source=template, owner=user, name_zh="家居电商")
    return department_services.organization_update(organization=copy, **PROFILE)


def _copied(role: Role, organization: Organization) -> Role:
    return Role.objects.get(organization=organization, code=role.code)


def _internal_values(role: Role, language: str) -> list[str]:
    """Texts only the internal version prints: the pay note, the KPIs, phase names."""
    values = []
    pay_note = role.pay_note_en if language == "en" else role.pay_note_zh
    if pay_note:
        values.append(pay_note)
    kpis = [k.text_en if language == "en" else k.text_zh for k in role.kpis.all()]
    values.extend(text for text in kpis if text)
    if role.source_note:
        values.append(role.source_note)
    return [squash(value) for value in values]


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_candidate_jd_of_a_template_role_has_the_profile_and_no_internal_field(
    client, user, loaded_templates, slug
):
    template = Organization.objects.get(slug=slug, is_template=True)
    role = _copied(_richest_role(template), _copy_with_profile(template, user))
    client.force_login(user)

    for lang, suffix in (("zh-hans", "zh"), ("en", "en")):
        candidate = _pdf(client, role, "candidate", lang)
        internal = _pdf(client, role, "internal", lang)
        with translation.override(lang):
            title, department = role.title, role.department.name
        for text in (candidate, internal):
            assert squash(title) in text
            assert squash(department) in text
        # What a candidate reads first: who we are and how to apply, plus where and what we offer.
        for field in ("company_intro", "how_to_apply", "benefits", "locations"):
            for line in PROFILE[f"{field}_{suffix}"].splitlines():
                assert squash(line) in candidate, (slug, lang, field)
        for duty in role.duties.all():
            assert squash(duty.text_en if suffix == "en" else duty.text_zh) in candidate
        # None of the internal fields in the candidate version; all of them in the internal one.
        for label in INTERNAL_LABELS[lang]:
            assert squash(label) not in candidate, (slug, lang, label)
        for value in _internal_values(role, suffix):
            assert value not in candidate, (slug, lang, value)
        assert squash(INTERNAL_LABELS[lang][0]) in internal  # head count per phase
        assert squash(INTERNAL_LABELS[lang][1]) in internal  # hiring priority
        assert any(squash(label) in internal for label in INTERNAL_LABELS[lang][2:5])  # pay
        for value in _internal_values(role, suffix)[:1]:
            assert value in internal


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_a_template_has_no_profile_so_its_candidate_jd_leaves_those_parts_out(
    client, user, loaded_templates, slug
):
    template = Organization.objects.get(slug=slug, is_template=True)
    assert not any(getattr(template, column) for column in PROFILE)
    role = _richest_role(template)
    client.force_login(user)

    text = _pdf(client, role, "candidate", "en")
    assert squash(role.title_en or role.title_zh) in text
    for heading in ("How to apply", "What we offer", "About", "Location"):
        assert squash(heading) not in text
    page = client.get(
        reverse("roles:role-detail", args=[slug, role.pk]), {"version": "candidate", "lang": "en"}
    )
    html = page.content.decode()
    # The page (not the PDF) says which parts are missing; a template has no settings to fill.
    assert 'id="missing-profile"' in html
    assert "company introduction" in html and "how to apply" in html
    assert reverse("org-settings", args=[slug]) not in html


def test_a_role_gives_its_own_location_and_adds_its_own_offers(client, user, organization):
    department_services.organization_update(organization=organization, **PROFILE)
    department = department_services.department_create(
        organization=organization, name_zh="客服部", name_en="Customer service"
    )
    role = role_services.role_create(
        organization=organization,
        department=department,
        title_zh="客服专员",
        title_en="Customer service agent",
        location_zh="远程办公",
        location_en="Remote",
        offers_zh="每月话费补贴",
        offers_en="A monthly phone allowance",
    )
    client.force_login(user)

    text = _pdf(client, role, "candidate", "en")
    assert "Remote" in text
    assert squash("Hangzhou, Yuhang") not in text  # the role's own location replaces it
    assert squash("Social insurance and housing fund") in text  # the organization's offers
    assert squash("A monthly phone allowance") in text  # then the role's own
    chinese = _pdf(client, role, "candidate")  # Chinese by default
    assert "远程办公" in chinese and "每月话费补贴" in chinese and "五险一金" in chinese


def test_untranslated_profile_text_shows_in_the_other_language_marked(client, user, organization):
    department_services.organization_update(
        organization=organization, company_intro_zh="只有中文的公司介绍"
    )
    department = department_services.department_create(organization=organization, name_zh="客服部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="客服专员"
    )
    client.force_login(user)

    page = client.get(
        reverse("roles:role-detail", args=[organization.slug, role.pk]),
        {"version": "candidate", "lang": "en"},
    )
    html = page.content.decode()
    assert "只有中文的公司介绍" in html
    assert "(not translated)" in html


def test_without_a_version_the_page_and_the_pdf_stay_internal(client, user, loaded_templates):
    template = Organization.objects.get(slug="traditional-brand", is_template=True)
    role = _richest_role(template)
    client.force_login(user)

    assert squash("各阶段人员编制") in _pdf(client, role)
    page = client.get(reverse("roles:role-detail", args=[template.slug, role.pk]))
    html = page.content.decode()
    assert "各阶段人员编制" in html
    # Both versions are offered, the shown one marked, each with its own download.
    assert 'data-version="candidate"' in html and 'data-version="internal"' in html
    assert 'data-version="internal" aria-current="page"' in html
    assert "version=internal&amp;download=1" in html

    page = client.get(
        reverse("roles:role-detail", args=[template.slug, role.pk]), {"version": "candidate"}
    )
    html = page.content.decode()
    assert "各阶段人员编制" not in html
    assert 'data-version="candidate" aria-current="page"' in html
    assert "version=candidate&amp;download=1" in html


@pytest.mark.parametrize("view", ["roles:role-detail", "roles:role-jd-pdf"])
def test_an_unknown_version_is_a_clear_400(client, user, loaded_templates, view):
    template = Organization.objects.get(slug="startup", is_template=True)
    role = Role.objects.filter(organization=template).first()
    client.force_login(user)

    response = client.get(
        reverse(view, args=[template.slug, role.pk]),
        {"version": "<b>x</b>"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "candidate" in body and "internal" in body


def test_the_candidate_pdf_is_cached_per_revision(client, user, organization):
    department = department_services.department_create(organization=organization, name_zh="客服部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="客服专员"
    )
    client.force_login(user)
    assert "新的公司介绍" not in _pdf(client, role, "candidate")

    department_services.organization_update(
        organization=organization, company_intro_zh="新的公司介绍"
    )
    assert "新的公司介绍" in _pdf(client, role, "candidate")
