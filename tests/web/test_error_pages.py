"""Error pages (400, 403, 404, 500, CSRF failure) in the site's layout and the user's language,
with a way back — with DEBUG off, as in production.

The extra routes below raise each error; the tests point ROOT_URLCONF at this module."""

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext

from teamorg.urls import urlpatterns as site_urlpatterns


def _server_error(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


def _bad_request(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("test-errors/500/", _server_error),
    path("test-errors/403/", _forbidden),
    path("test-errors/400/", _bad_request),
    *site_urlpatterns,
]

HEADINGS = {
    400: "Bad request",
    403: "Access denied",
    404: "Page not found",
    500: "Server error",
    "csrf": "The form has expired",
}


@pytest.fixture
def error_urls(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def heading(html: str) -> str:
    found = re.search(r'<h1 id="error-title">(.*?)</h1>', html, re.S)
    assert found, html[:500]
    return found.group(1).strip()


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "url, status",
    [
        ("/test-errors/400/", 400),
        ("/test-errors/403/", 403),
        ("/no-such-page/", 404),
        ("/test-errors/500/", 500),
    ],
)
def test_error_page_in_the_users_language_with_a_way_back(error_urls, user, language, url, status):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading(html) == translated(language, HEADINGS[status])
    # The site's layout (stylesheet, brand) and the way back to the dashboard.
    assert "/static/css/teamorg.css" in html and 'class="brand"' in html
    assert re.search(r'<a class="button primary" href="/">[^<]+</a>', html)
    assert translated(language, "Back to my organizations") in html
    assert "data-go-back" in html
    if status in (403, 404):
        # Full layout with the user's navigation (already translated words).
        assert translated(language, "My organizations") in html
        assert "hr-manager" in html


def test_404_of_an_organization_is_the_site_page_not_bare_text(error_urls, signed_in):
    response = signed_in.get("/orgs/no-such-organization/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Not Found</h1>" not in html
    assert heading(html) == translated("zh-hans", "Page not found")


def test_csrf_failure_page(error_urls, user):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert heading(html) == "The form has expired"
    assert '<a class="button primary" href="/">Back to my organizations</a>' in html


def test_the_500_page_renders_without_request_context_or_database(error_urls):
    # No `db` fixture: any query would raise.
    with translation.override("en"):
        html = render_to_string("500.html")
        bad_request = render_to_string("400.html")
        csrf = render_to_string("403_csrf.html", {"reason": "x"})
    assert heading(html) == "Server error"
    assert heading(bad_request) == "Bad request"
    assert heading(csrf) == "The form has expired"
    assert '<html lang="en">' in html
