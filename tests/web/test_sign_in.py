import pytest


@pytest.mark.parametrize("path", ["/", "/orgs/new/", "/orgs/acme/", "/orgs/acme/edit/"])
def test_pages_need_sign_in(client, organization, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_sign_in_then_out(client, user):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()

    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_the_form_again(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "field-errors" in response.content.decode()
    assert client.get("/").status_code == 302
