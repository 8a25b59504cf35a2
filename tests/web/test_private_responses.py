"""Answers for a signed-in user are `private, no-store` unless the view chose its own caching."""

from django.urls import reverse

from tests.api.conftest import client_for


def test_pages_and_api_answers_for_a_user_are_not_stored(client, user, organization):
    client.force_login(user)
    for url in ("/", f"/orgs/{organization.slug}/", f"/orgs/{organization.slug}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    api = client_for(user).get(f"/api/v1/organizations/{organization.slug}/")
    assert api.status_code == 200
    assert "no-store" in api["Cache-Control"] and "private" in api["Cache-Control"]


def test_a_view_that_chose_its_caching_keeps_it(client, user, organization):
    client.force_login(user)
    url = reverse("charts:chart-file", kwargs={"slug": organization.slug, "fmt": "svg"})
    chart = client.get(url)
    assert chart["Cache-Control"] == "private, no-cache"
