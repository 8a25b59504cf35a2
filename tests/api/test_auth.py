import pytest

from tests.api.conftest import client_for

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


def test_anonymous_writes_get_401_and_change_nothing(organization):
    response = client_for().post("/api/v1/organizations/", {"name": "x"}, format="json")
    assert response.status_code == 401


def test_a_wrong_token_gets_401(organization):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/organizations/").status_code == 401


def test_session_auth_works_for_the_browser(client, user, organization):
    client.login(username="hr-manager", password="correct horse battery staple")
    response = client.get("/api/v1/organizations/acme/")
    assert response.status_code == 200
    assert response.json()["slug"] == "acme"
