"""The overview's org chart opens at a size people can read (every box text inside the view is at
least 11 px on screen), "fit" shows the whole chart, zoom and pan work from the buttons, the
keyboard and Ctrl + wheel, the view and the direction are kept in the address, "go to" centres a
box by its name, and the overview map moves the view."""

import re
import subprocess
from collections import Counter
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_chart

SIZES = [(1280, 800), (390, 844)]

# The box texts inside the chart's viewport, each as its font size on screen (the SVG's font
# size × the scale from SVG units to screen pixels) and the height of its box on screen.
VISIBLE_TEXT = """() => {
  const view = document.querySelector('.org-chart-viewport').getBoundingClientRect();
  return [...document.querySelectorAll('.org-chart-viewport svg g.node text')].map(text => {
    const rect = text.getBoundingClientRect();
    return {
      text: text.textContent,
      size: parseFloat(text.getAttribute('font-size')) * text.getScreenCTM().a,
      height: rect.height,
      inside: rect.left >= view.left && rect.right <= view.right
        && rect.top >= view.top && rect.bottom <= view.bottom,
    };
  }).filter(item => item.inside);
}"""

# The whole drawing's box on screen and the viewport's.
DRAWING_AND_VIEW = """() => {
  const view = document.querySelector('.org-chart-viewport').getBoundingClientRect();
  const drawing = document.querySelector('.org-chart-viewport svg g.graph').getBoundingClientRect();
  return {view: view.toJSON(), drawing: drawing.toJSON()};
}"""

# Where a box (by its data-node-link) is on screen, relative to the viewport.
BOX_PLACE = """(key) => {
  const view = document.querySelector('.org-chart-viewport').getBoundingClientRect();
  const box = document.querySelector(`.org-chart-viewport svg a[data-node-link="${key}"]`)
    .getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  return {
    centred: x > view.left && x < view.right && y > view.top && y < view.bottom,
    inside: box.left >= view.left && box.right <= view.right
      && box.top >= view.top && box.bottom <= view.bottom,
  };
}"""

# Every role box: its name, its data-node-link and whether its centre is out of the viewport.
ROLE_BOXES = """() => {
  const view = document.querySelector('.org-chart-viewport').getBoundingClientRect();
  return [...document.querySelectorAll('.org-chart-viewport svg a[data-node-link^="roles-"]')]
    .map(link => {
      const box = link.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const out = x < view.left || x > view.right || y < view.top || y > view.bottom;
      return {key: link.dataset.nodeLink, name: link.getAttribute('aria-label'), out};
    });
}"""


def shared_part(boxes: list[dict]) -> tuple[str, set[str]]:
    """Two characters that two to five role titles contain (and no whole title is), with the
    boxes of those roles."""
    names = {box["name"] for box in boxes}
    for name in sorted(names):
        for start in range(len(name) - 1):
            part = name[start : start + 2]
            holders = {box["key"] for box in boxes if part in box["name"]}
            if 2 <= len(holders) <= 5 and part not in names:
                return part, holders
    raise AssertionError("no two role titles share two characters")


def smallest_text(page: Page) -> float:
    sizes = page.evaluate(VISIBLE_TEXT)
    assert len(sizes) >= 2, "the view shows some box text"
    return min(item["size"] for item in sizes)


def chart_scale(page: Page) -> float:
    return float(page.locator("[data-org-chart]").get_attribute("data-chart-scale"))


