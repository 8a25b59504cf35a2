import re

from playwright.sync_api import Page, expect

from departments.models import Department
from departments.services import department_create
from tests.browser.conftest import SCREENSHOTS, open_editor

GROUP_FILL = {"front-line": "#b7e4c4", "": "#d9e0ea"}  # the header fill of a department box


# Elements of the detail panel wider than the viewport (tag, id, class, right edge).
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('#role-panel, #role-panel *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .map(el => [el.tagName, el.id, el.className, Math.round(el.getBoundingClientRect().right)])"""


def _box_html(page: Page, department_pk: int) -> str:
    node = page.locator(".org-chart-viewport svg g.node").filter(
        has=page.locator("title", has_text=re.compile(rf"^d{department_pk}$"))
    )
    expect(node).to_have_count(1, timeout=20_000)
    return node.inner_html()


def test_rename_a_department_in_both_languages(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/")
    open_editor(page, live_server)
    department = design["service"]
    page.get_by_role("button", name="重命名 客服部").click()
    field = page.get_by_label("客服部 的新名称")
    expect(field).to_have_value("客服部")
    expect(field).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("客户服务部")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("Customer Service")
    page.keyboard.press("Enter")

    node = page.locator(f"#departments-{department.pk} .node-name").first
    expect(node).to_have_text("客户服务部")
    # The chart is drawn again with the new name.
    expect(page.locator(".org-chart-viewport svg")).to_contain_text("客户服务部")
    saved = Department.objects.get(pk=department.pk)
    assert (saved.name_zh, saved.name_en) == ("客户服务部", "Customer Service")


def test_edit_a_departments_charter_and_function_group(
    page: Page, live_server, sign_in, user, design, console
):
    department = design["service"]
    sign_in(user, "/")
    open_editor(page, live_server)
    assert GROUP_FILL[""] in _box_html(page, department.pk)

    page.locator(f"#departments-{department.pk} > .node-row .edit-button").click()
    panel = page.locator("#role-panel")
    expect(panel.locator("#department-form")).to_be_visible()
    expect(panel.get_by_role("heading")).to_contain_text("客服部")

    panel.locator("textarea[name=summary_zh]").click()
    page.keyboard.type("负责售前和售后的客户咨询")
    page.keyboard.press("Tab")
    page.keyboard.type("Answers customers before and after the sale")
    page.keyboard.press("Tab")
    page.keyboard.type("售前咨询")
    page.keyboard.press("Enter")
    page.keyboard.type("退换货处理")
    page.keyboard.press("Tab")
    page.keyboard.type("Pre-sales questions")
    panel.locator("input[name=function_group][value=front-line]").check()
    swatch = panel.locator("input[value=front-line] + .swatch")
    assert swatch.get_attribute("data-colour") == GROUP_FILL["front-line"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / "department-form-1280x800.png"))

    panel.get_by_role("button", name=re.compile("Save the department|保存部门")).click()
    expect(panel.locator(".saved-note")).to_be_visible()
    expect(panel.locator("#department-form")).to_be_visible()  # stays open
    expect(panel.locator("textarea[name=summary_en]")).to_have_value(
        "Answers customers before and after the sale"
    )
    # The chart redraws with the front line's colour for this box.
    page.wait_for_timeout(300)
    for _attempt in range(40):
        if GROUP_FILL["front-line"] in _box_html(page, department.pk):
            break
        page.wait_for_timeout(250)
    assert GROUP_FILL["front-line"] in _box_html(page, department.pk)

    saved = Department.objects.get(pk=department.pk)
    assert saved.summary_zh == "负责售前和售后的客户咨询"
    assert saved.summary_en == "Answers customers before and after the sale"
    assert saved.functions_zh.splitlines() == ["售前咨询", "退换货处理"]
    assert saved.functions_en == "Pre-sales questions"
    assert saved.function_group == "front-line"

    page.set_viewport_size({"width": 390, "height": 844})
    panel.scroll_into_view_if_needed()
    wide = page.evaluate(WIDER_THAN_VIEWPORT)
    assert wide == [], wide
    page.screenshot(path=str(SCREENSHOTS / "department-form-390x844.png"), full_page=False)


def test_a_sibling_name_is_refused_on_the_field_and_nothing_changes(
    page: Page, live_server, sign_in, user, design, console
):
    """Typing the name of a department that already sits under the same parent: the rename
    form stays open with the reason on the field; both departments keep their names."""
    console.expect_status(400)
    department_create(
        organization=design["organization"], parent=design["operations"], name_zh="售后部"
    )
    sign_in(user, "/")
    open_editor(page, live_server)
    page.get_by_role("button", name="重命名 客服部").click()
    expect(page.get_by_label("客服部 的新名称")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("售后部")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")

    slot = page.locator(f"#slot-departments-{design['service'].pk}")
    expect(slot.locator(".field-errors")).to_contain_text("售后部")
    expect(slot.locator(".field-errors")).to_contain_text("运营中心")
    expect(slot.locator("input[name=name_zh]")).to_have_value("售后部")  # what was typed
    expect(page.locator(f"#departments-{design['service'].pk} .node-name").first).to_have_text(
        "客服部"
    )
    assert Department.objects.get(pk=design["service"].pk).name_zh == "客服部"
