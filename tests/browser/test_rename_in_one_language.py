"""The issue's own case, in Chromium with the outline's rename button: working in English, a
manager renames "Customer Service Lead" to "Customer Support Lead". The editor says that the
Chinese title is still 客服主管 (so the Chinese view is not silently out of step), and the
Chinese view indeed shows 客服主管 until it is changed too."""

from playwright.sync_api import Page, expect

from roles.models import Role
from tests.browser.conftest import open_editor


def _switch_language(page: Page, code: str) -> None:
    with page.expect_navigation():
        page.locator("#language-select").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_renaming_in_english_says_the_chinese_title_stayed(
    page: Page, live_server, sign_in, user, design, console
):
    lead = design["cs_lead"]
    sign_in(user, "/orgs/acme/edit/")
    _switch_language(page, "en")
    open_editor(page, live_server)

    page.locator(f"#roles-{lead.pk} > .node-row button[hx-get$='/rename/']").click()
    slot = page.locator(f"#slot-roles-{lead.pk}")
    english = slot.locator("input[name=title_en]")
    expect(english).to_be_focused()  # the page's language first
    expect(slot.locator("input[name=title_zh]")).to_have_value("客服主管")  # shown beside it
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Customer Support Lead", delay=15)
    page.keyboard.press("Enter")

    expect(page.locator(f"#roles-{lead.pk} .node-name").first).to_have_text("Customer Support Lead")
    alert = page.locator("#editor-alert")
    expect(alert).to_contain_text(
        "Only the English text of “Title” was changed; the Chinese text is still “客服主管”."
    )
    role = Role.objects.get(pk=lead.pk)
    assert (role.title_zh, role.title_en) == ("客服主管", "Customer Support Lead")

    # The Chinese view: still the Chinese title, as the note said, until it is changed too.
    _switch_language(page, "zh-hans")
    expect(page.locator(f"#roles-{lead.pk} .node-name").first).to_have_text("客服主管")
    page.locator(f"#roles-{lead.pk} > .node-row button[hx-get$='/rename/']").click()
    expect(slot.locator("input[name=title_zh]")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("客户支持主管", delay=15)
    page.keyboard.press("Enter")
    expect(page.locator(f"#roles-{lead.pk} .node-name").first).to_have_text("客户支持主管")
    # Now the English one is the older text: the note names it, so the user can check it.
    expect(page.locator("#editor-alert")).to_contain_text("“Customer Support Lead”")
    role = Role.objects.get(pk=lead.pk)
    assert (role.title_zh, role.title_en) == ("客户支持主管", "Customer Support Lead")