def view_box(page: Page) -> list[float]:
    box = page.locator(".org-chart-viewport svg").get_attribute("viewBox")
    return [float(part) for part in box.split()]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def open_overview(page: Page, sign_in, user, width: int, height: int, extra: str = "") -> None:
    page.set_viewport_size({"width": width, "height": height})
    sign_in(user, "/orgs/xb/" + extra)
    wait_for_chart(page)
    page.locator("[data-org-chart]").evaluate("section => section.scrollIntoView()")
    page.wait_for_timeout(200)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_overview_opens_legible_and_fit_shows_the_whole_chart(
    page: Page, live_server, sign_in, user, big_design, console, width, height
):
    open_overview(page, sign_in, user, width, height)
    sizes = page.evaluate(VISIBLE_TEXT)
    assert len(sizes) >= 2
    smallest = min(sizes, key=lambda item: item["size"])
    assert smallest["size"] >= 11, smallest
    # The box text's own height on screen says the same: CJK glyphs fill about the font size.
    assert max(item["height"] for item in sizes) >= 11
    opened = chart_scale(page)
    assert "zoom" not in query(page), "the untouched default view writes nothing"

    # This chart is far wider than the page: "fit" is smaller than the legible scale and shows
    # every part of the drawing inside the viewport.
    page.locator("[data-chart-zoom=fit]").click()
    assert chart_scale(page) < opened
    places = page.evaluate(DRAWING_AND_VIEW)
    view, drawing = places["view"], places["drawing"]
    assert drawing["left"] >= view["left"] - 1 and drawing["right"] <= view["right"] + 1
    assert drawing["top"] >= view["top"] - 1 and drawing["bottom"] <= view["bottom"] + 1
    # … and uses the space: it fills the viewport's width or its height.
    assert drawing["width"] >= view["width"] * 0.95 or drawing["height"] >= view["height"] * 0.95
    expect(page).to_have_url(re.compile(r"[?&]zoom=fit"))

    # "Fit" is kept across a reload, and "Normal size" goes back to the legible default.
    page.reload()
    wait_for_chart(page)
    expect(page.locator("[data-org-chart]")).to_have_attribute("data-chart-mode", "fit")
    assert chart_scale(page) < opened
    page.locator("[data-chart-zoom=readable]").click()
    assert chart_scale(page) == pytest.approx(opened, rel=0.01)
    assert "zoom" not in query(page)
    assert smallest_text(page) >= 11


def test_zoom_buttons_keyboard_and_wheel_change_the_text_size(
    page: Page, live_server, sign_in, user, big_design, console
):
    open_overview(page, sign_in, user, 1280, 800)
    opened = smallest_text(page)
    page.locator("[data-chart-zoom=in]").click()
    bigger = smallest_text(page)
    assert bigger == pytest.approx(opened * 1.25, rel=0.02)
    page.locator("[data-chart-zoom=out]").click()
    page.locator("[data-chart-zoom=out]").click()
    assert smallest_text(page) == pytest.approx(opened / 1.25, rel=0.02)

    # The keyboard, once the chart has focus: + and − zoom, the arrows move.
    page.locator("[data-chart-zoom=readable]").click()
    page.locator(".org-chart-viewport").focus()
    page.keyboard.press("+")
    assert smallest_text(page) == pytest.approx(opened * 1.25, rel=0.02)
    page.keyboard.press("-")
    assert smallest_text(page) == pytest.approx(opened, rel=0.02)
    x, y = view_box(page)[:2]
    page.keyboard.press("ArrowRight")
    assert view_box(page)[0] > x
    page.keyboard.press("ArrowDown")
    assert view_box(page)[1] > y
    page.keyboard.press("ArrowLeft")
    assert view_box(page)[0] == pytest.approx(x, abs=0.5)

    # Ctrl + wheel zooms at the pointer; a plain wheel moves the focused chart.
    box = page.locator(".org-chart-viewport").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before = smallest_text(page)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_timeout(200)
    assert smallest_text(page) > before
    x = view_box(page)[0]
    page.mouse.wheel(300, 0)
    page.wait_for_timeout(200)
    assert view_box(page)[0] > x

    # The view is kept in the address and comes back after a reload.
    page.wait_for_timeout(400)
    state = query(page)
    assert set(state) >= {"zoom", "cx", "cy"}
    scale, origin = chart_scale(page), view_box(page)[:2]
    page.reload()
    wait_for_chart(page)
    assert chart_scale(page) == pytest.approx(scale, rel=0.01)
    assert view_box(page)[:2] == pytest.approx(origin, abs=1)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["desktop", "phone"])
