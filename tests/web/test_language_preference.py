"""The interface language follows the user's account, not only one browser's cookie."""

import pytest
from django.test import Client

from departments.models import UserPreferences

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(user) -> Client:
    browser = Client()
    response = browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def test_a_language_chosen_in_one_browser_opens_the_next_one(user):
    laptop = sign_in(user)
    laptop.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert UserPreferences.objects.get(user=user).language == "en"

    tablet = sign_in(user)  # a new browser: no language cookie, a Chinese Accept-Language
    page = tablet.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "<h1>My organizations</h1>" in page and 'lang="en"' in page


def test_switching_back_to_chinese_is_remembered_too(user):
    browser = sign_in(user)
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    page = sign_in(user).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>我的组织</h1>" in page


def test_an_unknown_language_changes_nothing(user):
    browser = sign_in(user)
    browser.post("/i18n/setlang/", {"language": "klingon", "next": "/"})
    assert not UserPreferences.objects.filter(user=user).exists()
    assert "<h1>我的组织</h1>" in browser.get("/").content.decode()


def test_without_a_preference_the_browser_decides(user):
    page = sign_in(user).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>My organizations</h1>" in page
