"""The pages work under their Content-Security-Policy: the overview, the editor (chart inlined by
chart.js, role and department forms swapped in by htmx, the colour swatches), the plan and an
error page report no violation. Each violation shows as a console error, which fails the test
(conftest's `console`), and as a `securitypolicyviolation` event, collected here as well."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_editor, wait_for_chart

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def violations(page: Page, console) -> list[str]:
    reported = page.evaluate("window.__cspViolations || []")
    logged = [text for text in console.errors if "Content Security Policy" in text]
    return reported + logged


def test_overview_and_editor_run_without_a_policy_violation(
    page: Page, live_server, sign_in, user, design, console
):
    page.add_init_script(COLLECT_VIOLATIONS)
    seen: list[str] = []
    page.on("response", lambda r: seen.append(r.headers.get("content-security-policy", "")))
    sign_in(user, "/orgs/acme/")
    wait_for_chart(page)
    assert any("script-src 'self'" in header for header in seen)
    assert violations(page, console) == []

    open_editor(page, live_server)
    wait_for_chart(page)
    page.get_by_role("button", name="编辑 客服主管 的详细信息").click()
    expect(page.locator("fieldset[data-lines=duties]")).to_be_visible()
    department = design["service"]
    page.locator(f"#departments-{department.pk} > .node-row .edit-button").click()
    panel = page.locator("#role-panel")
    expect(panel.locator("#department-form")).to_be_visible()
    # The swatch is an SVG filled by attribute, shown in its colour without a style attribute.
    swatch = panel.locator("input[value=front-line] + .swatch rect")
    assert swatch.evaluate("el => getComputedStyle(el).fill") == "rgb(183, 228, 196)"
    # A save swaps the panel and redraws the editor's parts (htmx settles the swapped elements).
    panel.locator("input[name=function_group][value=front-line]").check()
    panel.get_by_role("button", name=re.compile("Save the department|保存部门")).click()
    expect(panel.locator(".saved-note")).to_be_visible()
    page.get_by_role("button", name="编辑 客服主管 的详细信息").click()
    expect(page.locator("fieldset[data-lines=duties]")).to_be_visible()
    page.get_by_role("button", name="保存岗位").click()
    expect(page.locator("#role-panel .saved-note")).to_be_visible()
    wait_for_chart(page)
    assert violations(page, console) == []

    page.goto(f"{live_server.url}/orgs/acme/plan/")
    expect(page.locator("th.indented").first).to_be_visible()
    # The depth indentation comes from the stylesheet now.
    padding = page.locator("th.indented[data-indent='2']").first.evaluate(
        "el => getComputedStyle(el).paddingInlineStart"
    )
    assert padding != "0px"
    assert violations(page, console) == []


def test_error_page_back_button_works_under_the_policy(
    page: Page, live_server, sign_in, user, organization, console
):
    page.add_init_script(COLLECT_VIOLATIONS)
    console.expect_status(404)
    sign_in(user, "/orgs/acme/")
    page.goto(f"{live_server.url}/orgs/no-such-organization/")
    back = page.locator("[data-go-back]")
    expect(back).to_be_visible()  # shown by static/js/pages.js: there is a page to go back to
    back.click()
    expect(page).to_have_url(re.compile(r"/orgs/acme/"))
    assert violations(page, console) == []
