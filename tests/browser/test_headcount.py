"""The head-count grid as a person types into it: with the keyboard, fast or with pauses while
requests are on their way. What is saved is exactly what was typed; a refused value gives the
saved value back with the reason."""

import re

import pytest
from playwright.sync_api import Page, expect

from roles.models import HeadcountTarget
from tests.browser.conftest import open_editor


def _last_phase(design):
    return design["organization"].phases.order_by("order").last()


def _inputs(page: Page, title: str, phase):
    low = page.get_by_label(f"{title} 在 {phase.name_zh}：下限")
    high = page.get_by_label(f"{title} 在 {phase.name_zh}：上限")
    return low, high


def _saved(role, phase):
    target = HeadcountTarget.objects.filter(role=role, phase=phase).first()
    return None if target is None else (target.min_count, target.max_count)


def _wait_until_saved(page: Page, role, phase):
    cell = page.locator(f"#hc-cell-{role.pk}-{phase.pk}")
    expect(cell).not_to_have_class(re.compile(r"\bis-(saving|unsaved)\b"))


def test_typing_slowly_saves_what_was_typed(
    page: Page, live_server, sign_in, user, design, console
):
    """2, Tab, a one-second pause, 4, Tab: the old grid saved 2–42."""
    lead, phase = design["cs_lead"], _last_phase(design)
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    low, high = _inputs(page, "客服主管", phase)

    low.click()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.wait_for_timeout(1000)
    expect(high).to_be_focused()
    expect(high).to_have_value("")  # nothing was filled in behind the user's back
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    _wait_until_saved(page, lead, phase)

    expect(low).to_have_value("2")
    expect(high).to_have_value("4")
    expect(page.locator("#editor-status")).to_contain_text("2–4")
    expect(page.locator(f"#hc-total-{phase.pk}")).to_have_text("2–4")
    assert _saved(lead, phase) == (2, 4)

    page.reload()
    low, high = _inputs(page, "客服主管", phase)
    expect(low).to_have_value("2")
    expect(high).to_have_value("4")


def test_typing_fast_saves_what_was_typed(page: Page, live_server, sign_in, user, design, console):
    """1, Tab, 2, Tab with no pause: the old grid lost the 2 and saved 1–1."""
    lead, phase = design["cs_lead"], _last_phase(design)
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    low, high = _inputs(page, "客服主管", phase)

    low.click()
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    _wait_until_saved(page, lead, phase)

    expect(low).to_have_value("1")
    expect(high).to_have_value("2")
    assert _saved(lead, phase) == (1, 2)


def test_a_row_typed_without_pauses_saves_every_cell(
    page: Page, live_server, sign_in, user, design, console
):
    """Across a whole row, each cell leaves as the next one is being typed into."""
    lead = design["cs_lead"]
    phases = list(design["organization"].phases.order_by("order"))
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    first_low, _high = _inputs(page, "客服主管", phases[0])

    first_low.click()
    for number, _phase in enumerate(phases, start=1):
        page.keyboard.type(str(number))
        page.keyboard.press("Tab")
        page.keyboard.type(str(number * 10))
        page.keyboard.press("Tab")
    for phase in phases:
        _wait_until_saved(page, lead, phase)

    assert [_saved(lead, phase) for phase in phases] == [
        (number, number * 10) for number in range(1, len(phases) + 1)
    ]
    for number, phase in enumerate(phases, start=1):
        low, high = _inputs(page, "客服主管", phase)
        expect(low).to_have_value(str(number))
        expect(high).to_have_value(str(number * 10))


def _slow_network(page: Page, latency_ms: int) -> None:
    """Every request takes `latency_ms` longer, as on a busy connection: answers then arrive
    while the user is already typing elsewhere (Chromium's network emulation)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1},
    )


@pytest.mark.parametrize("pause_ms", [0, 900])
def test_correcting_a_cell_while_its_save_is_on_its_way(
    page: Page, live_server, sign_in, user, design, console, pause_ms
):
    """Leave the cell with only "at least", come straight back into "at most" and type 5, at
    once or after a pause in which the first answer (2–2) arrives. The answer must not put
    anything into the input the user is in (it gave 52 in CI), and the cell ends saved as 2–5."""
    lead, phase = design["cs_lead"], _last_phase(design)
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    _slow_network(page, 300)
    low, high = _inputs(page, "客服主管", phase)

    low.click()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # leaves the cell: saves 2 (exactly two)
    page.keyboard.press("Shift+Tab")  # straight back into "at most"
    page.wait_for_timeout(pause_ms)
    expect(high).to_be_focused()
    expect(high).to_have_value("")  # nothing filled in behind the user's back
    page.keyboard.type("5")
    page.wait_for_timeout(900)  # every answer has arrived while the cell is being edited
    expect(high).to_have_value("5")
    page.keyboard.press("Tab")
    _wait_until_saved(page, lead, phase)

    expect(low).to_have_value("2")
    expect(high).to_have_value("5")
    assert _saved(lead, phase) == (2, 5)


def test_a_refused_range_shows_the_saved_value_again(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(400)
    lead, phase = design["cs_lead"], _last_phase(design)
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    low, high = _inputs(page, "客服主管", phase)

    low.click()
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")

    cell = page.locator(f"#hc-cell-{lead.pk}-{phase.pk}")
    expect(cell.locator(".hc-error")).to_contain_text("3")
    expect(page.locator("#editor-alert")).to_contain_text("3")
    expect(low).to_have_value("")
    expect(high).to_have_value("")
    assert _saved(lead, phase) is None

    # A saved value, then a refused change to it: the saved value comes back.
    low.click()
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    _wait_until_saved(page, lead, phase)
    assert _saved(lead, phase) == (3, 3)
    high.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    expect(cell.locator(".hc-error")).to_be_visible()
    expect(low).to_have_value("3")
    expect(high).to_have_value("3")
    assert _saved(lead, phase) == (3, 3)


def test_enter_saves_the_cell_and_keeps_the_focus(
    page: Page, live_server, sign_in, user, design, console
):
    lead, phase = design["cs_lead"], _last_phase(design)
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    low, high = _inputs(page, "客服主管", phase)

    low.click()
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    _wait_until_saved(page, lead, phase)

    expect(high).to_be_focused()
    assert _saved(lead, phase) == (6, 8)
