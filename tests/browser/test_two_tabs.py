"""Two tabs of the same user on one design. Saves of different things both go through, however
old the page; a save of a field changed in the other tab since comes back with both values, the
other tab named as such, and what was typed still in the form; saving it again keeps it."""

import re

from playwright.sync_api import Page, expect

from departments.services import department_create
from tests.browser.conftest import SCREENSHOTS, ConsoleWatch, open_editor


def _watch(tab: Page) -> ConsoleWatch:
    watch = ConsoleWatch()
    tab.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    return watch


def _open_role(tab: Page, pk: int):
    tab.locator(f"#roles-{pk} > .node-row .node-name").click()
    form = tab.locator(f"#role-form[action$='/roles/{pk}/']")
    expect(form).to_be_visible()
    return form


def _retype(tab: Page, field, text: str) -> None:
    field.click()
    tab.keyboard.press("Control+A")
    tab.keyboard.type(text, delay=10)


def test_two_tabs_save_different_things_and_settle_the_same_title(
    page: Page, live_server, sign_in, user, design, console
):
    compliance = department_create(
        organization=design["organization"],
        parent=design["operations"],
        name_zh="合规部",
        name_en="Compliance",
    )
    marketing, cs_lead = design["marketing"], design["cs_lead"]
    sign_in(user, "/orgs/acme/edit/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab_a = page
    tab_b = page.context.new_page()
    console_b = _watch(tab_b)
    console_b.expect_status(409)  # B's first save of the title: the conflict
    open_editor(tab_a, live_server)
    open_editor(tab_b, live_server)  # loaded before A saves anything

    # A renames 合规部 in its form.
    tab_a.locator(f"#departments-{compliance.pk} > .node-row .edit-button").click()
    department_form = tab_a.locator(f"#department-form[action$='/departments/{compliance.pk}/']")
    expect(department_form).to_be_visible()
    _retype(tab_a, department_form.locator("input[name=name_zh]"), "合规与风控部")
    department_form.locator("button[type=submit]").click()
    expect(tab_a.locator("#role-panel .saved-note")).to_be_visible()
    expect(tab_a.locator(f"#departments-{compliance.pk} .node-name").first).to_have_text(
        "合规与风控部"
    )

    # B, on its older page, retitles an unrelated role: saved, no conflict.
    form_b = _open_role(tab_b, marketing.pk)
    _retype(tab_b, form_b.locator("input[name=title_zh]"), "市场副总裁")
    form_b.locator("button[type=submit]").click()
    expect(tab_b.locator("#role-panel .saved-note")).to_be_visible()
    expect(tab_b.locator("[data-conflict], #editor-alert [data-stale]")).to_have_count(0)
    expect(tab_b.locator(f"#roles-{marketing.pk} .node-name").first).to_have_text("市场副总裁")
    # B's outlines now show A's rename too.
    expect(tab_b.locator(f"#departments-{compliance.pk} .node-name").first).to_have_text(
        "合规与风控部"
    )

    # Both open 客服主管; A saves a new title first.
    form_a = _open_role(tab_a, cs_lead.pk)
    form_b = _open_role(tab_b, cs_lead.pk)
    _retype(tab_a, form_a.locator("input[name=title_zh]"), "客服经理")
    form_a.locator("button[type=submit]").click()
    expect(tab_a.locator("#role-panel .saved-note")).to_be_visible()

    title_b = form_b.locator("input[name=title_zh]")
    _retype(tab_b, title_b, "客服组长")
    form_b.locator("button[type=submit]").click()
    conflict = tab_b.locator("#role-panel [data-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("«客服经理»")
    expect(conflict).to_contain_text("«客服组长»")
    # "you, in another tab", not "someone else"
    expect(conflict).to_contain_text(re.compile("another tab|另一个标签页"))
    expect(conflict.locator("li")).to_have_count(1)  # only the title
    title_b = tab_b.locator(f"#role-form[action$='/roles/{cs_lead.pk}/'] input[name=title_zh]")
    expect(title_b).to_have_value("客服组长")  # nothing typed is lost
    expect(tab_b.locator("#role-panel .saved-note")).to_have_count(0)
    conflict.scroll_into_view_if_needed()
    tab_b.screenshot(path=str(SCREENSHOTS / "two-tabs-conflict.png"))

    # "Save mine": the same button, now saying that it keeps the typed values.
    tab_b.locator("#role-form button[type=submit]").click()
    expect(tab_b.locator("#role-panel .saved-note")).to_be_visible()
    expect(tab_b.locator("#role-panel [data-conflict]")).to_have_count(0)
    expect(tab_b.locator(f"#roles-{cs_lead.pk} .node-name").first).to_have_text("客服组长")

    tab_a.reload()
    expect(tab_a.locator(f"#roles-{cs_lead.pk} .node-name").first).to_have_text("客服组长")
    assert console_b.unexpected() == []
