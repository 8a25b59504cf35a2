from playwright.sync_api import Page, expect

from roles.models import Role
from tests.browser.conftest import open_editor, row, show_reporting_chart


def edge(page: Page, manager: int, report: int):
    titles = page.locator(".org-chart-viewport svg g.edge > title")
    return titles.filter(has_text=f"r{manager}->r{report}")


def test_drag_a_role_to_another_manager_and_the_chart_follows(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    show_reporting_chart(page)
    lead, director, marketing = design["cs_lead"], design["director"], design["marketing"]
    expect(edge(page, director.pk, lead.pk)).to_have_count(1)

    row(page, "roles", lead.pk).drag_to(row(page, "roles", marketing.pk))

    expect(page.locator("#editor-status")).to_contain_text("客服主管")
    expect(page.locator(f"#roles-{marketing.pk} #roles-{lead.pk}")).to_have_count(1)
    expect(edge(page, marketing.pk, lead.pk)).to_have_count(1)
    expect(edge(page, director.pk, lead.pk)).to_have_count(0)
    assert Role.objects.get(pk=lead.pk).reports_to_id == marketing.pk


def test_move_with_the_keyboard(page: Page, live_server, sign_in, user, design, console):
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    department = design["service"]
    page.get_by_role("button", name="移动 客服部 到…").focus()
    page.keyboard.press("Enter")
    target = page.get_by_label("放在这个部门旁边或下面")
    expect(target).to_be_focused()
    target.select_option(label="（顶层）")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="移动", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#editor-status")).to_contain_text("顶层")
    moved = page.locator(f"[data-outline=departments] > ul > #departments-{department.pk}")
    expect(moved).to_have_count(1)
    # The moved department keeps the keyboard focus.
    expect(page.locator(f"#departments-{department.pk} .node-name").first).to_be_focused()
