import re

from playwright.sync_api import Page, expect

from departments.services import department_create
from roles.models import Collaboration
from tests.browser.conftest import SCREENSHOTS, chart_edges, open_editor

# Elements of the collaboration panel wider than the viewport (tag, class, right edge).
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('#collaborations, #collaborations *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .map(el => [el.tagName, el.className, Math.round(el.getBoundingClientRect().right)])"""


def _drawn(page: Page, tail: str, head: str) -> bool:
    """A collaboration line is drawn as two dotted edges meeting at a numbered marker (c1,
    c2, …) explained in the legend."""
    edges = chart_edges(page)
    markers = {edge.split("->")[1] for edge in edges if re.fullmatch(r"[dr]\d+->c\d+", edge)}
    return any({f"{tail}->{m}", f"{head}->{m}"} <= edges for m in markers)


def _wait_for_line(page: Page, tail: str, head: str, present: bool) -> None:
    for _attempt in range(60):
        if _drawn(page, tail, head) == present:
            return
        page.wait_for_timeout(250)
    assert _drawn(page, tail, head) == present, chart_edges(page)


def test_add_describe_and_delete_a_collaboration_line(
    page: Page, live_server, sign_in, user, design, console
):
    organization = design["organization"]
    marketing = department_create(organization=organization, name_zh="市场部", name_en="Marketing")
    service = design["service"]
    ends = (f"d{service.pk}", f"d{marketing.pk}")
    sign_in(user, "/")
    open_editor(page, live_server)
    assert not _drawn(page, *ends)

    panel = page.locator("#collaborations")
    expect(panel.locator(".empty")).to_be_visible()
    start = panel.locator("select[name=from_node]")
    start.focus()
    start.select_option(f"d{service.pk}")
    page.keyboard.press("Tab")
    end = panel.locator("select[name=to_node]")
    expect(end).to_be_focused()
    end.select_option(f"d{marketing.pk}")
    # Only this organization's departments and roles are offered.
    offered = end.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert set(offered) == {""} | {
        f"d{pk}" for pk in (design["operations"].pk, service.pk, marketing.pk)
    } | {f"r{design[name].pk}" for name in ("ceo", "director", "cs_lead", "marketing")}
    page.keyboard.press("Tab")
    page.keyboard.type("客诉反馈给市场部")
    page.keyboard.press("Tab")
    page.keyboard.type("Complaints go to marketing")
    page.wait_for_timeout(200)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / "collaborations-form-1280x800.png"))
    page.keyboard.press("Enter")

    row = panel.locator(".collaboration")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("客服部")
    expect(row).to_contain_text("市场部")
    expect(row).to_contain_text("Complaints go to marketing")
    _wait_for_line(page, *ends, present=True)
    (line,) = Collaboration.objects.filter(organization=organization)
    assert (line.from_department_id, line.to_department_id) == (service.pk, marketing.pk)
    assert (line.description_zh, line.description_en) == (
        "客诉反馈给市场部",
        "Complaints go to marketing",
    )
    panel.screenshot(path=str(SCREENSHOTS / "collaborations-1280x800.png"))

    # Edit the English description only.
    row.locator(".edit-button").click()
    english = row.locator("input[name=description_en]")
    expect(english).to_have_value("Complaints go to marketing")
    english.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Complaints and returns go to marketing")
    page.keyboard.press("Enter")
    expect(panel.locator(".collaboration")).to_contain_text(
        "Complaints and returns go to marketing"
    )
    line.refresh_from_db()
    assert line.description_en == "Complaints and returns go to marketing"
    assert line.description_zh == "客诉反馈给市场部"

    page.set_viewport_size({"width": 390, "height": 844})
    panel.scroll_into_view_if_needed()
    wide = page.evaluate(WIDER_THAN_VIEWPORT)
    assert wide == [], wide
    page.screenshot(path=str(SCREENSHOTS / "collaborations-390x844.png"))
    page.set_viewport_size({"width": 1280, "height": 800})

    # Delete, after a confirmation step.
    panel.locator(".collaboration .icon.danger").click()
    confirm = panel.locator(".collaboration .inline-form")
    expect(confirm).to_contain_text("客服部")
    assert Collaboration.objects.filter(pk=line.pk).exists()
    confirm.get_by_role("button", name=re.compile("Delete the line|删除这条线")).click()
    expect(panel.locator(".collaboration")).to_have_count(0)
    _wait_for_line(page, *ends, present=False)
    assert not Collaboration.objects.filter(pk=line.pk).exists()


def test_a_department_and_a_role_cannot_be_linked(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(400)
    sign_in(user, "/")
    open_editor(page, live_server)
    panel = page.locator("#collaborations")
    panel.locator("select[name=from_node]").select_option(f"d{design['service'].pk}")
    panel.locator("select[name=to_node]").select_option(f"r{design['ceo'].pk}")
    panel.get_by_role("button", name=re.compile("Add the line|添加这条线")).click()
    expect(page.locator("#editor-alert")).to_contain_text(
        re.compile("two departments or two roles|两个部门或两个岗位")
    )
    # The form keeps what was chosen.
    expect(panel.locator("select[name=to_node]")).to_have_value(f"r{design['ceo'].pk}")
    assert not Collaboration.objects.filter(organization=design["organization"]).exists()
