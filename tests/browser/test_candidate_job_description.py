"""The candidate version of a job description in Chromium (issue 18): the company introduction
and how to apply, typed in the organization's settings with the keyboard, show on the role's
job description for candidates; the internal version stays one click away."""

import re

from playwright.sync_api import Page, expect

from departments.models import Organization

INTRO_ZH = "我们是一家专注家居用品的电商公司。"
INTRO_EN = "We sell home goods online."
APPLY_ZH = "简历请发送至 jobs@example.cn"


def test_typed_company_introduction_shows_on_the_candidate_job_description(
    page: Page, live_server, sign_in, user, design, console, screenshot
):
    organization = design["organization"]
    sign_in(user, "/orgs/acme/settings/")

    profile = page.locator("#candidate-profile")
    expect(profile).to_be_visible()
    intro_zh = profile.locator("textarea[name=company_intro_zh]")
    intro_zh.click()
    expect(intro_zh).to_be_focused()
    page.keyboard.type(INTRO_ZH, delay=10)
    page.keyboard.press("Tab")
    expect(profile.locator("textarea[name=company_intro_en]")).to_be_focused()
    page.keyboard.type(INTRO_EN, delay=10)
    apply_zh = profile.locator("textarea[name=how_to_apply_zh]")
    apply_zh.click()
    expect(apply_zh).to_be_focused()
    page.keyboard.type(APPLY_ZH, delay=10)
    screenshot("settings-candidate-profile")
    page.locator("#organization-settings button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(intro_zh).to_have_value(INTRO_ZH)
    saved = Organization.objects.get(pk=organization.pk)
    assert (saved.company_intro_zh, saved.company_intro_en) == (INTRO_ZH, INTRO_EN)
    assert saved.how_to_apply_zh == APPLY_ZH

    # The role's page opens in the internal version; the candidate one is a click away.
    role = design["cs_lead"]
    page.goto(f"{live_server.url}/orgs/acme/roles/{role.pk}/")
    versions = page.locator(".document-versions")
    expect(versions.locator("[aria-current=page]")).to_have_attribute("data-version", "internal")
    expect(page.locator("article.job-description")).not_to_contain_text(INTRO_ZH)
    versions.locator("[data-version=candidate]").click()
    expect(page).to_have_url(re.compile(r"\?version=candidate$"))
    candidate = page.locator("article.job-description.candidate")
    expect(candidate).to_contain_text("客服主管")
    expect(candidate.locator("#about-us")).to_contain_text(INTRO_ZH)
    expect(candidate.locator("#how-to-apply")).to_contain_text(APPLY_ZH)
    expect(candidate).not_to_contain_text("各阶段人员编制")
    download = page.locator("a[data-download=candidate]")
    expect(download).to_have_attribute("href", re.compile(r"jd\.pdf\?version=candidate"))
    screenshot("candidate-job-description")

    # The English page shows the English introduction.
    page.goto(f"{live_server.url}/orgs/acme/roles/{role.pk}/?version=candidate&lang=en")
    expect(page.locator("#about-us")).to_contain_text(INTRO_EN)
