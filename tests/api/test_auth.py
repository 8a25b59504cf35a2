import pytest

from roles.services import collaboration_create
from tests.api.conftest import client_for
from tests.snapshots import database_snapshot

LIST_URLS = [
    "/api/v1/organizations/",
    "/api/v1/organizations/acme/",
    "/api/v1/organizations/acme/tree/",
    "/api/v1/organizations/acme/members/",
    "/api/v1/departments/",
    "/api/v1/roles/",
    "/api/v1/phases/",
    "/api/v1/collaborations/",
]


def test_token_for_a_good_password_works_as_authorization(user, organization):
    client = client_for()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "hr-manager", "password": "correct horse battery staple"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    slugs = [org["slug"] for org in client.get("/api/v1/organizations/").json()["results"]]
    assert "acme" in slugs


def test_token_for_a_wrong_password_is_a_400_naming_the_problem(user):
    response = client_for().post(
        "/api/v1/auth/token/", {"username": "hr-manager", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "token" not in body
    assert body["detail"] and body["errors"]["non_field_errors"][0]["message"]


def test_token_without_a_password_names_the_field(user):
    response = client_for().post("/api/v1/auth/token/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_callers_get_401(organization, url):
    response = client_for().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def anonymous_writes(design) -> list[tuple[str, str, dict | None]]:
    """(method, url, body) of every kind of write, each one that the owner could make (the
    member added is `other_user`)."""
    service, clerk = design["service"], design["clerk"]
    phase = design["organization"].phases.first()
    line = collaboration_create(
        organization=design["organization"], from_department=design["center"], to_department=service
    )
    return [
        ("post", "/api/v1/organizations/", {"name": "x"}),
        ("patch", "/api/v1/organizations/acme/", {"name_en": "Renamed"}),
        ("delete", "/api/v1/organizations/acme/", None),
        ("post", "/api/v1/organizations/acme/clone/", {"name": "副本"}),
        (
            "post",
            "/api/v1/organizations/acme/members/",
            {"username": "someone-else", "role": "viewer"},
        ),
        ("patch", "/api/v1/organizations/acme/members/hr-manager/", {"role": "viewer"}),
        ("delete", "/api/v1/organizations/acme/members/hr-manager/", None),
        ("post", "/api/v1/departments/", {"organization": "acme", "name": "新部门"}),
        ("patch", f"/api/v1/departments/{service.pk}/", {"name": "售后部"}),
        ("post", f"/api/v1/departments/{service.pk}/move/", {"parent": None}),
        ("delete", f"/api/v1/departments/{service.pk}/?children=lift", None),
        ("post", "/api/v1/roles/", {"department": service.pk, "title": "新岗位"}),
        ("patch", f"/api/v1/roles/{clerk.pk}/", {"duties": ["回复咨询"]}),
        ("post", f"/api/v1/roles/{clerk.pk}/move/", {"reports_to": None}),
        ("delete", f"/api/v1/roles/{clerk.pk}/?children=lift", None),
        ("post", "/api/v1/phases/", {"organization": "acme", "name": "第四阶段"}),
        ("patch", f"/api/v1/phases/{phase.pk}/", {"name": "第一阶段"}),
        ("delete", f"/api/v1/phases/{phase.pk}/", None),
        (
            "post",
            "/api/v1/collaborations/",
            {"organization": "acme", "from_role": clerk.pk, "to_department": service.pk},
        ),
        ("patch", f"/api/v1/collaborations/{line.pk}/", {"description": "对接"}),
        ("delete", f"/api/v1/collaborations/{line.pk}/", None),
    ]


def test_anonymous_writes_get_401_and_change_nothing(design, other_user):
    writes = anonymous_writes(design)
    before = database_snapshot()
    client = client_for()
    for method, url, body in writes:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 401, (method, url, response.content)
        assert response["WWW-Authenticate"] == "Token"
    assert database_snapshot() == before
    assert {method for method, _url, _body in writes} == {"post", "patch", "delete"}


def test_a_wrong_token_gets_401(organization):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/organizations/").status_code == 401


def test_session_auth_works_for_the_browser(client, user, organization):
    # Through the sign-in page: the sign-in limits' backend needs the request that signs in,
    # which `client.login()` does not pass.
    client.post(
        "/accounts/login/", {"username": "hr-manager", "password": "correct horse battery staple"}
    )
    response = client.get("/api/v1/organizations/acme/")
    assert response.status_code == 200
    assert response.json()["slug"] == "acme"
