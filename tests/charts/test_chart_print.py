"""The whole organization on paper (roles.charts.printing, roles.documents.chart_print): every
role of a template, a 1,000- and a 5,000-role design is printed, its smallest text at 7 pt or
more, every page the paper's size; a box that goes on elsewhere names the page it goes on, and
that page shows it. Read from the real PDF with poppler's pdftotext and pdfinfo."""

import io
import re
import subprocess

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from departments.models import Organization
from roles import charts, documents
from roles.documents import views
from roles.documents.chart_print import ROLES_WHILE_YOU_WAIT
from roles.documents.pdf import handbook_chart_pages
from roles.models import ExportJob
from roles.selectors import organization_design
from tests.benchmarks.synthetic import bulk_design
from tests.charts.pdf_text import (
    missing_titles,
    page_text,
    pages_of,
    smallest_printed_pt,
    squash,
)
from tests.conftest import TEMPLATE_SLUGS

pytestmark = pytest.mark.django_db


def assert_printed(pdf: bytes, titles: list[str], options: charts.PrintOptions) -> list:
    """Every title on a chart page (not only in the map at the end), no text under 7 pt, every
    page the paper's size with every word on the paper. Returns the pages."""
    pages = pages_of(pdf)
    width, height = options.page_size_pt()
    for page in pages:
        assert page.size == pytest.approx((width, height), abs=1)
        assert not page.words_outside(), page.words_outside()[:3]
    smallest = smallest_printed_pt(pages[1:-1])
    assert smallest >= charts.MIN_PRINTED_PT - 0.05, f"smallest text {smallest:.2f} pt"
    missing = missing_titles(pdf, titles, 2, len(pages) - 1)
    assert not missing, f"{len(missing)} titles not printed, e.g. {missing[:5]}"
    return pages


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
@pytest.mark.parametrize("view", charts.VIEWS)
def test_every_template_prints_every_role_at_a_readable_size(loaded_templates, slug, view):
    organization = Organization.objects.get(slug=slug)
    options = charts.PrintOptions(chart=charts.ChartOptions(view=view))
    with translation.override("zh-hans"):
        pdf = documents.chart_print_pdf(organization, options, use_cache=False).content
    titles = list(organization.roles.values_list("title_zh", flat=True))
    assert_printed(pdf, titles, options)


def test_a_box_that_goes_on_names_the_page_that_shows_it(user):
    organization = bulk_design(roles=300, owner=user, slug="print-links")
    options = charts.PrintOptions(chart=charts.ChartOptions(view="reporting"))
    with translation.override("zh-hans"):
        pdf = documents.chart_print_pdf(organization, options, use_cache=False).content
    pages = pages_of(pdf)
    assert len(pages) > 3
    followed = 0
    for number in range(2, len(pages)):
        # In the order the page was written, a card's lines follow each other: "岗位12", its
        # department and facts, then "→ 第 7 页（另 8 个）". Page 7 draws 岗位12 again above
        # its team and says it goes on from this page.
        text = page_text(pdf, number, number, "-raw")
        for title, target in re.findall(r"(岗位\d+)\n(?:[^\n]*\n){0,3}?→ 第 (\d+) 页", text):
            shown = squash(page_text(pdf, int(target), int(target), "-raw"))
            assert title in shown and f"接第{number}页" in shown, (number, title, target)
            followed += 1
    assert followed >= 5
    assert_rows_link_to_their_pages(pdf, pages)


def assert_rows_link_to_their_pages(pdf: bytes, pages) -> None:
    """Every "→ 第 N 页" row of a drawing is a link a PDF reader follows to page N, and a link
    covers nothing else."""
    reader = PdfReader(io.BytesIO(pdf))
    destinations = {
        name: reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }
    links = 0
    for number, page in enumerate(pages[1:-1], start=2):
        rows = sum(word.text == "→" for word in page.words)
        annotations = [a.get_object() for a in reader.pages[number - 1].get("/Annots") or []]
        boxes = [a for a in annotations if a["/Subtype"] == "/Link" and "/Dest" in a]
        assert len(boxes) == rows, (number, len(boxes), rows)
        for box in boxes:
            target = destinations[str(box["/Dest"])]
            x1, y1, x2, y2 = (float(v) for v in box["/Rect"])
            # PDF coordinates count from the bottom of the page, pdftotext's from the top.
            left, right = min(x1, x2), max(x1, x2)
            top, bottom = page.height - max(y1, y2), page.height - min(y1, y2)
            covered = "".join(
                word.text
                for word in page.words
                if left <= (word.x_min + word.x_max) / 2 <= right
                and top <= (word.y_min + word.y_max) / 2 <= bottom
            )
            assert covered.startswith(f"→第{target}页"), (number, covered, target)
            links += 1
    assert links >= 5


