from playwright.sync_api import Page, expect

from roles.models import Role
from roles.services import role_update
from tests.browser.conftest import open_editor


def test_add_and_reorder_a_duty(page: Page, live_server, sign_in, user, design, console):
    lead = design["cs_lead"]
    role_update(role=lead, duties=[{"text_zh": "处理投诉", "text_en": "Handle complaints"}])
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)

    page.get_by_role("button", name="编辑 客服主管 的详细信息").click()
    duties = page.locator("fieldset[data-lines=duties]")
    expect(duties.locator("textarea")).to_have_count(1)
    duties.get_by_role("button", name="添加职责").click()
    new_line = duties.get_by_label("职责 2", exact=True)
    expect(new_line).to_be_focused()
    new_line.fill("每周培训新人")
    duties.get_by_role("button", name="上移: 职责 2").click()
    expect(duties.locator("textarea").first).to_have_value("每周培训新人")
    page.get_by_label("职级").select_option("supervisor")
    page.get_by_role("button", name="保存岗位").click()

    expect(page.locator("#role-panel .saved-note")).to_be_visible()
    expect(duties.locator("textarea")).to_have_count(2)
    expect(page.locator("fieldset[data-lines=duties] textarea").first).to_have_value("每周培训新人")
    saved = Role.objects.get(pk=lead.pk)
    assert [(d.text_zh, d.text_en) for d in saved.duties.all()] == [
        ("每周培训新人", ""),
        ("处理投诉", "Handle complaints"),
    ]
    assert saved.level == "supervisor"
