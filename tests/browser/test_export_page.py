"""The handbook button as a person uses it: the page of the background job shows its progress,
finds the same job after a reload, then offers the file."""

import re

from playwright.sync_api import Page, expect

from roles.models import ExportJob


def test_the_handbook_button_shows_progress_then_the_download(
    page: Page, live_server, sign_in, user, design, console, screenshot
):
    sign_in(user, "/orgs/acme/")
    page.get_by_role("button", name="团队手册（PDF）").click()
    expect(page).to_have_url(re.compile(r"/orgs/acme/exports/[0-9a-f-]{36}/$"))
    job_url = page.url
    status = page.locator("#export-status")
    expect(status.locator("#export-progress")).to_be_visible()
    screenshot("export-progress")

    # A reload finds the same job (the page is its address), still going or finished.
    page.reload()
    expect(page).to_have_url(job_url)
    download_button = page.locator("#export-download")
    expect(download_button).to_be_visible(timeout=120_000)
    expect(status).to_have_attribute("data-state", "done")
    screenshot("export-done")
    assert ExportJob.objects.filter(organization__slug="acme").count() == 1

    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The same button again: the finished job is the file, no new job.
    page.goto(f"{live_server.url}/orgs/acme/")
    page.get_by_role("button", name="团队手册（PDF）").click()
    expect(page).to_have_url(job_url)
    expect(page.locator("#export-download")).to_be_visible()