@pytest.mark.parametrize("view", charts.VIEWS)
@pytest.mark.parametrize(
    "size,paper,landscape",
    [
        (100, "a4", False),
        pytest.param(1000, "a4", True, marks=pytest.mark.slow),
        pytest.param(1000, "a3", False, marks=pytest.mark.slow),
    ],
)
def test_a_hundred_and_a_thousand_roles_print_whole(user, view, size, paper, landscape):
    organization = bulk_design(roles=size, owner=user, slug=f"print-{size}-{view}-{paper}")
    options = charts.PrintOptions(
        chart=charts.ChartOptions(view=view), paper=paper, landscape=landscape
    )
    with translation.override("zh-hans"):
        pdf = documents.chart_print_pdf(organization, options, use_cache=False).content
    titles = list(organization.roles.values_list("title_zh", flat=True))
    pages = assert_printed(pdf, titles, options)
    # One page per part of the tree, not one box per page.
    assert len(pages) < size / 5 + 3


@pytest.mark.slow
def test_five_thousand_roles_print_whole(user):
    organization = bulk_design(roles=5000, owner=user, slug="print-5000")
    options = charts.PrintOptions(chart=charts.ChartOptions(view="departments"), paper="a3")
    with translation.override("en"):
        pdf = documents.chart_print_pdf(organization, options, use_cache=False).content
    titles = list(organization.roles.values_list("title_en", flat=True))
    assert_printed(pdf, titles, options)


def test_the_chinese_text_is_embedded(loaded_templates):
    organization = Organization.objects.get(slug="cross-border")
    with translation.override("zh-hans"):
        pdf = documents.chart_print_pdf(organization, charts.PrintOptions()).content
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk), fonts


