from playwright.sync_api import Page, expect

from roles.models import HeadcountTarget
from tests.browser.conftest import open_editor


def test_set_a_head_count_range(page: Page, live_server, sign_in, user, design, console):
    lead = design["cs_lead"]
    phase = design["organization"].phases.order_by("order").first()
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)

    low = page.get_by_label(f"客服主管 在 {phase.name_zh}：至少")
    high = page.get_by_label(f"客服主管 在 {phase.name_zh}：至多")
    low.fill("8")
    low.press("Tab")
    expect(page.locator("#editor-status")).to_contain_text("8")
    high.fill("10")
    high.press("Tab")

    expect(page.locator("#editor-status")).to_contain_text("8–10")
    expect(page.locator(f"#hc-total-{phase.pk}")).to_have_text("8–10")
    target = HeadcountTarget.objects.get(role=lead, phase=phase)
    assert (target.min_count, target.max_count) == (8, 10)
