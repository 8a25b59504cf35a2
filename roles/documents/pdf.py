"""Documents as PDFs (WeasyPrint): job descriptions, charters, the handbook.

WeasyPrint renders only our own templates and fetches only local static files: every URL it asks
for is answered by `fetch_local`, so nothing leaves the process. Rendered PDFs are cached by
organization revision. The handbook is assembled from separately rendered parts
(`roles.documents.handbook`).
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

from departments.models import Organization
from roles import charts
from roles.documents.content import (
    Design,
    department_document,
    department_with_design,
    role_document,
    role_with_design,
)
from roles.planning.plan import organization_plan
from roles.planning.plots import plan_svgs

logger = logging.getLogger(__name__)

# Relative links in our print templates resolve against this. The `.invalid` TLD never resolves,
# and the URL fetcher below answers every request itself, so nothing leaves the process.
BASE_URL = "https://teamorg.invalid/"
# Bumped when templates or print CSS change in a way that must not be served from the cache.
DOCUMENTS_VERSION = 2  # 2: requirements in two groups, required and preferred (issue 20)
CACHE_SECONDS = 24 * 60 * 60


# --- PDF rendering -----------------------------------------------------------------------------


def _static_path(url: str) -> str | None:
    """The file behind a URL under STATIC_URL, else None: found by the staticfiles finders
    (development), or collected under its hashed name in STATIC_ROOT (production, where
    `{% static %}` writes the hashed name)."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    relative = unquote(urlsplit(url[len(prefix) :]).path)
    if not relative or relative.startswith("/"):
        return None
    try:
        found = finders.find(relative)
        if found is None and staticfiles_storage.exists(relative):
            found = staticfiles_storage.path(relative)
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return found if isinstance(found, str) else None


def fetch_local(url: str) -> tuple[bytes, str]:
    """Bytes and MIME type of one resource a document links to.

    Only our own static files and inline `data:` URLs; everything else (http, file, ftp,
    anything outside the static dirs) is refused, so a document never reaches the network or
    reads a file it was not meant to.
    """
    if url.startswith("data:"):
        header, _sep, payload = url[5:].partition(",")
        mime = header.split(";")[0] or "text/plain"
        data = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload)
        return (data if isinstance(data, bytes) else data.encode("utf-8")), mime
    path = _static_path(url)
    if path is None:
        raise ValueError(f"Documents may only load local static files, not {url!r}.")
    with open(path, "rb") as handle:
        data = handle.read()
    return data, mimetypes.guess_type(path)[0] or "application/octet-stream"


def _url_fetcher():
    """Recent WeasyPrint (70 here) takes a URLFetcher object; older ones a plain function."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:

        def fetch(url):
            data, mime = fetch_local(url)
            return {"string": data, "mime_type": mime, "redirected_url": url}

        return fetch

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            data, mime = fetch_local(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})

    return LocalOnlyFetcher()


def render_pdf(
    template_name: str, context: dict, *, tagged: bool = True, on_page: PageCallback | None = None
) -> bytes:
    """Render one of our print templates to PDF bytes in the active language."""
    return html_to_pdf(render_to_string(template_name, context), tagged=tagged, on_page=on_page)


# Called with the number of the page WeasyPrint has just laid out (a long document's progress).
PageCallback = Callable[[int], None]
_LAYOUT_MESSAGE = "Step 5 - Creating layout - Page %d"


class _PagesLaidOut(logging.Handler):
    """Hands WeasyPrint's "laid out page N" progress messages of one thread to a callback.
    WeasyPrint has no progress hook but logs each page to `weasyprint.progress`; the logger is
    shared by every thread, so only the records of the rendering thread count."""

    def __init__(self, on_page: PageCallback):
        super().__init__(logging.INFO)
        self.on_page = on_page
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and record.msg == _LAYOUT_MESSAGE and record.args:
            self.on_page(int(record.args[0]))


@contextmanager
def _reporting_pages(on_page: PageCallback | None):
    if on_page is None:
        yield
        return
    progress_logger = logging.getLogger("weasyprint.progress")
    handler = _PagesLaidOut(on_page)
    level, propagate = progress_logger.level, progress_logger.propagate
    progress_logger.addHandler(handler)
    # INFO for the callback only: a line per page is not for the console.
    progress_logger.setLevel(logging.INFO)
    progress_logger.propagate = False
    try:
        yield
    finally:
        progress_logger.removeHandler(handler)
        progress_logger.setLevel(level)
        progress_logger.propagate = propagate


_thread_state = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread: building it (fontconfig, Pango font map)
    is about a third of a one-page render. Our CSS declares no @font-face, so nothing from one
    document is left in it for the next; per thread because Pango objects are not thread-safe."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_thread_state, "font_config", None)
    if config is None:
        config = _thread_state.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str, *, tagged: bool = True, on_page: PageCallback | None = None) -> bytes:
    """PDF bytes of `html`; linked resources come only through `fetch_local`.

    Fonts are embedded as subsets (WeasyPrint's default). `tagged` adds the structure tree
    screen readers use; it costs about a fifth of the rendering time, which matters only for
    the handbook. Title, author and language are written either way.
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher())
    with _reporting_pages(on_page):
        return document.write_pdf(pdf_tags=tagged, font_config=_font_config())


