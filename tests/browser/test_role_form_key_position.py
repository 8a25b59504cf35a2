"""The role form's key position (关键岗位, issue 20) with the keyboard only: Tab from the hiring
priority to the checkbox, Space ticks it, Shift+Tab and Enter save the form; after a reload
the form shows it ticked, with the model field's help text beside it."""

import re

from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from roles.models import Role
from tests.browser.conftest import open_editor


def _open_role(page: Page, live_server) -> None:
    open_editor(page, live_server)
    page.get_by_role("button", name=re.compile("Customer Service Lead|客服主管")).first.click()
    expect(page.locator("#role-form")).to_be_visible()


def test_ticking_key_position_with_the_keyboard_is_saved_and_shown(
    page: Page, live_server, sign_in, user, design, console
):
    lead = design["cs_lead"]
    sign_in(user, "/orgs/acme/edit/")
    _open_role(page, live_server)
    form = page.locator("#role-form")
    checkbox = form.locator("input[name=key_position]")
    expect(checkbox).not_to_be_checked()
    # The help text is the checkbox's description (what a screen reader reads with it).
    expect(checkbox).to_have_attribute("aria-describedby", "id_key_position_helptext")
    field = Role._meta.get_field("key_position")
    with translation.override("zh-hans"):  # the browser's language (zh-CN)
        help_text, label_text = str(field.help_text), str(capfirst(field.verbose_name))
    expect(form.locator("#id_key_position_helptext")).to_have_text(help_text)
    form.locator("input[name=hiring_priority]").click()
    page.keyboard.press("Tab")
    expect(checkbox).to_be_focused()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.wait_for_timeout(300)
    page.keyboard.press("Shift+Tab")
    expect(form.locator("input[name=hiring_priority]")).to_be_focused()
    page.keyboard.press("Enter")  # the form's implicit submission
    expect(page.locator("#role-panel .saved-note")).to_be_visible()
    assert Role.objects.get(pk=lead.pk).key_position is True

    page.reload()
    _open_role(page, live_server)
    checkbox = page.locator("#role-form input[name=key_position]")
    expect(checkbox).to_be_checked()
    label = page.locator("#role-form label[for=id_key_position]")
    expect(label).to_have_text(label_text)
    expect(page.locator("#role-form #id_key_position_helptext")).to_have_text(help_text)
