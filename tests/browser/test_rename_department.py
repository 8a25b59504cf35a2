from playwright.sync_api import Page, expect

from departments.models import Department
from tests.browser.conftest import open_editor


def test_rename_a_department_in_place(page: Page, live_server, sign_in, user, design, console):
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    department = design["service"]
    page.get_by_role("button", name="重命名 客服部").click()
    field = page.get_by_label("客服部 的新名称")
    expect(field).to_have_value("客服部")
    field.fill("客户服务部")
    field.press("Enter")

    node = page.locator(f"#departments-{department.pk} .node-name").first
    expect(node).to_have_text("客户服务部")
    # The chart is drawn again with the new name.
    expect(page.locator(".org-chart-viewport svg")).to_contain_text("客户服务部")
    assert Department.objects.get(pk=department.pk).name_zh == "客户服务部"
