from playwright.sync_api import Page, expect

from departments.models import Organization
from roles.models import Role
from tests.browser.conftest import open_editor, row


def test_an_invalid_move_shows_the_message_and_changes_nothing(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(400)  # the refused move
    revision = Organization.objects.get(slug="acme").revision
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    director, lead = design["director"], design["cs_lead"]
    outline = page.locator("[data-outline=roles]").inner_html()

    # A manager dropped onto its own subordinate.
    row(page, "roles", director.pk).drag_to(row(page, "roles", lead.pk))

    alert = page.locator("#editor-alert")
    expect(alert).to_contain_text("不能移动到它自己或它的下级之下")
    assert page.locator("[data-outline=roles]").inner_html() == outline
    assert Role.objects.get(pk=director.pk).reports_to_id == design["ceo"].pk
    assert Organization.objects.get(slug="acme").revision == revision
