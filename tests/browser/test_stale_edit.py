from playwright.sync_api import Page, expect

from departments import services
from departments.models import Department
from tests.browser.conftest import open_editor


def _rename_after_a_colleague(page: Page, live_server, sign_in, user, department):
    """Open the rename field of 客服部; a colleague renames it to 售后服务部 meanwhile; type
    客户服务部 and press Enter. Returns the field."""
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    page.get_by_role("button", name="重命名 客服部").click()
    field = page.get_by_label("客服部 的新名称")
    # A person waits for the cursor to land in the field before typing over its text.
    expect(field).to_be_focused()
    services.department_update(department=department, name_zh="售后服务部")
    page.keyboard.press("Control+A")
    page.keyboard.type("客户服务部", delay=10)
    page.keyboard.press("Enter")
    return field


def test_a_stale_edit_of_the_same_field_is_refused_and_keeps_the_typed_text(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(409)  # the refused write
    department = design["service"]
    field = _rename_after_a_colleague(page, live_server, sign_in, user, department)
    alert = page.locator("#editor-alert [data-stale]")
    expect(alert).to_contain_text("«售后服务部»")
    expect(alert).to_contain_text("«客户服务部»")
    expect(field).to_have_value("客户服务部")  # what the user typed is still there
    assert Department.objects.get(pk=department.pk).name_zh == "售后服务部"

    alert.get_by_role("link", name="重新加载编辑器").click()
    expect(page.locator(f"#departments-{department.pk} .node-name").first).to_have_text(
        "售后服务部"
    )


def test_sending_a_refused_rename_again_keeps_what_the_user_typed(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(409)  # the first, refused send
    department = design["service"]
    field = _rename_after_a_colleague(page, live_server, sign_in, user, department)
    expect(page.locator("#editor-alert [data-stale]")).to_contain_text("«售后服务部»")
    # They saw the colleague's name and still want theirs: Enter again saves it.
    field.press("Enter")
    expect(page.locator(f"#departments-{department.pk} .node-name").first).to_have_text(
        "客户服务部"
    )
