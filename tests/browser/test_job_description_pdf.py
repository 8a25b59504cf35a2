from playwright.sync_api import Page, expect

from roles.services import role_update


def test_download_the_job_description_pdf(
    page: Page, live_server, sign_in, user, design, console, screenshot
):
    lead = design["cs_lead"]
    role_update(
        role=lead,
        duties=[{"text_zh": "处理投诉与售后", "text_en": "Handle complaints"}],
        kpis=[{"text_zh": "满意度 ≥ 95%", "text_en": "Satisfaction ≥ 95%"}],
    )
    sign_in(user, f"/orgs/acme/roles/{lead.pk}/")
    expect(page.get_by_text("处理投诉与售后")).to_be_visible()
    screenshot("role-page")

    with page.expect_download() as download_info:
        page.locator(f"a[href^='/orgs/acme/roles/{lead.pk}/jd.pdf']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
