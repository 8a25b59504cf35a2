"""Every bad input answers 400 naming the field with a readable message, and changes
nothing."""

import pytest

from departments.models import Department, Organization
from departments.services import organization_create
from roles.models import HeadcountTarget, Role
from tests.api.conftest import client_for
from tests.factories import department_path, role_chain


@pytest.fixture
def elsewhere(user):
    """Another organization the same user owns: visible, but not the same design."""
    other = organization_create(name_zh="另一家", slug="elsewhere", owner=user)
    department = department_path(other, "财务部")
    return {"department": department, "role": role_chain(other, department, "会计")}


def bad_requests(d, elsewhere):
    service, center, clerk, ceo = d["service"], d["center"], d["clerk"], d["ceo"]
    phase = d["organization"].phases.first()
    role_url = f"/api/v1/roles/{clerk.pk}/"
    return [
        # (what, method, url, body, field)
        ("cycle: department under its child", "post", f"/api/v1/departments/{center.pk}/move/",
         {"parent": service.pk, "position": "last-child"}, "parent"),
        ("cycle: department under itself", "post", f"/api/v1/departments/{center.pk}/move/",
         {"parent": center.pk}, "parent"),
        ("cycle: manager reports to own report", "post", f"/api/v1/roles/{ceo.pk}/move/",
         {"reports_to": clerk.pk}, "reports_to"),
        ("parent from another organization", "post", f"/api/v1/departments/{service.pk}/move/",
         {"parent": elsewhere["department"].pk}, "parent"),
        ("new department under a parent of another organization", "post", "/api/v1/departments/",
         {"organization": "acme", "parent": elsewhere["department"].pk, "name": "x"}, "parent"),
        ("manager from another organization", "post", f"/api/v1/roles/{clerk.pk}/move/",
         {"reports_to": elsewhere["role"].pk}, "reports_to"),
        ("new role under a manager of another organization", "post", "/api/v1/roles/",
         {"department": service.pk, "reports_to": elsewhere["role"].pk, "title": "x"},
         "reports_to"),
        ("role in a department of another organization", "patch", role_url,
         {"department": elsewhere["department"].pk}, "department"),
        ("negative head count", "patch", role_url,
         {"headcount": [{"phase": phase.pk, "min": -1, "max": 3}]}, "headcount"),
        ("inverted head count", "patch", role_url,
         {"headcount": [{"phase": phase.pk, "min": 5, "max": 2}]}, "headcount"),
        ("head count above the limit", "patch", role_url,
         {"headcount": [{"phase": phase.pk, "min": 1, "max": 10**12}]}, "headcount"),
        ("unknown phase", "patch", role_url,
         {"headcount": [{"phase": 999_999, "min": 1, "max": 2}]}, "headcount"),
        ("phase of another organization", "patch", role_url,
         {"headcount": [{"phase": elsewhere["department"].organization.phases.first().pk,
                         "min": 1, "max": 2}]}, "headcount"),
        ("unknown position", "post", f"/api/v1/roles/{clerk.pk}/move/",
         {"reports_to": ceo.pk, "position": "inside"}, "position"),
        ("unknown department position", "post", f"/api/v1/departments/{service.pk}/move/",
         {"parent": None, "position": "above"}, "position"),
        ("wrong type: title is a number", "patch", role_url, {"title": 12}, "title"),
        ("wrong type: duties is a string", "patch", role_url, {"duties": "接待"}, "duties"),
        ("wrong type: head count is text", "patch", role_url,
         {"headcount": [{"phase": phase.pk, "min": "many", "max": 2}]}, "headcount"),
        ("wrong type: parent is a string", "post", f"/api/v1/departments/{service.pk}/move/",
         {"parent": "运营中心"}, "parent"),
        ("wrong type: boolean as id", "post", f"/api/v1/roles/{clerk.pk}/move/",
         {"reports_to": True}, "reports_to"),
        ("id beyond any database", "post", f"/api/v1/departments/{service.pk}/move/",
         {"parent": 2**80}, "parent"),
        ("oversized title", "patch", role_url, {"title": "长" * 201}, "title"),
        ("oversized duty", "patch", role_url, {"duties": ["长" * 2001]}, "duties"),
        ("oversized summary", "patch", f"/api/v1/departments/{service.pk}/",
         {"summary": "x" * 10_001}, "summary"),
        ("empty duty line", "patch", role_url, {"duties": ["  "]}, "duties"),
        ("salary band upside down", "patch", role_url,
         {"salary_min": 9000, "salary_max": 5000}, "non_field_errors"),
        ("invalid level", "patch", role_url, {"level": "king"}, "level"),
        ("parent changed by PATCH", "patch", f"/api/v1/departments/{service.pk}/",
         {"parent": None}, "parent"),
        ("manager changed by PATCH", "patch", role_url, {"reports_to": None}, "reports_to"),
        ("role without department", "post", "/api/v1/roles/", {"title": "x"}, "department"),
        ("department with children deleted (refuse)", "delete",
         f"/api/v1/departments/{center.pk}/", None, "non_field_errors"),
        ("unknown children policy", "delete",
         f"/api/v1/departments/{center.pk}/?children=cascade", None, "children"),
        ("role with reports deleted", "delete", f"/api/v1/roles/{ceo.pk}/", None,
         "non_field_errors"),
        ("duplicate department code", "patch", f"/api/v1/departments/{service.pk}/",
         {"code": center.code}, "non_field_errors"),
        ("taken organization slug", "patch", "/api/v1/organizations/acme/",
         {"slug": "elsewhere"}, "slug"),
        ("member without a user name or e-mail", "post", "/api/v1/organizations/acme/members/",
         {"role": "editor"}, "username"),
        ("last owner demoted", "patch", "/api/v1/organizations/acme/members/hr-manager/",
         {"role": "viewer"}, "role"),
        ("invalid language", "get", "/api/v1/organizations/acme/tree/?lang=fr", None, "lang"),
        ("invalid filter", "get", "/api/v1/roles/?organization=acme&level=king", None, "level"),
    ]  # fmt: skip


