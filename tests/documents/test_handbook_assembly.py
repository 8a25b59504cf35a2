"""The handbook assembled from separately rendered parts (roles.documents.handbook): page numbers
in the contents and footers, links and bookmarks that land on their document, every role, fonts
embedded once, both languages, and a cache that re-renders only what an edit changed. Everything
is read back from the real PDF with pypdf and poppler."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from roles import services as role_services
from roles.documents import handbook as assembly
from tests.documents.support import pdf_fonts, pdf_pages, pdf_reader, sample_design
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TOC_LINE = re.compile(r"^(?P<title>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


@pytest.fixture
def part_cache_dir(settings, tmp_path):
    """An empty part cache of the test's own (the default keeps parts in var/)."""
    settings.TEAMORG_HANDBOOK_CACHE_DIR = str(tmp_path / "parts")
    return Path(settings.TEAMORG_HANDBOOK_CACHE_DIR)


@pytest.fixture
def sample(organization):
    return sample_design(organization)


def _assemble(organization, language="en", **options):
    with translation.override(language):
        return assembly.assemble_handbook(organization, **options)


def _page_of(reader, destination) -> int:
    """The index of the page an annotation's /Dest array points at."""
    target = destination[0].idnum
    return next(i for i, page in enumerate(reader.pages) if page.indirect_reference.idnum == target)


def _links(reader) -> list[tuple[int, int]]:
    """(page the link is on, page it goes to) for every internal link."""
    found = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                found.append((index, _page_of(reader, annotation["/Dest"])))
    return found


def test_contents_footers_links_and_bookmarks_agree_with_the_pages(sample, part_cache_dir):
    built = _assemble(sample.organization)
    pages = pdf_pages(built.content)
    reader = pdf_reader(built.content)

    assert built.pages == len(pages)
    # Footers: every page but the cover is numbered out of the total.
    assert f"/ {len(pages)}" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert text.rstrip().endswith(f"{number} / {len(pages)}"), number

    # Contents: each line's number is the page its document starts on …
    contents_index = next(i for i, text in enumerate(pages) if text.startswith("Contents"))
    entries = [
        (match["title"], int(match["page"]))
        for line in pages[contents_index].splitlines()
        if (match := TOC_LINE.match(line.strip()))
    ]
    assert [title for title, _page in entries][:3] == [
        "Organization chart",
        "Head-count plan",
        "Operations Centre",
    ]
    for title, page in entries:
        assert any(line.startswith(title) for line in pages[page - 1].splitlines()[:3]), title
    # … and each line links there.
    targets = {goal + 1 for on, goal in _links(reader) if on == contents_index}
    assert targets == {page for _title, page in entries}

    # A link to a document in another chapter lands on it: the supervisor reports to the
    # director, whose job description is in the Operations Centre's chapter.
    supervisor = next(i for i, t in enumerate(pages) if t.startswith("Job description\nCustomer"))
    director = next(i for i, t in enumerate(pages) if t.startswith("Job description\nOperations"))
    assert (supervisor, director) in _links(reader)

    # Bookmarks: chart, contents, plots, then each department with its roles beneath it.
    outline = reader.outline
    top = [item for item in outline if not isinstance(item, list)]
    assert [item.title for item in top] == [
        "Organization chart",
        "Contents",
        "Head-count plan",
        "Operations Centre",
        "Customer Service",
        "Promotion",
        "Finance",
    ]
    service_roles = outline[outline.index(top[4]) + 1]
    assert [item.title for item in service_roles] == [
        "Customer Service Supervisor",
        "Pre-sales Agent",
    ]
    for item in [*top[1:], *service_roles]:
        text = pages[reader.get_destination_page_number(item)]
        assert item.title in "".join(text.splitlines()[:3]), item.title


@pytest.mark.parametrize(
    ("language", "titles", "heading"),
    [
        ("zh-hans", ["总经理", "运营总监", "客服主管", "售前客服", "推广专员"], "目录"),
        ("en", ["General Manager", "Pre-sales Agent", "Promotion Specialist"], "Contents"),
    ],
)
def test_every_role_in_either_language_with_fonts_embedded_once(
    sample, part_cache_dir, language, titles, heading
):
    built = _assemble(sample.organization, language)
    pages = pdf_pages(built.content)

    assert any(text.startswith(heading) for text in pages)
    kinds = ("岗位说明书\n", "Job description\n")
    job_titles = [text.splitlines()[1] for text in pages if text.startswith(kinds)]
    assert len(job_titles) == 5
    for title in titles:
        assert title in job_titles
    fonts = pdf_fonts(built.content)
    assert fonts and all(font["embedded"] == "yes" for font in fonts)
    names = [font["name"].partition("+")[2] for font in fonts]
    # One embedded copy of each face, not one per chapter.
    assert len(names) == len(set(names)), names
    reader = pdf_reader(built.content)
    assert reader.trailer["/Root"]["/Lang"] == language


def test_after_one_edit_only_that_chapter_and_the_cover_are_rendered_again(sample, part_cache_dir):
    first = _assemble(sample.organization, workers=1)
    cached = set(part_cache_dir.iterdir())
    # Cover, chart, plots, four chapters, contents (and nothing reused: the cache was empty).
    assert sorted(first.rendered) == sorted(
        ["cover", "chart", "plots", "chapter", "chapter", "chapter", "chapter", "contents"]
    )
    assert first.reused == 0
    assert len(cached) == len(first.rendered)

    role_services.role_update(role=sample.agent, summary_en="Answers every chat within a minute.")
    sample.organization.refresh_from_db()
    second = _assemble(sample.organization, workers=1)

    # The Customer Service chapter shows the agent's summary; the cover shows the revision.
    # Nothing else changed, so nothing else is rendered: the new cache entries say so too.
    assert sorted(second.rendered) == ["chapter", "cover"]
    assert len(set(part_cache_dir.iterdir()) - cached) == 2
    assert "Answers every chat within a minute." in "".join(pdf_pages(second.content))
    assert second.pages == first.pages


def test_parts_are_rendered_in_worker_processes_with_the_same_result(sample, part_cache_dir):
    serial = _assemble(sample.organization, workers=1, use_part_cache=False)
    parallel = _assemble(sample.organization, workers=2, use_part_cache=False)

    assert pdf_pages(parallel.content) == pdf_pages(serial.content)
    assert len(parallel.rendered) >= assembly.MIN_PARALLEL_PARTS


def test_a_part_key_names_its_organization_language_and_content(sample, user):
    other = sample_design(
        OrganizationFactory(owner=user, slug="other", name_zh="测试电商", name_en="Acme Shop")
    )
    html = "<p>same</p>"
    with translation.override("en"):
        english = assembly.part_key(sample.organization, html)
        elsewhere = assembly.part_key(other.organization, html)
        changed = assembly.part_key(sample.organization, html + " ")
    with translation.override("zh-hans"):
        chinese = assembly.part_key(sample.organization, html)

    assert len({english, elsewhere, changed, chinese}) == 4
    assert f":{sample.organization.pk}." in english and ":en:" in english


def test_progress_goes_through_every_step_with_pages_done(sample, part_cache_dir):
    heard = []
    _assemble(sample.organization, workers=1, progress=lambda *step: heard.append(step))

    steps = [step for step, _done, _total in heard]
    assert steps[:3] == ["reading", "chart", "plots"] and steps[-1] == "merging"
    layout = [(done, total) for step, done, total in heard if step == "layout"]
    assert layout[0][0] == 0 and layout[-1][0] > 0
    assert all(done < total for done, total in layout)
    assert [done for done, _total in layout] == sorted(done for done, _total in layout)
