"""The organization profile a candidate's job description shows, in the settings page; a role's
own location and offers in the editor's role form; the links to both versions of a job
description; and the history's record of the new fields (issue 18)."""

import pytest
from django.urls import reverse

from departments.models import Organization
from roles.models import Role
from teamorg.limits import CONTACT_MAX_LENGTH
from tests.snapshots import database_snapshot
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post

PROFILE = {
    "company_intro_zh": "专注家居用品的电商公司。",
    "company_intro_en": "An online home-goods shop.",
    "locations_zh": "杭州\n上海",
    "locations_en": "Hangzhou\nShanghai",
    "benefits_zh": "五险一金",
    "benefits_en": "Social insurance",
    "how_to_apply_zh": "简历发送至 jobs@example.cn",
    "how_to_apply_en": "Mail jobs@example.cn",
}


def _settings(design, **overrides):
    organization = design["organization"]
    return {
        "name_zh": organization.name_zh,
        "name_en": organization.name_en,
        "description_zh": "",
        "description_en": "",
        "business_model": organization.business_model,
        "span_of_control_limit": organization.span_of_control_limit,
        "layer_limit": organization.layer_limit,
        "revision": revision_of(organization),
        **overrides,
    }


def test_the_settings_page_edits_the_profile_in_both_languages(signed_in, design):
    page = signed_in.get("/orgs/acme/settings/").content.decode()
    assert 'id="candidate-profile"' in page
    for column in PROFILE:
        assert f'name="{column}"' in page

    response = signed_in.post("/orgs/acme/settings/", _settings(design, **PROFILE))
    assert response.status_code == 302
    saved = Organization.objects.get(pk=design["organization"].pk)
    for column, value in PROFILE.items():
        assert getattr(saved, column) == value, column
    page = signed_in.get("/orgs/acme/settings/").content.decode()
    assert "专注家居用品的电商公司。" in page and "Mail jobs@example.cn" in page


def test_a_profile_text_past_its_limit_is_refused_and_nothing_changes(signed_in, design):
    before = database_snapshot()
    too_long = "x" * (CONTACT_MAX_LENGTH + 1)
    response = signed_in.post(
        "/orgs/acme/settings/",
        _settings(design, how_to_apply_en=too_long, company_intro_zh="新介绍"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert database_snapshot() == before
    page = response.content.decode()
    assert str(CONTACT_MAX_LENGTH) in page
    assert "新介绍" in page  # what the user typed is kept


def test_a_template_has_no_settings_page_to_change_its_profile(signed_in, loaded_templates):
    response = signed_in.get("/orgs/startup/settings/")
    assert response.status_code == 403
    before = database_snapshot()
    response = signed_in.post("/orgs/startup/settings/", {"company_intro_zh": "x"})
    assert response.status_code == 403
    assert database_snapshot() == before


def test_the_role_form_saves_the_roles_own_location_and_offers(htmx, design):
    role = design["cs_lead"]
    role = Role.objects.get(pk=role.pk)
    data = role_post(
        role,
        revision_of(design["organization"]),
        location_zh="远程办公",
        location_en="",
        offers_zh="每月话费补贴",
        offers_en="A monthly phone allowance",
    )
    response = htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data)
    assert response.status_code == 200, response.content[:500]
    role.refresh_from_db()
    assert (role.location_zh, role.location_en) == ("远程办公", "")
    assert (role.offers_zh, role.offers_en) == ("每月话费补贴", "A monthly phone allowance")
    page = response.content.decode()
    assert 'name="location_zh"' in page and "每月话费补贴" in page


def test_the_role_form_offers_both_versions_of_the_job_description(htmx, design):
    role = design["cs_lead"]
    page = htmx.get(f"/orgs/acme/edit/roles/{role.pk}/").content.decode()
    base = reverse("roles:role-detail", args=["acme", role.pk])
    pdf = reverse("roles:role-jd-pdf", args=["acme", role.pk])
    assert f'href="{base}?version=candidate"' in page
    assert f'href="{base}?version=internal"' in page
    assert f'href="{pdf}?version=candidate&amp;download=1"' in page
    assert f'href="{pdf}?version=internal&amp;download=1"' in page


def test_the_history_records_a_profile_change(signed_in, design):
    signed_in.post("/orgs/acme/settings/", _settings(design, company_intro_zh="新的公司介绍"))
    page = signed_in.get("/orgs/acme/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "company introduction" in page


@pytest.mark.parametrize("version", ["candidate", "internal"])
def test_the_role_page_links_to_the_pdf_of_the_version_shown(signed_in, design, version):
    role = design["cs_lead"]
    page = signed_in.get(
        reverse("roles:role-detail", args=["acme", role.pk]), {"version": version}
    ).content.decode()
    pdf = reverse("roles:role-jd-pdf", args=["acme", role.pk])
    assert f"{pdf}?version={version}&amp;download=1" in page
