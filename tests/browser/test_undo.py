"""Undo and redo in the editor from the keyboard: Ctrl+Z takes back the user's last change to
the design (here a delete that lifted the role's reports), Ctrl+Shift+Z does it again, and in
a text field Ctrl+Z stays the browser's own undo of the typing."""

import re

from playwright.sync_api import Page, expect

from roles.models import Role
from tests.browser.conftest import open_editor, row


def _delete_lifting_its_reports(page: Page, role: Role) -> None:
    row(page, "roles", role.pk).locator(".icon.danger").click()
    form = page.locator(f"#slot-roles-{role.pk} form")
    expect(form).to_be_visible()
    form.locator("input[name=children][value=lift]").check()
    form.get_by_role("button", name=re.compile("^(删除|Delete)$")).click()
    expect(page.locator(f"#roles-{role.pk}")).to_have_count(0)


def test_ctrl_z_brings_a_deleted_role_back_and_ctrl_shift_z_deletes_it_again(
    page: Page, live_server, sign_in, user, design, console
):
    ceo, director, cs_lead = design["ceo"], design["director"], design["cs_lead"]
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    undo = page.locator("#undo-bar [data-undo]")
    redo = page.locator("#undo-bar [data-redo]")
    expect(undo).to_be_disabled()
    expect(undo).to_have_text(re.compile("撤销|Undo"))

    _delete_lifting_its_reports(page, director)
    # 客服主管 reported to 运营总监; now to the CEO.
    expect(page.locator(f"#roles-{ceo.pk} > ul > #roles-{cs_lead.pk}")).to_have_count(1)
    expect(undo).to_be_enabled()
    expect(undo).to_have_attribute("title", re.compile("运营总监"))

    # The focus on the outline, not in a text field: the shortcut is the editor's.
    page.locator(f"#roles-{ceo.pk} .node-name").first.focus()
    page.keyboard.press("Control+z")

    back = page.locator(f"#roles-{director.pk}")
    expect(back).to_have_count(1)
    expect(back.locator(".node-name").first).to_have_text("运营总监")
    expect(page.locator(f"#roles-{ceo.pk} > ul > #roles-{director.pk}")).to_have_count(1)
    expect(page.locator(f"#roles-{director.pk} > ul > #roles-{cs_lead.pk}")).to_have_count(1)
    expect(page.locator("#editor-status")).to_contain_text("运营总监")
    expect(page.locator("#editor-status")).to_contain_text(re.compile(r"\d"))
    expect(redo).to_be_enabled()
    expect(redo).to_have_attribute("title", re.compile("运营总监"))

    page.locator("body").focus()
    page.keyboard.press("Control+Shift+Z")
    expect(page.locator(f"#roles-{director.pk}")).to_have_count(0)
    expect(page.locator(f"#roles-{ceo.pk} > ul > #roles-{cs_lead.pk}")).to_have_count(1)
    expect(undo).to_be_enabled()
    assert not Role.objects.filter(pk=director.pk).exists()


def test_ctrl_z_in_a_text_field_undoes_the_typing_not_the_design(
    page: Page, live_server, sign_in, user, design, console
):
    director, marketing = design["director"], design["marketing"]
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    _delete_lifting_its_reports(page, director)
    expect(page.locator("#undo-bar [data-undo]")).to_be_enabled()
    posted = []
    page.on("request", lambda request: request.method == "POST" and posted.append(request.url))

    page.get_by_role("button", name=f"重命名 {marketing.title_zh}").click()
    field = page.locator(f"#slot-roles-{marketing.pk} input[name=title_zh]")
    expect(field).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type("助理", delay=10)
    expect(field).to_have_value("市场总监助理")
    page.keyboard.press("Control+z")

    expect(field).not_to_have_value("市场总监助理")
    # Another request after it, on the editor's queue: an undo posted by the shortcut would
    # have gone first.
    page.keyboard.press("Escape")
    page.get_by_role("button", name=f"重命名 {design['ceo'].title_zh}").click()
    expect(page.locator(f"#slot-roles-{design['ceo'].pk} input[name=title_zh]")).to_be_visible()
    # The deleted role stays deleted: the browser undid the typing, not the editor the delete.
    assert [url for url in posted if "/edit/undo/" in url] == []
    expect(page.locator(f"#roles-{director.pk}")).to_have_count(0)
