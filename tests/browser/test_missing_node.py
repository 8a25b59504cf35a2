from playwright.sync_api import Page, expect

from departments.models import Organization
from roles import services as role_services
from tests.browser.conftest import open_editor


def test_a_node_deleted_meanwhile_shows_a_message_not_a_broken_form(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(404)  # the role is gone: its rename form is not found
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    # Someone else deletes the marketing director after the page was drawn.
    role_services.role_delete(role=design["marketing"])
    revision = Organization.objects.get(slug="acme").revision

    page.get_by_role("button", name="重命名 市场总监").click()

    alert = page.locator("#editor-alert")
    expect(alert).to_contain_text("这个岗位不属于（或已不属于）这个组织。")
    expect(page.locator(f"#slot-roles-{design['marketing'].pk} form")).to_have_count(0)
    assert Organization.objects.get(slug="acme").revision == revision