def snapshot():
    return (
        list(Organization.objects.order_by("pk").values_list("slug", "revision")),
        list(Department.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght")),
        list(Role.objects.order_by("pk").values_list("pk", "reports_to_id", "title_zh")),
        list(HeadcountTarget.objects.values_list("pk", "min_count", "max_count")),
    )


def test_every_bad_input_is_a_400_naming_the_field_and_changes_nothing(api, design, elsewhere):
    failures = []
    for what, method, url, body, field in bad_requests(design, elsewhere):
        before = snapshot()
        kwargs = {"format": "json"} if body is not None else {}
        response = getattr(api, method)(url, body, **kwargs)
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        errors = payload.get("errors", {})
        messages = [item["message"] for item in errors.get(field, [])]
        if response.status_code != 400 or not messages or not all(messages):
            failures.append((what, response.status_code, payload))
        elif snapshot() != before:
            failures.append((what, "changed the database", payload))
        elif not payload.get("detail"):
            failures.append((what, "no detail", payload))
    assert not failures, failures


@pytest.mark.parametrize(
    "body",
    ['{"title": "x"', "not json at all", '["a", "list"]', "null", '{"title": "\\ud800"}'],
)
def test_malformed_json_is_a_400(api, design, body):
    response = api.generic(
        "PATCH", f"/api/v1/roles/{design['clerk'].pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_form_post_is_refused_as_unsupported_media(api, design):
    response = api.post("/api/v1/departments/", {"organization": "acme", "name": "x"})
    assert response.status_code == 415


def test_a_cycle_says_which_node_and_why(api, design):
    response = api.post(
        f"/api/v1/roles/{design['ceo'].pk}/move/", {"reports_to": design["clerk"].pk},
        format="json", HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 400
    (error,) = response.json()["errors"]["reports_to"]
    assert error["code"] == "cycle"
    assert "CEO" in error["message"]


def test_inverted_head_count_names_the_phase_and_both_numbers(api, design):
    phase = design["organization"].phases.first()
    response = api.patch(
        f"/api/v1/roles/{design['clerk'].pk}/",
        {"headcount": [{"phase": phase.pk, "min": 5, "max": 2}]},
        format="json",
    )
    (error,) = response.json()["errors"]["headcount"]
    assert error["code"] == "inverted_headcount"
    assert "5" in error["message"] and "2" in error["message"] and phase.name in error["message"]


def test_huge_ids_in_urls_and_filters_are_not_server_errors(api, design):
    assert api.get(f"/api/v1/roles/{10**17}/").status_code == 404
    assert api.get(f"/api/v1/roles/{10**30}/").status_code == 404
    assert api.get(f"/api/v1/roles/?department={10**30}").status_code == 400
    assert api.get(f"/api/v1/roles/?hiring_priority={10**30}").status_code == 400
    assert api.get(f"/api/v1/departments/?parent={2**63}").status_code == 400


def test_unicode_digits_are_not_ids_or_revisions(api, design):
    url = f"/api/v1/departments/{design['service'].pk}/move/"
    response = api.post(url, {"parent": "²"}, format="json")
    assert response.status_code == 400 and "parent" in response.json()["errors"]
    response = api.post(url, {"parent": None}, format="json", HTTP_IF_MATCH='"²"')
    assert response.status_code == 412


@pytest.mark.django_db
def test_nul_characters_are_refused_in_bodies_and_query_strings(client, user):
    """PostgreSQL text cannot hold NUL: without this guard such input was a 500 there."""
    api = client_for(user)
    body = api.post(
        "/api/v1/organizations/", {"name_zh": "a\x00b"}, content_type="application/json"
    )
    query = api.get("/api/v1/organizations/", {"search": "a\x00b"})
    assert body.status_code == 400 and "NUL" in body.json()["detail"]
    assert query.status_code == 400 and "NUL" in query.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [40, 5000])
def test_deeply_nested_json_is_a_400_even_before_signing_in(depth):
    """5,000 levels made Python's JSON parser give up (a 500, even anonymously on the token
    endpoint); 40 parse but no API body nests that deep."""
    body = "[" * depth + "]" * depth
    for url in ("/api/v1/auth/token/", "/api/v1/departments/"):
        response = client_for(None).post(
            url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code in (400, 401), (url, response.status_code)
        if url.endswith("token/"):
            assert response.status_code == 400
            assert "nested" in response.json()["detail"]


def test_ordinary_json_bodies_still_parse(api, design):
    response = api.post(
        "/api/v1/departments/",
        {"organization": "acme", "name_zh": "嵌套测试", "name_en": "Nested"},
        format="json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_nul_in_a_path_is_a_400_not_a_database_error(api, design):
    for method in ("get", "patch", "delete"):
        response = getattr(api, method)(
            "/api/v1/organizations/acme/members/%00/", {"role": "viewer"}, format="json"
        )
        assert response.status_code == 400, (method, response.status_code)
        assert "NUL" in response.json()["detail"]
