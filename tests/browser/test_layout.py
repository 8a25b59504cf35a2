from playwright.sync_api import Page, expect

from tests.browser.conftest import open_editor


def test_editor_fits_a_tablet_and_shows_visible_focus(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/orgs/acme/edit/")
    for width, height in ((1280, 800), (820, 1180), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        open_editor(page, live_server)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at {width}px"

    button = page.get_by_role("button", name="重命名 客服部")
    button.focus()
    outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    # Every form control of the editor has a name a screen reader can read.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll(
                 '#editor input:not([type=hidden]), #editor select, #editor textarea, '
                 + '#editor button')]
              .filter(el => !el.closest('[hidden], template'))
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.textContent.trim())
              .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []
    expect(page.locator("#editor")).to_be_visible()
