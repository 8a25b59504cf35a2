"""A requirement marked preferred (优先, issue 20) with the keyboard only: from the line's
Chinese text, Shift+Tab to its Required/Preferred menu, an arrow key chooses "Preferred"; the
form is saved with Enter in a one-line field; after a reload the menu shows it, and the job
description lists the line under 优先条件 apart from the 任职要求."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from roles.services import role_update
from tests.browser.conftest import open_editor


def _open_role(page: Page, live_server) -> None:
    open_editor(page, live_server)
    page.get_by_role("button", name=re.compile("Customer Service Lead|客服主管")).first.click()
    expect(page.locator("#role-form")).to_be_visible()


def test_marking_a_requirement_preferred_with_the_keyboard_is_saved_and_shown(
    page: Page, live_server, sign_in, user, design, console
):
    lead = role_update(
        role=design["cs_lead"],
        requirements=[
            {"kind": "education", "text_zh": "大专以上学历", "text_en": "Associate degree"},
            {"kind": "experience", "text_zh": "有淘宝客服经验", "text_en": "Taobao service"},
        ],
    )
    sign_in(user, "/orgs/acme/edit/")
    _open_role(page, live_server)
    form = page.locator("#role-form")
    menus = form.locator("select[name=requirements-preferred]")
    expect(menus).to_have_count(2)
    expect(menus.nth(1)).to_have_value("")  # required, as saved

    form.locator("textarea[name=requirements-text_zh]").nth(1).click()
    page.keyboard.press("Shift+Tab")
    expect(menus.nth(1)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menus.nth(1)).to_have_value("1")
    page.wait_for_timeout(300)
    form.locator("input[name=hiring_priority]").click()
    page.keyboard.press("Enter")  # the form's implicit submission
    expect(page.locator("#role-panel .saved-note")).to_be_visible()
    saved = [(line.text_zh, line.preferred) for line in lead.requirements.order_by("order")]
    assert saved == [("大专以上学历", False), ("有淘宝客服经验", True)]

    page.reload()
    _open_role(page, live_server)
    menus = page.locator("#role-form select[name=requirements-preferred]")
    expect(menus.nth(0)).to_have_value("")
    expect(menus.nth(1)).to_have_value("1")
    expect(menus.nth(1).locator("option:checked")).to_have_text("优先条件")

    page.goto(live_server.url + reverse("roles:role-detail", args=["acme", lead.pk]))
    body = page.locator("body")
    expect(body).to_contain_text("任职要求")
    expect(body).to_contain_text("优先条件")
    text = body.inner_text()
    required_at, preferred_at = text.index("任职要求"), text.index("优先条件")
    assert required_at < text.index("大专以上学历") < preferred_at < text.index("有淘宝客服经验")
