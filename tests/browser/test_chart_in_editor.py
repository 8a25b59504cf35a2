"""The org chart in the editor: readable by default, zoom and pan from the keyboard, a wide
layout, a click (or Enter) on a box opens that node's form, options kept in the address."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, wait_for_chart

# Each visible text of a box, as its size on screen (font size × the SVG's scale), its bounding
# box height and whether it lies inside the chart's viewport.
TEXT_SIZES = """() => {
  const viewport = document.querySelector('.org-chart-viewport').getBoundingClientRect();
  return [...document.querySelectorAll('.org-chart-viewport svg g.node text')].map(text => {
    const rect = text.getBoundingClientRect();
    const size = parseFloat(text.getAttribute('font-size')) * text.getScreenCTM().a;
    const inside = rect.left >= viewport.left && rect.right <= viewport.right
      && rect.top >= viewport.top && rect.bottom <= viewport.bottom;
    return {text: text.textContent, size, height: rect.height, inside};
  }).filter(item => item.inside);
}"""


def chart_scale(page: Page) -> float:
    return float(page.locator("[data-org-chart]").get_attribute("data-chart-scale"))


def view_box(page: Page) -> list[float]:
    box = page.locator(".org-chart-viewport svg").get_attribute("viewBox")
    return [float(part) for part in box.split()]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_chart_text_is_readable_by_default_and_fit_shows_everything(
    page: Page, live_server, sign_in, user, big_design, console
):
    sign_in(user, "/orgs/xb/edit/")
    wait_for_chart(page)
    page.wait_for_timeout(300)
    sizes = page.evaluate(TEXT_SIZES)
    assert len(sizes) >= 3, "the default view shows some boxes"
    smallest = min(sizes, key=lambda item: item["size"])
    assert smallest["size"] >= 11, smallest
    assert max(item["height"] for item in sizes) >= 11
    shoot(page, "editor-chart-1280-narrow")

    # "Fit" shows the whole chart (smaller than readable for this wide design); "Normal size"
    # goes back.
    readable = chart_scale(page)
    page.get_by_role("button", name="适合窗口").click()
    assert chart_scale(page) < readable
    box = view_box(page)
    svg_width = page.evaluate(
        "() => document.querySelector('.org-chart-viewport svg g.graph').getBBox().width"
    )
    assert box[2] >= svg_width - 0.01
    page.locator("[data-chart-zoom=readable]").click()
    assert chart_scale(page) == pytest.approx(readable)


def test_zoom_and_pan_with_the_keyboard(
    page: Page, live_server, sign_in, user, big_design, console
):
    sign_in(user, "/orgs/xb/edit/")
    wait_for_chart(page)
    viewport = page.locator(".org-chart-viewport")
    viewport.focus()
    before = chart_scale(page)
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert chart_scale(page) == pytest.approx(before * 1.25 * 1.25, rel=0.01)
    page.keyboard.press("-")
    assert chart_scale(page) == pytest.approx(before * 1.25, rel=0.01)
    x = view_box(page)[0]
    page.keyboard.press("ArrowRight")
    assert view_box(page)[0] > x
    page.keyboard.press("ArrowLeft")
    assert view_box(page)[0] == pytest.approx(x)
    page.keyboard.press("0")
    assert chart_scale(page) < before
    page.keyboard.press("1")
    assert chart_scale(page) == pytest.approx(before)
    # The toolbar's buttons are reachable with Tab and work with Enter.
    page.get_by_role("button", name="放大").focus()
    page.keyboard.press("Enter")
    assert chart_scale(page) == pytest.approx(before * 1.25, rel=0.01)


def test_wide_chart_takes_the_page_width_and_survives_a_reload(
    page: Page, live_server, sign_in, user, big_design, console
):
    sign_in(user, "/orgs/xb/edit/")
    wait_for_chart(page)
    viewport = page.locator(".org-chart-viewport")
    narrow = viewport.bounding_box()["width"]
    main = page.locator("main").bounding_box()["width"]
    assert narrow < main * 0.6
    wide_button = page.locator("[data-chart-wide]")
    wide_button.click()
    expect(wide_button).to_have_attribute("aria-pressed", "true")
    wide = viewport.bounding_box()["width"]
    assert wide > main * 0.9
    # The outlines go below the chart.
    outlines = page.locator("#editor-outlines").bounding_box()
    assert outlines["y"] > viewport.bounding_box()["y"] + viewport.bounding_box()["height"]
    assert query(page)["chart"] == ["wide"]
    sizes = page.evaluate(TEXT_SIZES)
    assert min(item["size"] for item in sizes) >= 11
    shoot(page, "editor-chart-1280-wide")

    page.reload()
    wait_for_chart(page)
    expect(page.locator("[data-chart-wide]")).to_have_attribute("aria-pressed", "true")
    assert viewport.bounding_box()["width"] > main * 0.9
    page.locator("[data-chart-wide]").click()
    assert "chart" not in query(page)
    assert viewport.bounding_box()["width"] < main * 0.6


@pytest.mark.parametrize("wide", [False, True], ids=["narrow", "wide"])
def test_phone_editor_chart_is_readable(
    page: Page, live_server, sign_in, user, big_design, console, wide
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(user, "/orgs/xb/edit/" + ("?chart=wide" if wide else ""))
    wait_for_chart(page)
    page.locator("[data-org-chart]").evaluate("section => section.scrollIntoView()")
    page.wait_for_timeout(300)
    sizes = page.evaluate(TEXT_SIZES)
    assert sizes and min(item["size"] for item in sizes) >= 11
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shoot(page, f"editor-chart-390-{'wide' if wide else 'narrow'}")


def test_click_on_a_role_box_opens_its_form_in_the_editor(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/orgs/acme/edit/")
    wait_for_chart(page)
    page.locator("[data-chart-options] select[name=view]").select_option("reporting")
    lead = design["cs_lead"]
    box = page.locator(f'.org-chart-viewport svg a[data-node-link="roles-{lead.pk}"]')
    expect(box).to_be_visible()
    box.click()
    expect(page.locator("#role-panel h2")).to_have_text("岗位：客服主管")
    expect(page).to_have_url(re.compile(r"/orgs/acme/edit/\?"))
    expect(page.locator("#role-panel #role-form")).to_be_visible()

    # Keyboard: Tab from the chart's viewport reaches the boxes; Enter opens the focused one.
    page.locator(".org-chart-viewport").focus()
    names = []
    for _ in range(8):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        if names[-1] == "市场总监":
            break
    assert "市场总监" in names, names
    page.keyboard.press("Enter")
    expect(page.locator("#role-panel h2")).to_have_text("岗位：市场总监")
    expect(page).to_have_url(re.compile(r"/orgs/acme/edit/"))


def test_click_on_a_department_box_opens_the_department_form(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/orgs/acme/edit/")
    wait_for_chart(page)
    service = design["service"]
    header = page.locator(f'.org-chart-viewport svg a[data-node-link="departments-{service.pk}"]')
    expect(header).to_have_count(1)
    header.click()
    expect(page.locator("#role-panel h2")).to_contain_text("客服部")
    expect(page).to_have_url(re.compile(r"/orgs/acme/edit/"))


def test_on_the_overview_a_box_opens_the_role_page(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/orgs/acme/?view=reporting")
    wait_for_chart(page)
    expect(page.locator("[data-chart-options] select[name=view]")).to_have_value("reporting")
    lead = design["cs_lead"]
    page.locator(f'.org-chart-viewport svg a[data-node-link="roles-{lead.pk}"]').click()
    expect(page).to_have_url(f"{live_server.url}/orgs/acme/roles/{lead.pk}/")
    expect(page.locator("h1")).to_contain_text("客服主管")


@pytest.mark.parametrize("path", ["/orgs/xb/", "/orgs/xb/edit/"], ids=["overview", "editor"])
def test_view_phase_and_depth_are_kept_in_the_address(
    page: Page, live_server, sign_in, user, big_design, console, path
):
    sign_in(user, path)
    wait_for_chart(page)
    phases = list(big_design.phases.order_by("order"))
    options = page.locator("[data-chart-options]")
    options.locator("select[name=view]").select_option("reporting")
    page.wait_for_timeout(200)
    options.locator("select[name=phase]").select_option(str(phases[1].pk))
    page.wait_for_timeout(200)
    # Keyboard: focus the depth list and choose "2" with the arrow keys.
    options.locator("select[name=depth]").focus()
    options.locator("select[name=depth]").select_option("2")
    page.wait_for_timeout(500)
    state = query(page)
    assert state["view"] == ["reporting"]
    assert state["phase"] == [str(phases[1].pk)]
    assert state["depth"] == ["2"]
    # The language switch comes back to the same chart.
    next_path = page.locator("form.language-switch input[name=next]").input_value()
    assert "depth=2" in next_path and "view=reporting" in next_path

    page.reload()
    wait_for_chart(page)
    expect(options.locator("select[name=view]")).to_have_value("reporting")
    expect(options.locator("select[name=phase]")).to_have_value(str(phases[1].pk))
    expect(options.locator("select[name=depth]")).to_have_value("2")
    # The chart drawn is the reporting chart of that phase: role nodes, the phase in its title.
    expect(page.locator(".org-chart-viewport svg g.node > title").first).to_have_text(
        re.compile(r"^r\d+$")
    )
    expect(page.locator(".org-chart-viewport svg")).to_contain_text(phases[1].name_zh)

    # An address with a value the chart does not offer falls back to the default.
    page.goto(f"{live_server.url}{path}?view=nonsense&depth=99")
    wait_for_chart(page)
    expect(options.locator("select[name=view]")).to_have_value("departments")
    expect(options.locator("select[name=depth]")).to_have_value("")
