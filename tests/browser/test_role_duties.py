import re

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
    chinese = duties.locator("textarea[name=duties-text_zh]")
    english = duties.locator("textarea[name=duties-text_en]")
    expect(chinese).to_have_count(1)
    expect(english).to_have_count(1)
    duties.get_by_role("button", name="添加岗位职责").click()
    # The new line: a text per language, the page's language (Chinese) first and focused.
    new_line = duties.get_by_label(re.compile(r"^岗位职责 2 · (中文|Chinese)$"))
    expect(new_line).to_be_focused()
    page.keyboard.type("每周培训新人", delay=20)
    page.keyboard.press("Tab")
    expect(duties.get_by_label(re.compile(r"^岗位职责 2 · (英文|English)$"))).to_be_focused()
    page.keyboard.type("Train newcomers weekly", delay=20)
    duties.get_by_role("button", name="上移: 岗位职责 2").click()
    expect(chinese.first).to_have_value("每周培训新人")
    expect(english.first).to_have_value("Train newcomers weekly")
    expect(duties.get_by_label(re.compile(r"^岗位职责 1 · (中文|Chinese)$"))).to_have_value(
        "每周培训新人"
    )
    page.get_by_label("职级").select_option("supervisor")
    page.get_by_role("button", name="保存岗位").click()

    expect(page.locator("#role-panel .saved-note")).to_be_visible()
    expect(chinese).to_have_count(2)
    expect(page.locator("fieldset[data-lines=duties] textarea").first).to_have_value("每周培训新人")
    saved = Role.objects.get(pk=lead.pk)
    assert [(d.text_zh, d.text_en) for d in saved.duties.all()] == [
        ("每周培训新人", "Train newcomers weekly"),
        ("处理投诉", "Handle complaints"),
    ]
    assert saved.level == "supervisor"


def test_removing_a_line_removes_both_languages(
    page: Page, live_server, sign_in, user, design, console
):
    lead = design["cs_lead"]
    role_update(
        role=lead,
        duties=[
            {"text_zh": "处理投诉", "text_en": "Handle complaints"},
            {"text_zh": "培训新人", "text_en": "Train newcomers"},
        ],
    )
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    page.get_by_role("button", name="编辑 客服主管 的详细信息").click()
    duties = page.locator("fieldset[data-lines=duties]")
    duties.get_by_role("button", name="移除: 岗位职责 1").click()
    expect(duties.locator("li.line")).to_have_count(1)
    page.get_by_role("button", name="保存岗位").click()
    expect(page.locator("#role-panel .saved-note")).to_be_visible()
    saved = Role.objects.get(pk=lead.pk)
    assert [(d.text_zh, d.text_en) for d in saved.duties.all()] == [("培训新人", "Train newcomers")]
