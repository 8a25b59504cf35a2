"""The role form in both languages, in Chromium: a user working in English renames a role and
adds a KPI; the Chinese view keeps the Chinese title (shown beside the English one in the form)
and shows the KPI marked as not translated until the Chinese text is typed. Also a 一人多职 pick
with the filter box and the duplicate-title warning; screenshots at 1280×800 and 390×844."""

import re

from playwright.sync_api import Page, expect

from roles.models import Role
from tests.browser.conftest import SCREENSHOTS, open_editor

PAUSE = 400  # ms: a person's pause while a request is in flight


def _switch_language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", code)


def _open_role(page: Page, name: str) -> None:
    page.get_by_role("button", name=re.compile(name)).click()
    expect(page.locator("#role-form")).to_be_visible()


def _replace(page: Page, locator, text: str) -> None:
    """Click into a field, select what is there and type over it, then Tab away."""
    locator.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text, delay=20)
    page.keyboard.press("Tab")
    page.wait_for_timeout(PAUSE)


def _save(page: Page) -> None:
    page.locator("#role-form button[type=submit]").click()
    expect(page.locator("#role-panel .saved-note")).to_be_visible()


def test_english_edit_keeps_chinese_visible_and_marks_the_untranslated_kpi(
    page: Page, live_server, sign_in, user, design, console
):
    lead = design["cs_lead"]
    sign_in(user, "/orgs/acme/edit/")
    _switch_language(page, "en")
    open_editor(page, live_server)
    _open_role(page, "Edit the details of Customer Service Lead")
    form = page.locator("#role-form")

    # The title in both languages, English (the page's language) first.
    title_en = form.locator("input[name=title_en]")
    title_zh = form.locator("input[name=title_zh]")
    expect(title_zh).to_have_value("客服主管")
    _replace(page, title_en, "Customer Support Agent")

    kpis = form.locator("fieldset[data-lines=kpis]")
    kpis.get_by_role("button", name="Add a KPI").click()
    new_kpi = kpis.locator("textarea[name=kpis-text_en]").last
    expect(new_kpi).to_be_focused()
    page.keyboard.type("Refund rate under 2%", delay=20)
    page.keyboard.press("Tab")
    page.wait_for_timeout(PAUSE)
    _save(page)

    # Saved with a note that the Chinese title was left as it was.
    warning = page.locator("#role-panel .saved-warnings")
    expect(warning).to_contain_text("Only the English title was changed")
    expect(warning).to_contain_text("客服主管")
    saved = Role.objects.get(pk=lead.pk)
    assert (saved.title_zh, saved.title_en) == ("客服主管", "Customer Support Agent")
    assert [(k.text_zh, k.text_en) for k in saved.kpis.all()] == [("", "Refund rate under 2%")]
    # The returned form marks the missing Chinese KPI text.
    expect(
        page.locator("#role-form fieldset[data-lines=kpis] .line-text.untranslated")
    ).to_have_count(1)

    # In Chinese: the Chinese title unchanged, the English one beside it.
    _switch_language(page, "zh-hans")
    open_editor(page, live_server)
    _open_role(page, "编辑 客服主管 的详细信息")
    form = page.locator("#role-form")
    expect(form.locator("input[name=title_zh]")).to_have_value("客服主管")
    expect(form.locator("input[name=title_en]")).to_have_value("Customer Support Agent")
    expect(form.locator("input[name=title_zh]")).to_be_visible()
    expect(form.locator("input[name=title_en]")).to_be_visible()

    # The Chinese job description shows the English KPI, marked.
    page.goto(f"{live_server.url}/orgs/acme/roles/{lead.pk}/")
    marked = page.locator("article.job-description span.untranslated", has_text="Refund rate")
    expect(marked).to_be_visible()
    expect(marked).to_have_attribute("lang", "en")

    # Type the Chinese KPI text and save: the mark is gone.
    open_editor(page, live_server)
    _open_role(page, "编辑 客服主管 的详细信息")
    kpi_zh = page.locator("#role-form textarea[name=kpis-text_zh]").first
    kpi_zh.click()
    page.keyboard.type("退款率低于 2%", delay=20)
    page.keyboard.press("Tab")
    page.wait_for_timeout(PAUSE)
    _save(page)
    expect(page.locator("#role-form .line-text.untranslated")).to_have_count(0)
    kpi = Role.objects.get(pk=lead.pk).kpis.get()
    assert (kpi.text_zh, kpi.text_en) == ("退款率低于 2%", "Refund rate under 2%")
    page.goto(f"{live_server.url}/orgs/acme/roles/{lead.pk}/")
    kpi_list = page.locator("article.job-description ol.lines").last
    expect(kpi_list).to_contain_text("退款率低于 2%")
    expect(page.locator("article.job-description .untranslated")).to_have_count(0)


def test_combination_pick_and_duplicate_title_warning(
    page: Page, live_server, sign_in, user, design, console
):
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    _open_role(page, "编辑 客服主管 的详细信息")

    combinations = page.locator("#role-form [data-combinations]")
    combinations.locator("[data-combination-filter]").click()
    page.keyboard.type("市场", delay=30)
    page.wait_for_timeout(PAUSE)
    visible = combinations.locator("li[data-combination-text]:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("市场总监")
    page.keyboard.press("Enter")  # filters; does not save
    page.wait_for_timeout(PAUSE)
    expect(page.locator("#role-panel .saved-note")).to_have_count(0)
    visible.locator("input[type=checkbox]").check()
    page.set_viewport_size({"width": 1280, "height": 800})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#role-panel").evaluate("panel => panel.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "role-form-1280x800.png"))
    _save(page)
    lead = Role.objects.get(pk=design["cs_lead"].pk)
    assert list(lead.combinable_with.all()) == [design["marketing"]]
    expect(
        page.locator(f"#role-form input[name=combinable_with][value='{design['marketing'].pk}']")
    ).to_be_checked()

    # 运营总监 and 市场总监 both report to the CEO: renaming one to the other's title is saved,
    # with a warning naming the other role.
    open_editor(page, live_server)
    _open_role(page, "编辑 运营总监 的详细信息")
    _replace(page, page.locator("#role-form input[name=title_zh]"), "市场总监")
    _replace(page, page.locator("#role-form input[name=title_en]"), "Marketing Director")
    _save(page)
    warning = page.locator("#role-panel .saved-warnings")
    expect(warning).to_contain_text("“市场总监”")
    expect(warning).to_contain_text("运营中心")
    assert Role.objects.get(pk=design["director"].pk).title_zh == "市场总监"

    # The phone width: nothing of the role form reaches past the viewport (the page as a whole
    # is the editor layout's business: its chart is checked by the layout tests).
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(PAUSE)
    too_wide = page.evaluate(
        """Array.from(document.querySelectorAll('#role-panel, #role-panel *'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert too_wide == []
    page.locator("#role-panel").evaluate("panel => panel.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "role-form-390x844.png"))
