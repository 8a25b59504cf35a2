"""An HR manager brings an organization in from a spreadsheet: upload, see the preview with the
one problem of the file (and no way to import it), upload the corrected file, import it, see the
chart, and take the whole import back with one Undo in the editor: the chart's phase menu, left
on a phase the import made, offers the organization's phases again and the chart is drawn (no
400 for the phase that is gone); Redo brings the import's phases back into the menu."""

import re

from playwright.sync_api import Page, expect

from roles.models import Role
from tests.browser.conftest import open_editor

HEADER = "部门,岗位名称,汇报对象,职级,启动期编制,成长期编制\n"
GOOD = (
    HEADER
    + "运营中心,店长,,经理,1,1\n"
    + ",运营专员,店长,专员,1,2～3\n"
    + "运营中心 > 客服部,客服主管,店长,主管,1,1\n"
    + ",客服专员,客服主管,专员,2,3-5\n"
)
# One mistake: a head count whose minimum is above its maximum (row 5, column F).
BAD = GOOD.replace("3-5", "5-3")


def choose_file(page: Page, text: str) -> None:
    page.locator("#import-file").set_input_files(
        files=[{"name": "岗位表.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )


def test_upload_preview_fix_apply_see_the_chart_and_undo(
    page: Page, live_server, sign_in, user, organization, console, screenshot
):
    sign_in(user, f"/orgs/{organization.slug}/edit/")
    page.locator("#import-link").click()
    expect(page.locator("h1")).to_contain_text(re.compile("导入|Import"))

    choose_file(page, BAD)
    page.locator("#import-upload button[type=submit]").click()
    problems = page.locator("#import-problems .import-problem")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("5")
    expect(problems.first).to_contain_text("F (成长期编制)")
    expect(page.locator("#import-apply-button")).to_be_disabled()
    screenshot("import-preview-with-a-problem")
    assert not Role.objects.filter(organization=organization).exists()

    page.locator("#import-again").click()
    choose_file(page, GOOD)
    page.locator("#import-upload button[type=submit]").click()
    expect(page.locator("#import-problems")).to_have_count(0)
    # Two phases, two departments, four roles.
    expect(page.locator(".import-item[data-action=create]")).to_have_count(8)
    page.locator("#import-apply-button").click()
    expect(page.locator("#import-applied")).to_be_visible()
    screenshot("import-applied")

    page.locator("#import-see-chart").click()
    expect(page.locator(".org-chart-viewport svg, svg").first).to_be_visible(timeout=20_000)
    expect(page.locator("body")).to_contain_text("客服专员")
    assert Role.objects.filter(organization=organization).count() == 4

    imported = list(organization.phases.order_by("order"))
    assert [phase.name_zh for phase in imported] == ["启动期", "成长期"]  # the defaults replaced
    open_editor(page, live_server, organization.slug)
    menu = page.locator("[data-chart-options] select[name=phase]")
    title = page.locator(".org-chart-viewport svg g.graph > text").first
    status = page.locator("[data-chart-status]")
    expect(menu.locator("option")).to_have_text(["启动期", "成长期"])

    # Keyboard: in the chart's phase menu an arrow key chooses the import's 成长期.
    menu.focus()
    with page.expect_response(lambda response: "/chart.svg" in response.url):
        page.keyboard.press("ArrowDown")
    expect(menu).to_have_value(str(imported[1].pk))
    expect(page).to_have_url(re.compile(rf"[?&]phase={imported[1].pk}(&|$)"))
    expect(title).to_contain_text("成长期")

    statuses = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    undo = page.locator("#undo-bar [data-undo]")
    expect(undo).to_be_enabled()
    # The whole import goes back with one Ctrl+Z (the focus out of the menu: in a menu the
    # browser keeps its own Ctrl+Z), its phases with it: the menu offers the organization's
    # phases again, before the chart asks for itself, so the refresh asks for no phase that is
    # gone and draws the menu's default, the first phase.
    page.locator("#editor-outlines .node-name").first.focus()
    with page.expect_response(lambda response: "/chart.svg" in response.url) as redrawn:
        page.keyboard.press("Control+z")
    assert redrawn.value.status < 400, redrawn.value.url
    expect(page.locator("#editor-outlines")).not_to_contain_text("客服专员")
    assert not Role.objects.filter(organization=organization).exists()
    defaults = list(organization.phases.order_by("order"))
    expect(menu.locator("option")).to_have_text([phase.name_zh for phase in defaults])
    offered = menu.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert not set(offered) & {str(phase.pk) for phase in imported}
    expect(menu).to_have_value(str(defaults[0].pk))
    expect(page).not_to_have_url(re.compile(rf"[?&]phase={imported[1].pk}(&|$)"))
    expect(title).to_contain_text(defaults[0].name_zh)
    expect(status).to_be_hidden()
    screenshot("import-undone-chart-phase-menu")

    # Ctrl+Shift+Z brings the import back: its phases are in the menu without a reload, and
    # choosing one draws it.
    expect(page.locator("#undo-bar [data-redo]")).to_be_enabled()
    page.locator("body").focus()
    with page.expect_response(lambda response: "/chart.svg" in response.url) as redrawn:
        page.keyboard.press("Control+Shift+Z")
    assert redrawn.value.status < 400, redrawn.value.url
    expect(page.locator("#editor-outlines")).to_contain_text("客服专员")
    expect(menu.locator("option")).to_have_text(["启动期", "成长期"])
    expect(menu).to_have_value(str(imported[0].pk))
    menu.focus()
    with page.expect_response(lambda response: "/chart.svg" in response.url) as redrawn:
        page.keyboard.press("ArrowDown")
    assert redrawn.value.status < 400, redrawn.value.url
    expect(menu).to_have_value(str(imported[1].pk))
    expect(title).to_contain_text("成长期")
    expect(status).to_be_hidden()
    assert [item for item in statuses if item[0] >= 400] == []