def test_print_pdf_over_http(signed_in, loaded_templates, user):
    organization = Organization.objects.get(slug="startup")
    url = reverse("roles:chart-print-pdf", kwargs={"slug": organization.slug})
    response = signed_in.get(url, {"view": "reporting", "paper": "a3", "landscape": "0"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pages_of(response.content)[0].size == pytest.approx((842, 1191), abs=1)

    bad = signed_in.get(url, {"paper": "letter", "view": "sideways"})
    assert bad.status_code == 400
    assert "paper" in bad.content.decode() and "view" in bad.content.decode()

    assert signed_in.get(url, {"root": "999999"}).status_code == 404


def job_page_of(response, organization) -> ExportJob:
    """The export job a print too large to wait for was handed to (its page is the answer)."""
    assert response.status_code == 302, response.content
    job = ExportJob.objects.get(organization=organization, kind="chart_print")
    assert response["Location"] == f"/orgs/{organization.slug}/exports/{job.pk}/"
    return job


def test_a_print_too_slow_to_wait_for_becomes_a_background_job(signed_in, user):
    organization = bulk_design(roles=400, owner=user, slug="print-wait")
    url = reverse("roles:chart-print-pdf", kwargs={"slug": organization.slug})
    with override_settings(TEAMORG_DOT_TIMEOUT_SECONDS=0.01):
        response = signed_in.get(url, {"paper": "a3"}, HTTP_ACCEPT_LANGUAGE="en")
    job = job_page_of(response, organization)
    assert job.options["paper"] == "a3" and job.options["lang"] == "en"


def test_the_handbook_prints_its_chart_in_the_print_layout(loaded_templates):
    organization = Organization.objects.get(slug="cross-border")
    with translation.override("zh-hans"):
        pdf = documents.handbook_pdf(organization, use_cache=False).content
    pages = pages_of(pdf)
    with translation.override("zh-hans"):
        printed = handbook_chart_pages(organization_design(organization))
    # The chart pages follow the cover, on A4 landscape.
    chart_pages = [page.number for page in printed]
    assert chart_pages == list(range(2, 2 + len(printed)))
    assert all(pages[number - 1].width > pages[number - 1].height for number in chart_pages)
    # Under the running header (the organization), the page header names the section.
    assert "组织架构图·总经办" in squash(page_text(pdf, 2, 2))[:40]
    chart_text = squash(page_text(pdf, chart_pages[0], chart_pages[-1], "-raw"))
    names = organization.departments.values_list("name_zh", flat=True)
    assert all(squash(name) in chart_text for name in names)
    printed = [pages[number - 1] for number in chart_pages]
    assert smallest_printed_pt(printed) >= charts.MIN_PRINTED_PT - 0.05
    assert not any(page.words_outside() for page in printed)


def test_the_whole_chart_as_svg_does_not_collapse(signed_in, user):
    organization = bulk_design(roles=1000, owner=user, slug="whole-svg")
    url = reverse("charts:chart-file", kwargs={"slug": organization.slug, "fmt": "svg"})
    collapsed = signed_in.get(url).content.decode()
    whole = signed_in.get(url, {"full": "1"}).content.decode()
    # The collapsed chart says what it left out ("还有 N 个", the glossary's "+N more").
    assert "还有" in collapsed and "岗位999" not in collapsed
    titles = organization.roles.values_list("title_zh", flat=True)
    # A text of its own per title: "○ " before a planned role, a space before a tag after it.
    missing = [t for t in titles if not re.search(rf">[○ ]*{re.escape(t)} ?<", whole)]
    assert not missing


def test_a_png_too_large_for_an_image_says_what_to_download_instead(signed_in, user):
    organization = bulk_design(roles=1000, owner=user, slug="whole-png")
    url = reverse("charts:chart-file", kwargs={"slug": organization.slug, "fmt": "png"})
    response = signed_in.get(url, {"full": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    message = response.content.decode()
    assert "pixels" in message and "print PDF" in message
    assert signed_in.get(url).status_code == 200  # the collapsed chart is still an image


def test_a_print_of_more_roles_than_fit_a_request_is_a_background_job_at_once(signed_in, user):
    # Just over the bound: 401 roles print on about 28 pages in the reporting view, well within
    # the time and page limits, so only the count sends this print to a job before any layout.
    organization = bulk_design(roles=ROLES_WHILE_YOU_WAIT + 1, owner=user, slug="print-roles")
    url = reverse("roles:chart-print-pdf", kwargs={"slug": organization.slug})
    response = signed_in.get(url, {"view": "reporting"}, HTTP_ACCEPT_LANGUAGE="en")
    job = job_page_of(response, organization)
    assert job.options["view"] == "reporting" and job.state == "queued"
    # The same request joins that job: one job per revision and options.
    again = signed_in.get(url, {"view": "reporting"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again["Location"] == response["Location"]
    # Bad options are still a 400 and an unknown root a 404, not a job.
    assert signed_in.get(url, {"view": "reporting", "phase": "999999"}).status_code == 400
    assert signed_in.get(url, {"view": "reporting", "root": "999999"}).status_code == 404
    assert ExportJob.objects.filter(organization=organization).count() == 1
    # One department of it prints while the request waits.
    department = organization.departments.get(code="department-1")
    part = signed_in.get(url, {"root": department.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert part.status_code == 200 and part["Content-Type"] == "application/pdf"


def test_a_print_of_more_pages_than_fit_a_request_becomes_a_background_job(
    signed_in, user, monkeypatch
):
    organization = bulk_design(roles=120, owner=user, slug="print-pages")
    monkeypatch.setattr(views, "PAGES_WHILE_YOU_WAIT", 2)
    url = reverse("roles:chart-print-pdf", kwargs={"slug": organization.slug})
    response = signed_in.get(url, {"view": "reporting"}, HTTP_ACCEPT_LANGUAGE="en")
    job = job_page_of(response, organization)
    assert job.options["view"] == "reporting" and job.state == "queued"
