"""A missing object is a 404 in every API endpoint: ids and slugs that do not exist, and an
object that another writer deleted while this write waited for the tree lock."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.exceptions import ValidationError as DRFValidationError

from departments import services as departments_services
from departments.models import Organization
from roles import services as roles_services
from teamorg.api_errors import exception_handler
from teamorg.errors import field_error
from tests.snapshots import database_snapshot

MISSING_ID = 987_654_321


def missing_object_requests() -> list[tuple[str, str, dict | None]]:
    """(method, url, body) of every endpoint that names an object in its URL, with an object
    that does not exist; the bodies would be valid for an existing one."""
    requests = []
    for kind in ("departments", "roles", "phases", "collaborations"):
        url = f"/api/v1/{kind}/{MISSING_ID}/"
        requests += [("get", url, None), ("patch", url, {}), ("delete", url, None)]
    requests += [
        ("post", f"/api/v1/departments/{MISSING_ID}/move/", {"parent": None}),
        ("post", f"/api/v1/roles/{MISSING_ID}/move/", {"reports_to": None}),
    ]
    url = "/api/v1/organizations/no-such-org/"
    requests += [
        ("get", url, None),
        ("patch", url, {"name_en": "x"}),
        ("delete", url, None),
        ("get", f"{url}tree/", None),
        ("post", f"{url}clone/", {"name": "副本"}),
        ("get", f"{url}members/", None),
        ("post", f"{url}members/", {"username": "hr-manager", "role": "viewer"}),
        ("patch", f"{url}members/hr-manager/", {"role": "viewer"}),
        ("delete", f"{url}members/hr-manager/", None),
        ("patch", "/api/v1/organizations/acme/members/nobody/", {"role": "viewer"}),
        ("delete", "/api/v1/organizations/acme/members/nobody/", None),
    ]
    return requests


def test_every_endpoint_answers_404_for_a_missing_object(api, design):
    before = database_snapshot()
    for method, url, body in missing_object_requests():
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["detail"], (method, url)
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "write",
    ["department_update", "phase_update", "organization_update", "membership_set"],
)
def test_an_organization_deleted_while_a_write_waits_is_404_not_500(
    api, design, monkeypatch, write
):
    """The view found the organization; by the time the service takes the lock and re-reads it,
    another writer has deleted it (simulated by deleting it just before the real service runs)."""
    real_service = getattr(departments_services, write)
    organization = design["organization"]

    def deleted_meanwhile(**kwargs):
        roles_services.organization_delete(organization=organization)
        return real_service(**kwargs)

    monkeypatch.setattr(departments_services, write, deleted_meanwhile)
    department = design["service"]
    phase = organization.phases.first()
    method, url, body = {
        "department_update": ("patch", f"/api/v1/departments/{department.pk}/", {"name": "x"}),
        "phase_update": ("patch", f"/api/v1/phases/{phase.pk}/", {"name": "x"}),
        "organization_update": ("patch", "/api/v1/organizations/acme/", {"name_en": "x"}),
        "membership_set": (
            "patch",
            "/api/v1/organizations/acme/members/hr-manager/",
            {"role": "owner"},
        ),
    }[write]
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == 404, response.content
    assert response.json()["detail"]
    # The refused write rolled back with everything in its transaction.
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_a_missing_object_noticed_anywhere_is_404():
    response = exception_handler(Organization.DoesNotExist(), {})
    assert response.status_code == 404
    assert response.data["detail"]


def test_service_and_serializer_errors_take_one_format():
    """A Django ValidationError (services) and a DRF one (serializers) with the same content
    give the same body."""
    from_service = exception_handler(field_error("parent", "不能移到自己下面。", "cycle"), {})
    from_serializer = exception_handler(
        DRFValidationError({"parent": ["不能移到自己下面。"]}, code="cycle"), {}
    )
    expected = {
        "detail": "不能移到自己下面。",
        "errors": {"parent": [{"message": "不能移到自己下面。", "code": "cycle"}]},
    }
    assert from_service.status_code == from_serializer.status_code == 400
    assert from_service.data == from_serializer.data == expected
    without_field = exception_handler(
        ValidationError("%(n)s 个岗位", code="has_roles", params={"n": 3}), {}
    )
    assert without_field.data == {
        "detail": "3 个岗位",
        "errors": {"non_field_errors": [{"message": "3 个岗位", "code": "has_roles"}]},
    }
    whole_object = exception_handler(ValidationError({"__all__": ["整体不对。"]}), {})
    assert whole_object.data["errors"] == {
        "non_field_errors": [{"message": "整体不对。", "code": "invalid"}]
    }


@pytest.mark.parametrize(
    "url",
    ["/api/v1/nothing-here/", "/api/v1/departments/abc/", "/api/v1/roles/%C2%B2/", "/api/v2/"],
)
def test_an_api_url_no_route_matches_is_a_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_page_url_no_route_matches_is_still_an_html_404(client):
    response = client.get("/orgs/no-such/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
