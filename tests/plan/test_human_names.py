"""What a user reads on the health checks, the plan and the compare page names things the way the
user or the template does, in the user's language (issue 18, item 5): no check codes, severity
codes, role or department codes, or internal keys such as "role-2"."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from departments import services as department_services
from departments.models import Department, Organization
from roles import services as role_services
from roles.models import Role
from roles.planning.health import HEALTH_CHECKS, organization_health
from tests.conftest import TEMPLATE_SLUGS

pytestmark = pytest.mark.django_db

INTERNAL_KEY = re.compile(r"(?<![\w-])(department|role|phase|organization)-\d+(?![\w-])")


def _visible_text(page: bytes) -> str:
    """The text of the page's <main> a reader sees: no tags, attributes, scripts or styles."""
    text = page.decode()
    text = text[text.index("<main") : text.index("</main>")]
    text = re.sub(r"<(script|style|title)\b.*?</\1>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _codes(organization: Organization) -> set[str]:
    codes = set(Role.objects.filter(organization=organization).values_list("code", flat=True))
    return codes | set(
        Department.objects.filter(organization=organization).values_list("code", flat=True)
    )


def _shown_codes(text: str, codes: set[str], language: str = "zh-hans") -> list[str]:
    """The codes `text` shows as words. A code that is a plain English word ("layers",
    "buyer") may be a word of an English sentence; in a Chinese text every code counts."""
    english = language == "en"
    return sorted(
        code
        for code in codes
        if not (english and re.fullmatch(r"[a-z]+", code))
        and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    )


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_health_findings_name_roles_and_departments_in_the_users_language(
    loaded_templates, slug, language
):
    template = Organization.objects.get(slug=slug, is_template=True)
    codes = _codes(template) | {check.code for check in HEALTH_CHECKS} | {"warning", "info"}
    with translation.override(language):
        report = organization_health(template)
        titles = {r.title for r in Role.objects.filter(organization=template)}
        names = {d.name for d in Department.objects.filter(organization=template)}
        # Read inside the language: a label is made when it is read, as a page does.
        assert report.findings, slug  # every template has something worth a look
        for check in report.checks:
            for text in (check.title, check.explanation):
                assert not _shown_codes(text, codes, language), (check.code, text)
            for finding in check.findings:
                for text in (finding.message, finding.node_label, finding.severity_label):
                    assert not _shown_codes(text, codes, language), text
                    assert not INTERNAL_KEY.search(text), text
                # The finding is about something by the name the reader knows it by.
                assert finding.node_label in titles | names | {template.name}, finding.node_label
                assert finding.node_label in finding.message or finding.node_kind == "organization"
                if language == "en":
                    assert not re.search(r"[\u4e00-\u9fff]", finding.severity_label)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_health_page_shows_severities_by_name(client, user, loaded_templates, language):
    client.force_login(user)
    response = client.get(reverse("plan:health", args=["startup"]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = _visible_text(response.content)
    template = Organization.objects.get(slug="startup")
    codes = _codes(template) | {check.code for check in HEALTH_CHECKS}
    assert not _shown_codes(text, codes, language)
    assert not INTERNAL_KEY.search(text)
    with translation.override(language):
        report = organization_health(template)
    for finding in report.findings:
        assert finding.severity_label in text
    if language == "en":
        assert "Warning" in text
    else:
        assert not re.search(r"(?<![\w-])(warning|info)(?![\w-])", text)


def test_plan_and_compare_pages_of_an_edited_copy_show_only_names(client, user, loaded_templates):
    template = Organization.objects.get(slug="cross-border", is_template=True)
    copy = role_services.organization_clone(source=template, owner=user, name_zh="我的跨境店")
    # A role whose title the user typed only in English, and one new department.
    role = Role.objects.filter(organization=copy).order_by("-lft").first()
    role_services.role_update(role=role, title_zh="", title_en="Night shift lead")
    department = department_services.department_create(
        organization=copy, parent=role.department, name_zh="夜班组"
    )
    client.force_login(user)
    codes = _codes(template) | _codes(copy)

    pages = {
        "plan": client.get(reverse("plan:plan", args=[copy.slug])),
        "compare": client.get(reverse("plan:compare", args=[copy.slug]), {"with": template.slug}),
        "phases": client.get(
            reverse("plan:compare", args=[copy.slug]),
            {
                "phase_a": copy.phases.order_by("order").first().pk,
                "phase_b": copy.phases.order_by("order").last().pk,
            },
        ),
        "health": client.get(reverse("plan:health", args=[copy.slug])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _visible_text(response.content)
        assert not _shown_codes(text, codes), (name, _shown_codes(text, codes))
        assert not INTERNAL_KEY.search(text), (name, INTERNAL_KEY.search(text))
    compare = _visible_text(pages["compare"].content)
    assert "Night shift lead" in compare  # typed in English only: shown in the Chinese page
    assert department.name_zh in compare
