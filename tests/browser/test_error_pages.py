"""Each error page in Chromium, in Chinese and in English, with DEBUG off (pytest-django's live
server runs with DEBUG False): the heading in the user's language and a way back that works."""

import re

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

HEADINGS = {
    "/test-errors/400/": (400, "Bad request"),
    "/test-errors/403/": (403, "Access denied"),
    "/no-such-page/": (404, "Page not found"),
    "/orgs/no-such-organization/": (404, "Page not found"),
    "/test-errors/500/": (500, "Server error"),
}


@pytest.fixture
def error_urls(settings):
    # tests.web.test_error_pages adds routes that raise each error to the site's own.
    settings.ROOT_URLCONF = "tests.web.test_error_pages"


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_error_pages_in_both_languages_with_a_way_back(
    page: Page, live_server, sign_in, user, console, error_urls, language
):
    assert django_settings.DEBUG is False
    for status in (400, 403, 404, 500):
        console.expect_status(status)
    sign_in(user, "/")
    if language == "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", language)
    back_home = translated(language, "Back to my organizations")
    back = translated(language, "Back to the previous page")

    for url, (status, title) in HEADINGS.items():
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == status, url
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_text(translated(language, title))
        expect(page.locator(".error-code")).to_have_text(str(status))
        link = page.get_by_role("link", name=back_home)
        expect(link).to_be_visible()
        # The way back: to the dashboard…
        link.click()
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.locator("h1")).to_be_visible()
        # …or to the page the user came from.
        page.goto(f"{live_server.url}{url}")
        page.get_by_role("button", name=back).click()
        expect(page).to_have_url(f"{live_server.url}/")


def test_csrf_failure_page_in_the_users_language(
    page: Page, live_server, sign_in, user, console, error_urls
):
    console.expect_status(403)
    sign_in(user, "/")
    # The form's token no longer matches the browser's: as after signing in again elsewhere.
    page.context.clear_cookies(name="csrftoken")
    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    expect(page.locator("h1")).to_have_text(translated("zh-hans", "The form has expired"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name=translated("zh-hans", "Back to the previous page")).click()
    expect(page).to_have_url(f"{live_server.url}/")
    # Nothing was changed: the page is still in Chinese.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".site-header nav")).to_contain_text(re.compile("我的组织"))


def test_csrf_failure_page_in_english(page: Page, live_server, sign_in, user, console, error_urls):
    """The same expired form for a user who reads the site in English: the page is English."""
    console.expect_status(403)
    sign_in(user, "/")
    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.context.clear_cookies(name="csrftoken")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("The form has expired")
    expect(page.get_by_role("link", name="Back to my organizations")).to_be_visible()
    page.get_by_role("button", name="Back to the previous page").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # nothing was changed
