"""The handbook: cover, org chart pages, table of contents with page numbers, every charter and
every job description. The contents are checked against the rendered pages themselves."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from departments.models import Organization
from roles import documents
from roles.selectors import organization_design
from tests.documents.support import pdf_pages, pdf_reader, sample_design, squash
from tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db

TOC_LINE = re.compile(r"^(?P<title>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


@pytest.fixture
def sample(organization):
    return sample_design(organization)


def _handbook(client, user, organization, **params):
    client.force_login(user)
    return client.get(reverse("roles:handbook-pdf", args=[organization.slug]), params)


def _contents(pages: list[str], heading: str, next_heading: str) -> list[tuple[str, int]]:
    """(title, page) of every contents line: from the page that starts with the contents
    heading up to the page that starts the next section."""
    entries = []
    start = next(i for i, text in enumerate(pages) if text.startswith(heading))
    for text in pages[start:]:
        if text.startswith(next_heading):
            break
        for line in text.splitlines():
            match = TOC_LINE.match(line.strip())
            if match:
                entries.append((match["title"], int(match["page"])))
    return entries


def test_contents_page_numbers_point_at_the_headings(client, user, sample):
    pdf = _handbook(client, user, sample.organization, lang="en").content
    pages = pdf_pages(pdf)

    entries = _contents(pages, "Contents", "Head-count plan")
    expected = ["Organization chart", "Head-count plan", "Operations Centre", "General Manager",
                "Operations Director", "Customer Service", "Customer Service Supervisor",
                "Pre-sales Agent", "Promotion", "Promotion Specialist", "Finance"]  # fmt: skip
    assert [title for title, _page in entries] == expected
    for title, page in entries:
        # The document starts at the top of that page: its kind label, then its title (a chart
        # page's header starts with the section's name).
        lines = pages[page - 1].splitlines()
        assert any(line.startswith(title) for line in lines[:3]), (title, page, lines[:3])
    assert [page for _title, page in entries] == sorted(page for _t, page in entries)


def test_contents_of_a_template_handbook_match_its_pages(client, user, loaded_templates):
    """A real design: the contents run over more than one page and point at every document."""
    template = Organization.objects.filter(slug="startup", is_template=True).first()
    assert template is not None

    pages = pdf_pages(_handbook(client, user, template, lang="en").content)

    entries = _contents(pages, "Contents", "Head-count plan")
    design = organization_design(template)
    expected = ["Organization chart", "Head-count plan"]
    for department in design.departments:
        expected.append(department.name_en)
        expected.extend(role.title_en for role in design.roles_by_department.get(department.pk, []))
    assert [squash(title) for title, _page in entries] == [squash(title) for title in expected]
    for title, page in entries:
        assert squash(title) in squash("".join(pages[page - 1].splitlines()[:3])), (title, page)
    assert f"{len(pages)} / {len(pages)}" in pages[-1]
    # The contents are laid out in page-sized parts; the pages after the first, which have no
    # title, still name the contents in their running header.
    first = next(i for i, text in enumerate(pages) if text.startswith("Contents"))
    plan = next(i for i, text in enumerate(pages) if text.startswith("Head-count plan"))
    assert plan - first >= 2
    for text in pages[first + 1 : plan]:
        assert "Contents" in text


def test_every_page_is_numbered_out_of_the_page_count(client, user, sample):
    pdf = _handbook(client, user, sample.organization, lang="en").content
    pages = pdf_pages(pdf)

    assert len(pdf_reader(pdf).pages) == len(pages)
    for number, text in enumerate(pages[1:], start=2):  # the cover has no running header
        assert f"{number} / {len(pages)}" in text, number


def test_page_count_matches_the_contents(client, user, sample):
    pages = pdf_pages(_handbook(client, user, sample.organization, lang="en").content)

    assert pages[0].startswith("Team handbook") and "Acme Shop" in pages[0]
    # Cover, chart, contents, plots, then 4 charters and 5 job descriptions, each starting a page
    # (the supervisor's long one runs on to a second page).
    assert sum(text.startswith("Department charter") for text in pages) == 4
    assert sum(text.startswith("Job description") for text in pages) == 5
    assert len(pages) >= 3 + 4 + 5
    # No trailing blank page: the last page is the last entry of the contents.
    assert _contents(pages, "Contents", "Head-count plan")[-1] == ("Finance", len(pages))


def test_running_header_names_organization_and_document(client, user, sample):
    pages = pdf_pages(_handbook(client, user, sample.organization).content)

    supervisor_page = next(text for text in pages if text.startswith("岗位说明书\n客服主管"))
    assert "测试电商 客服主管" in supervisor_page


def test_shows_the_org_chart(client, user, sample):
    pdf = _handbook(client, user, sample.organization, lang="en").content
    pages = pdf_pages(pdf)

    chart_page = next(text for text in pages if text.startswith("Organization chart"))
    # The chart is an SVG drawn by Graphviz: its department labels are real text in the PDF.
    assert "Customer Service" in chart_page and "Finance" in chart_page


def test_shows_the_head_count_plots_of_the_plan_page(client, user, sample):
    pdf = _handbook(client, user, sample.organization, lang="en").content
    pages = pdf_pages(pdf)

    plots_page = next(text for text in pages if text.startswith("Head-count plan"))
    assert "Head count by department and phase" in plots_page
    assert "Cumulative hires along the hiring roadmap" in plots_page
    # The plots are SVG: their labels (shortened to fit) are real text in the PDF.
    assert "Customer" in plots_page and "Launch" in plots_page


def test_chinese_handbook_holds_every_duty_with_metadata(client, user, sample):
    response = _handbook(client, user, sample.organization)

    text = squash("".join(pdf_pages(response.content)))
    assert "目录" in text
    for duty in ["制定客服管理制度和工作规划", "通过旺旺在线接待顾客", "处理商品纠纷与退换货"]:
        assert duty in text
    reader = pdf_reader(response.content)
    assert reader.metadata.title == "测试电商 · 团队手册"
    assert reader.metadata.author == "测试电商"
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_reads_a_constant_number_of_queries(user):
    """The handbook reads the design once: no query per department or role."""

    def organization_with(departments: int, roles_each: int):
        organization = OrganizationFactory(owner=user)
        for _d in range(departments):
            department = DepartmentFactory(organization=organization)
            manager = None
            for _r in range(roles_each):
                manager = RoleFactory(
                    department=department,
                    reports_to=manager,
                    duties=[{"text_zh": "职责一"}, {"text_zh": "职责二"}],
                    requirements=[{"kind": "skill", "text_zh": "技能"}],
                    kpis=[{"text_zh": "指标"}],
                )
        return organization

    def queries(organization):
        with translation.override("zh-hans"), CaptureQueriesContext(connection) as captured:
            documents.handbook_pdf(organization, use_cache=False)
        return len(captured)

    small, large = organization_with(1, 2), organization_with(4, 5)

    assert queries(small) == queries(large)


def test_an_organization_the_user_cannot_see_is_not_found(client, other_user, sample):
    assert _handbook(client, other_user, sample.organization).status_code == 404