def test_go_to_centres_the_box_named(
    page: Page, live_server, sign_in, user, big_design, console, width, height
):
    open_overview(page, sign_in, user, width, height)
    boxes = page.evaluate(ROLE_BOXES)
    named = Counter(box["name"] for box in boxes)
    # A name only one box has (the same search again goes on to the next box of a shared name).
    away = [box for box in boxes if box["out"] and named[box["name"]] == 1]
    assert away, "this chart has roles out of view at the legible size"
    target = away[-1]
    field = page.locator("[data-chart-find] input[name=find]")
    expect(field).to_be_visible()
    # The field offers every role and department of the chart.
    names = page.locator("[data-chart-find] datalist option").evaluate_all(
        "options => options.map(option => option.value)"
    )
    assert target["name"] in names
    field.click()
    page.keyboard.type(target["name"], delay=10)
    page.keyboard.press("Enter")
    place = page.evaluate(BOX_PLACE, target["key"])
    assert place["centred"], target
    assert smallest_text(page) >= 11
    expect(page.locator(".org-chart-viewport svg .org-chart-found")).to_have_count(1)
    expect(page.locator("[data-chart-find-result]")).to_contain_text(target["name"])
    expect(page).to_have_url(re.compile(r"[?&]zoom="))

    # Part of a name several roles share: Enter again goes on to the next of them.
    part, keys = shared_part(boxes)
    outlined = set()
    field.fill("")
    page.keyboard.type(part, delay=10)
    for _ in keys:
        page.keyboard.press("Enter")
        found = page.locator(".org-chart-viewport svg .org-chart-found")
        outlined.add((found.get_attribute("x"), found.get_attribute("y")))
        assert any(page.evaluate(BOX_PLACE, key)["centred"] for key in keys)
    # Each Enter outlined another box.
    assert len(outlined) == len(keys)

    # A name the chart does not hold says so and leaves the view alone.
    before = view_box(page)
    field.fill("")
    page.keyboard.type("没有这个岗位", delay=10)
    page.keyboard.press("Enter")
    expect(page.locator("[data-chart-find-result]")).to_contain_text("没有这个岗位")
    assert view_box(page) == before


def test_orientation_toggle_asks_for_the_other_direction_and_is_kept(
    page: Page, live_server, sign_in, user, big_design, console
):
    open_overview(page, sign_in, user, 1280, 800)
    button = page.locator("[data-chart-orient]")
    top_down_label = button.get_attribute("data-label-tb")
    across_label = button.get_attribute("data-label-lr")
    expect(button).to_have_text(across_label)
    with page.expect_request(re.compile(r"/chart\.svg\?.*orient=lr")):
        button.click()
    wait_for_chart(page)
    expect(page).to_have_url(re.compile(r"[?&]orient=lr"))
    expect(button).to_have_text(top_down_label)
    expect(page.locator("[data-chart-download=pdf]")).to_have_attribute(
        "href", re.compile(r"orient=lr")
    )
    page.reload()
    wait_for_chart(page)
    expect(button).to_have_text(top_down_label)
    with page.expect_request(re.compile(r"/chart\.svg\?.*orient=tb")):
        button.click()
    expect(page).to_have_url(re.compile(r"[?&]orient=tb"))
    # A direction the chart does not know is ignored.
    page.goto(f"{live_server.url}/orgs/xb/?orient=sideways")
    wait_for_chart(page)
    expect(button).to_have_text(across_label)


def test_overview_map_moves_the_view(page: Page, live_server, sign_in, user, big_design, console):
    open_overview(page, sign_in, user, 1280, 800)
    overview_map = page.locator("[data-chart-map]")
    expect(overview_map).to_be_visible()
    x = view_box(page)[0]
    box = overview_map.bounding_box()
    # The right end of the map is the right end of the chart.
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)
    assert view_box(page)[0] > x
    expect(page).to_have_url(re.compile(r"[?&]cx="))
    # At "fit" everything is in view and the map has nothing to add.
    page.locator("[data-chart-zoom=fit]").click()
    expect(overview_map).to_be_hidden()


def test_print_links_follow_the_chart_and_give_the_whole_chart_on_pages(
    page: Page, live_server, sign_in, user, big_design, console
):
    open_overview(page, sign_in, user, 1280, 800)
    page.locator("select[name=view]").select_option("reporting")
    wait_for_chart(page)
    a3 = page.locator("[data-chart-download=print][data-paper=a3]")
    expect(a3).to_have_attribute("href", re.compile(r"chart-print\.pdf\?.*view=reporting"))
    expect(a3).to_have_attribute("href", re.compile(r"paper=a3"))
    whole = page.locator("[data-chart-download=svg][data-full]")
    expect(whole).to_have_attribute("href", re.compile(r"chart\.svg\?.*full=1"))

    response = page.request.get(live_server.url + a3.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    printed = re.sub(r"\s", "", text)
    titles = big_design.roles.values_list("title_zh", "title_en")
    # Every role, in the page's language (the chart's content follows it).
    missing = [
        zh
        for zh, en in titles
        if re.sub(r"\s", "", zh) not in printed and en.replace(" ", "") not in printed
    ]
    assert not missing
