"""The chart's phase menu in the editor follows the design's phases after every edit, whoever
changed them: with the chart on 成熟期, someone else deletes that phase and adds 扩张期; the
user's next edit (a rename typed with the keyboard) brings the menu up to date before the chart
is drawn again: 成熟期 is gone and the chart falls back to the first phase (no 400 asked for the
deleted one, none kept in the address), and 扩张期 can be chosen at once, without a reload."""

import re

from playwright.sync_api import Page, expect

from departments.services import phase_create
from roles.services.phases import phase_delete_with_targets
from tests.browser.conftest import open_editor


def test_the_phase_menu_follows_phases_deleted_and_added_elsewhere(
    page: Page, live_server, sign_in, user, design, console
):
    organization = design["organization"]
    launch, growth, maturity = organization.phases.order_by("order")
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    menu = page.locator("[data-chart-options] select[name=phase]")
    title = page.locator(".org-chart-viewport svg g.graph > text").first
    status = page.locator("[data-chart-status]")
    expect(menu.locator("option")).to_have_text(["启动期", "成长期", "成熟期"])

    # Keyboard: the menu's last phase, one arrow key at a time.
    menu.focus()
    for _ in range(2):
        with page.expect_response(lambda response: "/chart.svg" in response.url):
            page.keyboard.press("ArrowDown")
        page.wait_for_timeout(100)
    expect(menu).to_have_value(str(maturity.pk))
    expect(page).to_have_url(re.compile(rf"[?&]phase={maturity.pk}(&|$)"))
    expect(title).to_contain_text("成熟期")

    # Someone else, on the phases page: 成熟期 deleted, 扩张期 added.
    phase_delete_with_targets(phase=maturity)
    expansion = phase_create(organization=organization, name_zh="扩张期", name_en="Expansion")

    statuses = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    page.get_by_role("button", name="重命名 客服部").click()
    field = page.get_by_label("客服部 的新名称")
    expect(field).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("客户服务部", delay=20)
    page.wait_for_timeout(100)
    with page.expect_response(lambda response: "/chart.svg" in response.url) as redrawn:
        page.keyboard.press("Enter")
    assert redrawn.value.status < 400, redrawn.value.url
    expect(page.locator(f"#departments-{design['service'].pk} .node-name").first).to_have_text(
        "客户服务部"
    )
    expect(menu.locator("option")).to_have_text(["启动期", "成长期", "扩张期"])
    offered = menu.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert offered == [str(phase.pk) for phase in (launch, growth, expansion)]
    expect(menu).to_have_value(str(launch.pk))
    expect(page).not_to_have_url(re.compile(rf"[?&]phase={maturity.pk}(&|$)"))
    expect(title).to_contain_text("启动期")
    expect(status).to_be_hidden()
    expect(page.locator(".org-chart-viewport svg")).to_contain_text("客户服务部")

    # The new phase is there to choose, without a reload.
    menu.focus()
    page.keyboard.press("End")
    expect(menu).to_have_value(str(expansion.pk))
    expect(title).to_contain_text("扩张期")
    expect(status).to_be_hidden()
    expect(page).to_have_url(re.compile(rf"[?&]phase={expansion.pk}(&|$)"))
    assert [item for item in statuses if item[0] >= 400] == []
