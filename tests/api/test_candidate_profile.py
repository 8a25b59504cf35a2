"""The organization profile a candidate's job description shows, and a role's own location and
offers, through the API (issue 18): read in the request language or both, written per column or
in the request language, refused past their limits or when malformed (400 naming the field,
nothing written), read-only in templates, copied by a clone."""

import pytest

from departments.models import PROFILE_TEXTS, Organization
from roles.models import Role
from teamorg.limits import CONTACT_MAX_LENGTH, LOCATION_MAX_LENGTH, PROFILE_TEXT_MAX_LENGTH
from tests.factories import department_path, role_chain
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/acme/"


@pytest.fixture
def role(organization):
    return role_chain(organization, department_path(organization, "客服部"), "客服主管")


def _refused(api, url: str, body) -> dict:
    before = database_snapshot()
    response = api.patch(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert database_snapshot() == before
    return response.json()


def _errors(body: dict, field: str) -> str:
    return " ".join(item["message"] for item in body.get("errors", {}).get(field, []))


def test_the_profile_is_written_per_column_and_read_in_either_language(api, organization):
    response = api.patch(
        URL,
        {
            "company_intro_zh": "专注家居用品的电商公司。",
            "company_intro_en": "An online home-goods shop.",
            "locations_zh": "杭州\n上海",
            "benefits_en": "Paid leave",
            "how_to_apply_zh": "简历发送至 jobs@example.cn",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["company_intro"] == "专注家居用品的电商公司。"
    assert body["locations"] == "杭州\n上海"
    assert body["benefits"] == "Paid leave"  # no Chinese text: the English one
    assert "company_intro_zh" not in body  # the columns only with ?both=1

    english = api.get(URL + "?lang=en").json()
    assert english["company_intro"] == "An online home-goods shop."
    both = api.get(URL + "?both=1").json()
    assert both["how_to_apply_zh"] == "简历发送至 jobs@example.cn"
    assert both["how_to_apply_en"] == ""
    organization.refresh_from_db()
    assert organization.benefits_en == "Paid leave"


def test_a_convenience_text_goes_to_the_request_language(api, organization):
    response = api.patch(URL + "?lang=en", {"how_to_apply": "Write to us."}, format="json")
    assert response.status_code == 200, response.content
    organization.refresh_from_db()
    assert (organization.how_to_apply_zh, organization.how_to_apply_en) == ("", "Write to us.")


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("company_intro_zh", PROFILE_TEXT_MAX_LENGTH),
        ("company_intro", PROFILE_TEXT_MAX_LENGTH),
        ("locations_en", LOCATION_MAX_LENGTH),
        ("benefits_zh", PROFILE_TEXT_MAX_LENGTH),
        ("how_to_apply_en", CONTACT_MAX_LENGTH),
        ("how_to_apply", CONTACT_MAX_LENGTH),
    ],
)
def test_a_profile_text_past_its_limit_is_a_400_and_nothing_changes(
    api, organization, field, limit
):
    assert api.patch(URL, {field: "x" * limit}, format="json").status_code == 200
    body = _refused(api, URL, {field: "y" * (limit + 1), "name": "Renamed"})
    assert str(limit) in _errors(body, field)
    organization.refresh_from_db()
    assert organization.name_zh == "测试电商"


@pytest.mark.parametrize(
    "value", [["a list"], {"an": "object"}, 42, None, "null\x00byte"], ids=repr
)
def test_a_malformed_profile_text_is_a_400(api, organization, value):
    body = _refused(api, URL, {"company_intro_zh": value})
    # The field named; a NUL character is refused with the whole body, before any field.
    assert _errors(body, "company_intro_zh") or "NUL" in body.get("detail", "")


def test_two_different_texts_for_one_column_are_a_400(api, organization):
    body = _refused(api, URL, {"benefits": "A", "benefits_en": "B"})  # the request is English
    assert _errors(body, "benefits")


def test_a_new_organization_starts_without_a_profile(api):
    response = api.post(
        "/api/v1/organizations/", {"name": "新公司", "company_intro": "x"}, format="json"
    )
    assert response.status_code == 201, response.content
    created = Organization.objects.get(slug=response.json()["slug"])
    assert all(getattr(created, f"{text}_zh") == "" for text in PROFILE_TEXTS)


def test_a_template_shows_its_empty_profile_and_refuses_a_write(api, loaded_templates):
    body = api.get("/api/v1/organizations/startup/?both=1").json()
    for text in PROFILE_TEXTS:
        assert body[text] == "" and body[f"{text}_zh"] == "" and body[f"{text}_en"] == ""
    before = database_snapshot()
    response = api.patch("/api/v1/organizations/startup/", {"company_intro_zh": "x"}, format="json")
    assert response.status_code in (403, 404)
    assert database_snapshot() == before


def test_a_clone_copies_the_profile(api, organization):
    api.patch(URL, {"company_intro_zh": "公司介绍", "how_to_apply_en": "Mail us."}, format="json")
    response = api.post(URL + "clone/", {"name": "副本", "slug": "acme-2"}, format="json")
    assert response.status_code == 201, response.content
    copy = Organization.objects.get(slug="acme-2")
    assert copy.company_intro_zh == "公司介绍" and copy.how_to_apply_en == "Mail us."


def test_a_roles_location_and_offers_through_the_api(api, role):
    url = f"/api/v1/roles/{role.pk}/"
    response = api.patch(
        url,
        {"location_zh": "远程", "offers": "每月话费补贴", "offers_en": "Phone allowance"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["location"] == "远程"
    assert response.json()["offers"] == "每月话费补贴"
    english = api.get(url + "?lang=en&both=1").json()
    assert english["offers"] == "Phone allowance" and english["location"] == "远程"
    assert english["location_en"] == "" and english["offers_zh"] == "每月话费补贴"
    role.refresh_from_db()
    assert (role.location_zh, role.offers_en) == ("远程", "Phone allowance")


def test_a_role_location_past_its_limit_is_a_400(api, role):
    url = f"/api/v1/roles/{role.pk}/"
    body = _refused(api, url, {"location_en": "x" * (LOCATION_MAX_LENGTH + 1)})
    assert str(LOCATION_MAX_LENGTH) in _errors(body, "location_en")
    body = _refused(api, url, {"offers": "x" * (PROFILE_TEXT_MAX_LENGTH + 1), "title": "New"})
    assert str(PROFILE_TEXT_MAX_LENGTH) in _errors(body, "offers")
    body = _refused(api, url, {"offers_zh": ["not", "text"]})
    assert _errors(body, "offers_zh")
    assert Role.objects.get(pk=role.pk).title_zh == "客服主管"


def test_a_role_created_with_its_own_location(api, organization):
    service = department_path(organization, "客服部")
    response = api.post(
        "/api/v1/roles/",
        {
            "organization": "acme",
            "department": service.pk,
            "title": "客服专员",
            "location": "远程办公",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Role.objects.get(pk=response.json()["id"]).location_zh == "远程办公"