def _print_context(title: str, organization: Organization, **extra) -> dict:
    return {
        "document_title": title,
        "organization": organization,
        "author": organization.name,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        **extra,
    }


# Public names for the handbook's assembly (roles.documents.handbook).
url_fetcher = _url_fetcher
font_config = _font_config
print_context = _print_context


@dataclass
class PDF:
    content: bytes
    filename: str


def _cached(kind: str, organization: Organization, pk, build) -> PDF:
    """A PDF is a pure function of the design revision and the language: cache it under both, so
    a repeated download skips reading the design as well as rendering. The organization's
    revision is read before the design, so the content is at least as new as its key."""
    key = ":".join(
        str(part)
        for part in (
            "teamorg:pdf",
            DOCUMENTS_VERSION,
            kind,
            organization.pk,
            organization.revision,
            translation.get_language(),
            pk,
        )
    )
    cached = cache.get(key)
    if cached is not None:
        return PDF(*cached)
    pdf = build()
    cache.set(key, (pdf.content, pdf.filename), CACHE_SECONDS)
    return pdf


cached_pdf = _cached


def role_pdf(organization: Organization, pk: int, *, use_cache: bool = True) -> PDF:
    """The job description of role `pk` as PDF; DocumentNotFound if the organization has none."""

    def build() -> PDF:
        design, role = role_with_design(organization, pk)
        doc = role_document(design, role)
        content = render_pdf(
            "roles/print/role.html", _print_context(doc.title, organization, doc=doc)
        )
        return PDF(content, pdf_filename(pgettext("document", "Job description"), doc.title))

    return _cached("role", organization, pk, build) if use_cache else build()


def department_pdf(organization: Organization, pk: int, *, use_cache: bool = True) -> PDF:
    """The charter of department `pk` as PDF; DocumentNotFound if the organization has none."""

    def build() -> PDF:
        design, department = department_with_design(organization, pk)
        doc = department_document(design, department)
        context = _print_context(doc.title, organization, doc=doc)
        content = render_pdf("roles/print/department.html", context)
        return PDF(content, pdf_filename(pgettext("document", "Department charter"), doc.title))

    return _cached("department", organization, pk, build) if use_cache else build()


def handbook_plots(organization: Organization) -> list[tuple[str, str]]:
    """The head-count plots of the plan page as (title, data URI), for the handbook."""

    svgs = plan_svgs(organization_plan(organization))
    titles = {
        "headcount_by_department": pgettext("document", "Head count by department and phase"),
        "cumulative_hires": pgettext("document", "Cumulative hires along the hiring roadmap"),
    }
    return [
        (titles[key], "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode())
        for key, svg in svgs.items()
    ]


# The handbook's chart pages follow its one-page cover.
HANDBOOK_FIRST_CHART_PAGE = 2


def handbook_chart_options() -> charts.PrintOptions:
    """What the handbook's chart pages show and on what paper (the part cache's key of the
    chart pages is made from the same options)."""
    return charts.PrintOptions()


def handbook_chart_pages(design: Design) -> list:
    """The department chart in the print layout (A4 landscape, one page per part of the tree),
    or no pages when there is nothing to draw or it cannot be drawn: the handbook is still
    useful without it."""
    if not design.departments:
        return []
    try:
        return charts.plan_pages(
            design, handbook_chart_options(), first_page=HANDBOOK_FIRST_CHART_PAGE
        )
    except charts.ChartError as error:
        logger.warning("handbook of %s without a chart: %s", design.organization.slug, error)
        return []


# Told what a long document is doing: a step (a key of PROGRESS_STEPS), items done and the
# expected total. Steps are keys, not sentences: a job's progress is stored, and read later in
# the reader's language.
ProgressCallback = Callable[[str, int, int], None]
PROGRESS_STEPS = {
    "queued": pgettext_lazy("export", "Waiting for a worker"),
    "reading": pgettext_lazy("export", "Reading the design"),
    "chart": pgettext_lazy("export", "Drawing the org chart"),
    "cutting": pgettext_lazy("export", "Cutting the chart into pages"),
    "plots": pgettext_lazy("export", "Drawing the head-count plots"),
    "layout": pgettext_lazy("export", "Laying out pages"),
    "merging": pgettext_lazy("export", "Putting the pages together"),
    "spreadsheet": pgettext_lazy("export", "Writing the spreadsheet"),
}


# What file systems refuse, control characters, and the bidirectional controls that make
# "<U+202E>fdp.exe" show as "exe.pdf" (U+200E/F, U+202A–E, U+2066–9, U+061C).
_UNSAFE_FILENAME = re.compile(
    r'[\\/:*?"<>|\x00-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+'
)


def pdf_filename(*parts: str) -> str:
    """A download name that keeps Chinese and drops what file systems refuse."""
    name = " - ".join(part for part in parts if part)
    name = _UNSAFE_FILENAME.sub(" ", name).strip() or "document"
    return f"{name[:120]}.pdf"
