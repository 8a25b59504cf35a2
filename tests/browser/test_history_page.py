"""The history page as an HR manager uses it: read who changed what, restore an earlier
revision, see the editor show it, and take the restore back."""

from playwright.sync_api import Page, expect

from departments.history.recording import Actor, acting
from departments.models import Channel
from roles import services as role_services
from tests.browser.conftest import open_editor
from tests.factories import department_path


def test_restore_an_earlier_revision_from_the_history_page(
    page: Page, live_server, sign_in, user, organization, console, screenshot
):
    with acting(Actor(user, Channel.EDITOR)):
        department = department_path(organization, "客服部")
        role = role_services.role_create(
            organization=organization, department=department, title_zh="客服专员"
        )
        organization.refresh_from_db()
        created = organization.revision
        role_services.role_update(role=role, title_zh="客服组长")

    sign_in(user, f"/orgs/{organization.slug}/history/")
    newest = page.locator(".history-entry").first
    expect(newest).to_contain_text("将 客服专员 更名为 客服组长")
    expect(newest).to_contain_text(user.username)
    screenshot("history-page")

    page.locator(f"#revision-{created} .history-restore button").click()
    expect(page.locator(".messages")).to_contain_text(f"已恢复到第 {created} 版")
    expect(page.locator(".history-entry").first).to_contain_text(f"恢复到第 {created} 版")
    expect(page.locator(".history-entry").first).to_contain_text("将 客服组长 更名为 客服专员")

    open_editor(page, live_server, organization.slug)
    expect(page.locator(f"#roles-{role.pk} .node-name").first).to_have_text("客服专员")

    # The restore is a revision like any other: taking it back gives the newer title again.
    page.goto(f"{live_server.url}/orgs/{organization.slug}/history/")
    page.locator(".history-entry").first.locator(".history-revert button").click()
    expect(page.locator(".messages")).to_contain_text("已撤回")
    open_editor(page, live_server, organization.slug)
    expect(page.locator(f"#roles-{role.pk} .node-name").first).to_have_text("客服组长")
