"""Issue 13, "both languages on purpose": a text changed in one language only, while the other
language has text, is saved with a note saying the other language was left as it was — in every
editor form that edits a translatable text (outline rename, department form, collaboration line,
organization settings, phases), not only in the role form."""

import re
from html import unescape

from departments.models import Department, Organization
from roles.models import Collaboration, Role
from roles.services import collaboration_create
from tests.web.conftest import revision_of

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _alert_text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_renaming_a_role_in_english_only_says_the_chinese_title_stayed(htmx, design):
    """The issue's own example: the English title changes, the Chinese view would still say
    客服主管 — the answer says so."""
    role = design["cs_lead"]
    response = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/rename/",
        {
            "title_zh": "客服主管",
            "title_en": "Customer Support Lead",
            "revision": revision_of(design["organization"]),
        },
        **EN,
    )
    assert response.status_code == 200
    text = _alert_text(response)
    assert (
        "Only the English text of “Title” was changed; the Chinese text is still “客服主管”."
        in text
    )
    role = Role.objects.get(pk=role.pk)
    assert (role.title_zh, role.title_en) == ("客服主管", "Customer Support Lead")


def test_renaming_both_languages_or_filling_an_empty_one_gives_no_note(htmx, design):
    department = design["service"]
    Department.objects.filter(pk=department.pk).update(name_en="")  # no English name yet
    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/rename/",
        {
            "name_zh": "客服部",
            "name_en": "Customer Service",
            "revision": revision_of(design["organization"]),
        },
        **EN,
    )
    assert response.status_code == 200
    assert "was changed; the" not in _alert_text(response)
    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/rename/",
        {
            "name_zh": "客户服务部",
            "name_en": "Client Service",
            "revision": revision_of(design["organization"]),
        },
        **EN,
    )
    assert "was changed; the" not in _alert_text(response)
    department.refresh_from_db()
    assert (department.name_zh, department.name_en) == ("客户服务部", "Client Service")


def test_department_form_names_each_text_left_in_the_other_language(htmx, design):
    department = design["service"]
    Department.objects.filter(pk=department.pk).update(
        name_en="Customer Service", summary_zh="售前售后咨询", summary_en="Sales questions"
    )
    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/",
        {
            "name_zh": "客服部",
            "name_en": "Customer Care",
            "summary_zh": "售前售后咨询",
            "summary_en": "Questions before and after a sale",
            "functions_zh": "",
            "functions_en": "",
            "function_group": "",
            "revision": revision_of(design["organization"]),
        },
        **EN,
    )
    assert response.status_code == 200
    text = _alert_text(response)
    assert (
        "Only the English text of “Name” was changed; the Chinese text is still “客服部”." in text
    )
    assert (
        "Only the English text of “Charter summary” was changed; the Chinese text is still "
        "“售前售后咨询”." in text
    )
    department.refresh_from_db()
    assert (department.name_en, department.summary_en) == (
        "Customer Care",
        "Questions before and after a sale",
    )


def test_a_collaboration_description_changed_in_chinese_only(htmx, design):
    line = collaboration_create(
        organization=design["organization"],
        from_department=design["service"],
        to_department=design["operations"],
        description_zh="差评反馈",
        description_en="Bad reviews",
    )
    response = htmx.post(
        f"/orgs/acme/edit/collaborations/{line.pk}/",
        {
            "description_zh": "差评和退货反馈",
            "description_en": "Bad reviews",
            "revision": revision_of(design["organization"]),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    text = _alert_text(response)
    assert "英文" in text and "“Bad reviews”" in text
    assert Collaboration.objects.get(pk=line.pk).description_zh == "差评和退货反馈"


def test_settings_and_phase_pages_say_which_language_was_left(signed_in, design):
    organization = design["organization"]
    Organization.objects.filter(pk=organization.pk).update(name_en="Acme")
    response = signed_in.post(
        "/orgs/acme/settings/",
        {
            "name_zh": "新名字",
            "name_en": "Acme",
            "business_model": "startup",
            "span_of_control_limit": "10",
            "layer_limit": "5",
            "revision": revision_of(organization),
        },
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    assert "Only the Chinese text of “Name” was changed; the English text is still “Acme”." in (
        _alert_text(response)
    )

    phase = organization.phases.order_by("order").first()
    type(phase).objects.filter(pk=phase.pk).update(name_zh="启动期", name_en="Start")
    phase.refresh_from_db()
    response = signed_in.post(
        f"/orgs/acme/settings/phases/{phase.pk}/",
        {
            f"p{phase.pk}-name_zh": "启动期",
            f"p{phase.pk}-name_en": "Launch",
            f"p{phase.pk}-start_month": phase.start_month or "",
            f"p{phase.pk}-end_month": phase.end_month or "",
            "revision": revision_of(organization),
        },
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    phase.refresh_from_db()
    assert phase.name_en == "Launch"
    assert (
        "Only the English text of “Name” was changed; the Chinese text is still “启动期”."
        in _alert_text(response)
    )
