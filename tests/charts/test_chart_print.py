"""The whole organization on paper (roles.charts.printing, roles.documents.chart_print): every
role of a template, a 1,000- and a 5,000-role design is printed, its smallest text at 7 pt or
more, every page the paper's size; a box that goes on elsewhere names the page it goes on, and
that page shows it. Read from the real PDF with poppler's pdftotext and pdfinfo."""

import re
import subprocess
from collections import Counter
from functools import cache

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from departments.models import Organization
from roles import charts, documents
from roles.documents.pdf import handbook_chart_pages, html_to_pdf
from roles.models import ExportJob
from roles.selectors import organization_design
from tests.benchmarks.synthetic import bulk_design
from tests.conftest import TEMPLATE_SLUGS

pytestmark = pytest.mark.django_db

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def pages_of(pdf: bytes) -> list[tuple[tuple[float, float], list[tuple[float, str]]]]:
    """Per page: its size (pt) and its words as (height of the word's box, text)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = []
    for chunk in xml.split("<page ")[1:]:
        size = PAGE.match("<page " + chunk)
        words = [
            (float(y_max) - float(y_min), text)
            for _x, y_min, _x2, y_max, text in WORD.findall(chunk)
        ]
        pages.append(((float(size.group(1)), float(size.group(2))), words))
    return pages


@cache
def box_height_per_point() -> float:
    """How tall pdftotext reports a word of 1 pt type in our font: measured on a PDF with text
    of a known size rather than taken from the font's metrics by hand."""
    pdf = html_to_pdf("<p style=\"font: 20pt 'Noto Sans CJK SC'\">岗位 Role</p>", tagged=False)
    heights = [height for height, _text in pages_of(pdf)[0][1]]
    return min(heights) / 20


def page_text(pdf: bytes, first: int, last: int, mode: str = "-layout") -> str:
    """The text of pages `first` to `last`: `-layout` keeps lines as printed, `-raw` the order
    it was written in (a title wrapped in a box next to its head count reads as one)."""
    return subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), mode, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_printed(pdf: bytes, titles: list[str], options: charts.PrintOptions) -> list:
    """Every title on a chart page (not only in the map at the end), no text under 7 pt, every
    page the paper's size. Returns the pages."""
    pages = pages_of(pdf)
    width, height = options.page_size_pt()
    sizes = Counter((round(size[0]), round(size[1])) for size, _words in pages)
    assert sizes == {(round(width), round(height)): len(pages)}
    smallest = min(h for _size, words in pages[1:-1] for h, _t in words) / box_height_per_point()
    assert smallest >= charts.MIN_PRINTED_PT - 0.05, f"smallest text {smallest:.2f} pt"
    chart_pages = squash(page_text(pdf, 2, len(pages) - 1, "-raw"))
    missing = [title for title in titles if squash(title) not in chart_pages]
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


@pytest.mark.parametrize("view", charts.VIEWS)
@pytest.mark.parametrize(
    "size,paper,landscape", [(100, "a4", False), (1000, "a4", True), (1000, "a3", False)]
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
    assert pages_of(response.content)[0][0] == pytest.approx((842, 1191), abs=1)

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
    assert all(pages[number - 1][0][0] > pages[number - 1][0][1] for number in chart_pages)
    # Under the running header (the organization), the page header names the section.
    assert "组织架构图·总经办" in squash(page_text(pdf, 2, 2))[:40]
    chart_text = squash(page_text(pdf, chart_pages[0], chart_pages[-1], "-raw"))
    names = organization.departments.values_list("name_zh", flat=True)
    assert all(squash(name) in chart_text for name in names)
    words = [h for number in chart_pages for h, _t in pages[number - 1][1]]
    assert min(words) / box_height_per_point() >= charts.MIN_PRINTED_PT - 0.05


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


def test_a_print_of_more_pages_than_fit_a_request_becomes_a_background_job(signed_in, user):
    organization = bulk_design(roles=1500, owner=user, slug="print-pages")
    url = reverse("roles:chart-print-pdf", kwargs={"slug": organization.slug})
    response = signed_in.get(url, {"view": "reporting"}, HTTP_ACCEPT_LANGUAGE="en")
    job = job_page_of(response, organization)
    assert job.options["view"] == "reporting" and job.state == "queued"
    # One department of it prints.
    department = organization.departments.get(code="department-1")
    part = signed_in.get(url, {"root": department.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert part.status_code == 200 and part["Content-Type"] == "application/pdf"
