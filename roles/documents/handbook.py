"""The handbook PDF, assembled from parts rendered separately and cached by what they show.

A handbook is the cover, the org chart pages, the contents, the head-count plots, then one
chapter per department: its charter followed by the job descriptions of its roles. Each of
these parts is one small WeasyPrint document (`templates/roles/print/handbook_*.html`):

- **cached by what it shows**: the key is the organization, the language, the documents'
  version, and a hash of the part's HTML and print stylesheets. Anything a chapter shows is in
  its HTML, so after an edit only the chapters whose HTML changed (and the cover, which shows
  the revision) are rendered again, and a key never serves one organization another's chapter.
  The chart pages are keyed by the DOT of the whole printed chart instead of their HTML, so
  Graphviz runs only when the chart changed. The cache in files is pruned by age and size,
  least recently used first (`prune_part_cache`);
- **rendered in parallel**: parts the cache does not hold go to worker processes (running
  `render_part`; no database there: they get HTML and give back the PDF, its page count, where
  its anchors are and where its internal links point), the largest first. The workers are
  forked from a rendering server that loaded Django, WeasyPrint, the fonts and the stylesheets
  once (`start_render_server`), so they start in milliseconds; they exit with the process that
  owns them. Parts are rendered in this process when there are only a few or when one worker is
  configured;
- **merged** with pypdf. Page numbers are known from the parts' page counts: the contents are
  rendered with literal numbers (no `target-counter`, so no second layout pass), in parts of a
  page each that the workers lay out side by side; every page but the cover gets "N / total"
  stamped in the footer, links between parts become links to the page and spot of their anchor,
  and the outline (bookmarks) is built from the same entries as the contents.

No part ever holds the whole handbook's layout, so a worker's memory is bounded by the largest
chapter, and this process only holds PDF bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

import django
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import pgettext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from departments.models import Organization
from roles import charts
from roles.charts.boxes import draw
from roles.charts.data import page_drawing, tree_below
from roles.documents.content import Handbook, handbook
from roles.documents.merged_fonts import cid_widths, share_fonts
from roles.documents.pdf import (
    BASE_URL,
    DOCUMENTS_VERSION,
    HANDBOOK_FIRST_CHART_PAGE,
    PDF,
    ProgressCallback,
    cached_pdf,
    fetch_local,
    font_config,
    handbook_chart_options,
    handbook_chart_pages,
    handbook_plots,
    pdf_filename,
    print_context,
    url_fetcher,
)
from roles.selectors import organization_design

logger = logging.getLogger(__name__)

# Bumped when the way parts are cut, rendered or stored changes.
PARTS_VERSION = 1
PART_CACHE_SECONDS = 30 * 24 * 60 * 60
# The cache in files is pruned to these bounds (TEAMORG_HANDBOOK_CACHE_MAX_MB and
# TEAMORG_HANDBOOK_CACHE_MAX_DAYS override them), the parts used longest ago first, at most once
# every PRUNE_EVERY_SECONDS per process. A part is about 30 KB a page.
PART_CACHE_MAX_MB = 512
PART_CACHE_MAX_DAYS = 30
PRUNE_EVERY_SECONDS = 10 * 60
# The templates the chart pages are made with: their source is part of the chart's key.
CHART_TEMPLATES = (
    "roles/print/base.html",
    "roles/print/handbook_part.html",
    "roles/print/handbook_chart.html",
    "charts/_print_pages.html",
)
# Fewer parts to render than this are rendered here, unless this process has started its
# rendering server already: starting one costs about a second, a chapter about as much.
MIN_PARALLEL_PARTS = 4
# What the rendering server imports, in order, before it forks a worker: Django, then WeasyPrint,
# the fonts and the print stylesheets.
RENDER_SERVER_PRELOAD = ["teamorg.django_setup", "roles.documents.render_server"]
# How long a handbook waits for its rendering server to start before rendering here instead
# (it takes about 1.5 s; this only bounds a server that hangs).
SERVER_START_SECONDS = 60
# How long a handbook waits at first to learn whether the server is running already.
RUNNING_SERVER_SECONDS = 0.25
# Parts handed to each worker at a time: one being rendered, one ready to start.
IN_FLIGHT_PER_WORKER = 2
# A worker is replaced after this many parts, so whatever WeasyPrint keeps between documents
# (fonts, images) never grows without bound.
PARTS_PER_WORKER = 40
# The print stylesheets a part links to: their content is part of every part's key.
STYLESHEETS = ("print/documents.css", "print/handbook.css", "print/chart-print.css")
# The dots between a contents line's title and its page number (cut at the end of the line).
TOC_DOTS = "." * 160
# The contents are cut into parts of a page each, laid out by the workers side by side (a
# 500-role handbook has 13 pages of contents, about 1.3 s in one process). A part holds lines
# up to these heights, in role lines: a department's line has space above it. Measured on A4:
# 44 role lines or 35 department lines fit under the title; a little less is asked, so that a
# part never runs onto a second page (if one did, the page count would still be right).
TOC_FIRST_PART_HEIGHT = 41
TOC_PART_HEIGHT = 44
TOC_DEPARTMENT_LINE_HEIGHT = 1.3
# CSS pixels (1/96 in) to PDF points (1/72 in).
PX_TO_PT = 0.75
# The stamped page numbers: the size and colour of documents.css's running header and footer.
STAMP_FONT_SIZE = 8.5
STAMP_COLOR = (0x52 / 255, 0x60 / 255, 0x6D / 255)
STAMP_FONT_NAME = "/TOPageNumber"
MM = 72 / 25.4
# The bottom margins of documents.css (A4 portrait 18 mm, the chart's landscape pages 10 mm):
# the number sits in the middle of it, as WeasyPrint's @bottom-center box did.
BOTTOM_MARGIN_PORTRAIT = 18 * MM
BOTTOM_MARGIN_LANDSCAPE = 10 * MM


# --- one part --------------------------------------------------------------------------------


@dataclass
class RenderedPart:
    """One part as PDF, with what the merge needs to know about it (positions in PDF points,
    from the bottom left of the page; page indexes from 0 within the part)."""

    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, float, float]]
    links: list[tuple[int, tuple[float, float, float, float], str]]


_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"<>]+)">')
_parsed_stylesheets: dict[tuple[str, str], object] = {}


def _parsed_stylesheet(url: str):
    """The print stylesheet at `url`, parsed once per process (and again when its file
    changes): parsing documents.css and handbook.css took about a tenth of a one-page part."""
    import weasyprint

    data, _mime = fetch_local(url)
    key = (url, hashlib.sha256(data).hexdigest())
    sheet = _parsed_stylesheets.get(key)
    if sheet is None:
        if len(_parsed_stylesheets) > 32:
            _parsed_stylesheets.clear()
        sheet = weasyprint.CSS(string=data.decode("utf-8"), base_url=url, url_fetcher=url_fetcher())
        _parsed_stylesheets[key] = sheet
    return sheet


def _without_stylesheet_links(html: str) -> tuple[str, list]:
    """`html` without the stylesheet links of its head, and those stylesheets parsed (in the
    same order, so the cascade is the one the links gave). The body is left alone: anything a
    user typed there is escaped, so it never looks like a link."""
    head, separator, body = html.partition("<body")
    urls = _STYLESHEET_LINK.findall(head)
    sheets = [_parsed_stylesheet(urljoin(BASE_URL, url)) for url in urls]
    return _STYLESHEET_LINK.sub("", head) + separator + body, sheets


def render_part(html: str) -> RenderedPart:
    """Lay out and write one part. Internal links are taken out of the PDF and handed back (the
    merge writes them, pointing into whichever part holds their anchor), and so are bookmarks
    (the merge builds the outline)."""
    import weasyprint

    html, stylesheets = _without_stylesheet_links(html)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render(
        font_config=font_config(), stylesheets=stylesheets
    )
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, tuple[float, float, float, float], str]] = []
    for index, page in enumerate(document.pages):
        height = page.height * PX_TO_PT
        for name, (x, y, *_end) in page.anchors.items():
            anchors[name] = (index, x * PX_TO_PT, height - y * PX_TO_PT)
        kept = []
        for link in page.links:
            kind, target, (x1, y1, x2, y2), *_box = link
            if kind == "internal":
                left, right = x1 * PX_TO_PT, x2 * PX_TO_PT
                links.append(
                    (index, (left, height - y2 * PX_TO_PT, right, height - y1 * PX_TO_PT), target)
                )
            else:
                kept.append(link)
        page.links = kept
        page.bookmarks = []
    pdf = document.write_pdf(pdf_tags=False)
    return RenderedPart(pdf, len(document.pages), anchors, links)


@dataclass
class Part:
    kind: str  # "cover", "chart", "contents", "plots" or "chapter"
    html: str
    key: str = ""
    rendered: RenderedPart | None = None


@lru_cache(maxsize=1)
def _stylesheets_digest() -> str:
    digest = hashlib.sha256()
    for name in STYLESHEETS:
        path = finders.find(name)
        if isinstance(path, str):
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def part_key(organization: Organization, html: str) -> str:
    """The cache key of a part: its organization (id and creation time), language and version,
    and a hash of what it shows (its HTML and the print stylesheets)."""
    digest = hashlib.sha256(_stylesheets_digest().encode() + html.encode("utf-8")).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    version = f"{DOCUMENTS_VERSION}.{PARTS_VERSION}"
    # The id and the creation time: ids are reused by another database (a reset, the tests)
    # that may share the cache.
    created = organization.created_at.timestamp() if organization.created_at else 0
    owner = f"{organization.pk}.{created:.6f}"
    return f"teamorg:handbook-part:{version}:{owner}:{language}:{digest}"


_file_caches: dict[str, FileBasedCache] = {}


def part_cache():
    """Where rendered parts are kept: the configured cache when it is shared (Redis), else a
    cache in files (TEAMORG_HANDBOOK_CACHE_DIR, by default var/handbook-parts): the in-memory
    cache of one process would be lost with the export worker process that filled it."""
    configured = caches["default"]
    if not isinstance(configured, LocMemCache):
        return configured
    directory = str(
        getattr(settings, "TEAMORG_HANDBOOK_CACHE_DIR", None)
        or Path(settings.BASE_DIR) / "var" / "handbook-parts"
    )
    if directory not in _file_caches:
        _file_caches[directory] = FileBasedCache(
            directory, {"TIMEOUT": PART_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 20000}}
        )
    return _file_caches[directory]


def _cache_directory(store) -> Path | None:
    """The directory of the part cache when it is the cache in files, else None."""
    if isinstance(store, FileBasedCache):
        return Path(store._dir)
    return None


def _mark_used(store, keys: list[str]) -> None:
    """Files of the cache in files record when a part was last used (their modification time),
    so pruning drops the parts no handbook has used for longest."""
    if _cache_directory(store) is None:
        return
    now = time.time()
    for key in keys:
        try:
            os.utime(store._key_to_file(key), (now, now))
        except OSError:
            pass  # culled or pruned meanwhile: nothing to keep


_last_pruned: dict[str, float] = {}


def prune_part_cache(
    directory: Path,
    *,
    max_bytes: int | None = None,
    max_age_seconds: float | None = None,
    now: float | None = None,
) -> tuple[int, int]:
    """Delete the cached parts in `directory` that no handbook has used for `max_age_seconds`,
    then the least recently used ones until the rest holds at most `max_bytes`. Returns the
    number of files deleted and the bytes left. Defaults: TEAMORG_HANDBOOK_CACHE_MAX_MB and
    TEAMORG_HANDBOOK_CACHE_MAX_DAYS, else PART_CACHE_MAX_MB and PART_CACHE_MAX_DAYS."""
    if max_bytes is None:
        megabytes = getattr(settings, "TEAMORG_HANDBOOK_CACHE_MAX_MB", None) or PART_CACHE_MAX_MB
        max_bytes = int(float(megabytes) * 1024 * 1024)
    if max_age_seconds is None:
        days = getattr(settings, "TEAMORG_HANDBOOK_CACHE_MAX_DAYS", None) or PART_CACHE_MAX_DAYS
        max_age_seconds = float(days) * 24 * 60 * 60
    now = time.time() if now is None else now
    files = []
    for entry in os.scandir(directory):
        if not entry.name.endswith(FileBasedCache.cache_suffix) or not entry.is_file():
            continue
        try:
            info = entry.stat()
        except OSError:
            continue
        files.append((info.st_mtime, info.st_size, entry.path))
    files.sort()  # least recently used first
    total = sum(size for _used, size, _path in files)
    deleted = 0
    for used, size, path in files:
        if now - used <= max_age_seconds and total <= max_bytes:
            break
        try:
            os.remove(path)
        except OSError:
            continue
        deleted += 1
        total -= size
    return deleted, total


def _prune_now_and_then(store) -> None:
    directory = _cache_directory(store)
    if directory is None:
        return
    now = time.monotonic()
    last = _last_pruned.get(str(directory))
    if last is not None and now - last < PRUNE_EVERY_SECONDS:
        return
    _last_pruned[str(directory)] = now
    try:
        deleted, left = prune_part_cache(directory)
    except OSError as error:
        logger.warning("handbook part cache not pruned: %s", error)
        return
    if deleted:
        logger.info("handbook part cache: %s parts deleted, %s bytes left", deleted, left)


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    configured = getattr(settings, "TEAMORG_HANDBOOK_WORKERS", None)
    return max(1, int(configured or os.cpu_count() or 1))


class PartRenderer:
    """Renders the parts the cache does not hold, as they become known: in `workers` processes
    forked from this process's rendering server once at least MIN_PARALLEL_PARTS are queued
    (two, when this process started its server already), else in this process when `finish` is
    called. The server starts (if it is not running yet) as soon as that many parts are queued,
    and loads in the background while this process works out the rest of the handbook; the pool
    starts as soon as the server is ready and takes every later part too. A worker that died,
    or a process that may not start any, leaves its parts to this process. Use it as a context
    manager: leaving it stops the pool (not the server).

    The largest queued part goes first (the last part to finish decides when the pool is
    done, so it had better be a small one), and only IN_FLIGHT_PER_WORKER parts per worker are
    handed over at a time, so a large part queued late (the chart) still overtakes small ones."""

    def __init__(self, workers: int, on_rendered: Callable[[Part], None] | None = None):
        self.workers = workers
        self.on_rendered = on_rendered
        self.queued: list[Part] = []  # not yet handed to a worker, the largest first
        self.pending: dict[Future, Part] = {}  # handed to a worker
        self.pool: ProcessPoolExecutor | None = None
        self.server_ready: threading.Event | None = None  # set once the server forks workers

    def __enter__(self) -> PartRenderer:
        return self

    def __exit__(self, *_exc) -> None:
        # A time limit or an error stops the handbook: parts not started are dropped.
        self._release_pool()

    def add(self, parts: list[Part]) -> None:
        """Queue the parts that are not rendered yet."""
        self.queued.extend(part for part in parts if part.rendered is None)
        self.queued.sort(key=lambda part: len(part.html), reverse=True)
        if self.pool is None and self.workers > 1 and self._worth_a_pool():
            if self.server_ready is None:
                self._start_server()
            if self.server_ready is not None and self.server_ready.is_set():
                self._take_pool()
        self._feed_pool()

    def finish(self) -> None:
        """Wait for every queued part: the pool's, then the rest rendered here."""
        if self.pool is None and self.server_ready is not None and self.workers > 1:
            # A few parts are not worth waiting for a server that is still starting.
            many = len(self.queued) >= MIN_PARALLEL_PARTS
            if self.server_ready.wait(SERVER_START_SECONDS if many else 0):
                self._take_pool()
            elif many:
                logger.warning("handbook parts rendered in one process: no rendering server")
                self.workers = 1
            self._feed_pool()
        while self.pending:
            try:
                finished, _running = wait(self.pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    self._done(self.pending.pop(future), future.result())
            except BrokenProcessPool as error:  # a worker died (out of memory)
                self._give_up_pool(error)
            self._feed_pool()
        for part in self.queued:
            self._done(part, render_part(part.html))
        self.queued.clear()

    def _worth_a_pool(self) -> bool:
        """Enough parts to start the rendering server for; or two, when this process started
        it already (a Celery pool process does as it starts): forking a worker then costs
        milliseconds, so a one-role edit's chapter and cover are rendered side by side."""
        if len(self.queued) >= MIN_PARALLEL_PARTS:
            return True
        return len(self.queued) >= 2 and _render_server_started

    def _start_server(self) -> None:
        """Start the rendering server if it is not running, and learn in the background when it
        forks workers: starting the pool before that would hold this process (a worker's start
        waits for the server)."""
        try:
            start_render_server()
        except OSError as error:
            logger.warning("handbook parts rendered in one process: %s", error)
            self.workers = 1
            return
        self.server_ready = threading.Event()
        threading.Thread(
            target=_tell_when_ready,
            args=(self.server_ready,),
            name="teamorg-render-server-wait",
            daemon=True,
        ).start()
        # A server that runs already (a Celery pool process starts its own) forks within
        # milliseconds: the pool then starts now, before the chart is worked out here.
        self.server_ready.wait(RUNNING_SERVER_SECONDS)

    def _take_pool(self) -> None:
        try:
            self.pool = new_render_pool(self.workers)
        except OSError as error:
            logger.warning("handbook parts rendered in one process: %s", error)
            self.workers = 1

    def _feed_pool(self) -> None:
        try:
            while self.pool is not None and self.queued:
                if len(self.pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                    return
                with _alarm_held():  # worker processes start on submission
                    future = self.pool.submit(render_part, self.queued[0].html)
                self.pending[future] = self.queued.pop(0)
        except (AssertionError, EOFError, OSError, BrokenProcessPool) as error:
            # EOFError: the rendering server died (it could not load what it preloads).
            self._give_up_pool(error)

    def _give_up_pool(self, error: BaseException) -> None:
        """Take back every part handed to the pool, to be rendered here."""
        logger.warning("handbook parts rendered in one process: %s", error)
        self.queued = [*self.pending.values(), *self.queued]
        self.pending.clear()
        self._release_pool()
        self.workers = 1

    def _release_pool(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            stop_render_pool(pool)

    def _done(self, part: Part, rendered: RenderedPart) -> None:
        part.rendered = rendered
        if self.on_rendered is not None:
            self.on_rendered(part)


def _render_context():
    """Where rendering workers come from: forked by this process's rendering server, a process
    that loaded Django, WeasyPrint, the fonts and the print stylesheets once
    (roles.documents.render_server), so a worker starts in milliseconds instead of about 1.5 s,
    and shares that memory with the others. The server was started afresh (not forked from this
    process), so it holds no lock, thread or database connection of ours."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(RENDER_SERVER_PRELOAD)
    return context


_render_server_started = False


def start_render_server() -> None:
    """Start this process's rendering server unless it runs: it loads in the background (about
    1.5 s). A long-lived process that renders handbooks (a Celery pool process,
    roles.exports.tasks) starts it as it starts, so its first handbook does not wait. The server
    stops by itself once the process that started it and every worker it forked have exited."""
    global _render_server_started
    _render_context()
    with _alarm_held():
        multiprocessing.forkserver.ensure_running()
    _render_server_started = True


def wait_for_render_server(forked: Callable[[], None] | None = None) -> bool:
    """Wait until this process's rendering server forks: a process that does nothing is forked
    from it (`forked` is called as soon as it was) and waited for. False if the server could not
    start (logged: the handbook then renders in this process)."""
    try:
        probe = _render_context().Process(target=os.getpid, name="teamorg-render-probe")
        probe.start()  # returns once the server has forked it
        if forked is not None:
            forked()
        probe.join()
    except Exception as error:  # noqa: BLE001 - any failure means: render in this process
        logger.warning("handbook rendering server did not start: %s", error)
        return False
    return probe.exitcode == 0


def _tell_when_ready(ready: threading.Event) -> None:
    try:
        wait_for_render_server(forked=ready.set)
    finally:
        ready.set()


def warm_up() -> None:
    """Load what every part needs, once (the rendering server calls it before it forks): WeasyPrint,
    the fonts of Chinese and Latin text in the regular and bold faces, and the print stylesheets,
    linked as the parts link them so the parsed sheets are found by their URLs."""
    links = "".join(f'<link rel="stylesheet" href="{static(name)}">' for name in STYLESHEETS)
    render_part(
        f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">{links}</head><body>'
        "<h1>岗位说明书 Job description</h1><p>任职要求 <b>优先条件</b> 1 / 2</p></body></html>"
    )


def _start_worker() -> None:
    """A rendering worker's first step: Django (already set up when forked from a server that
    loaded it), and a watch on the process that owns the pool. A worker waits for parts on a
    queue it also holds open itself, so it would wait for ever if that process were killed
    outright (a hard time limit, out of memory); it exits with it instead."""
    django.setup()
    owner = multiprocessing.parent_process()
    if owner is not None:
        threading.Thread(
            target=_exit_with, args=(owner,), name="teamorg-owner-watch", daemon=True
        ).start()


def _exit_with(owner) -> None:
    owner.join()  # returns when the owner has exited
    os._exit(1)


def new_render_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` rendering processes, forked from the rendering server. A Celery
    prefork worker's processes may start it too: teamorg.celery lets them (the standard library
    refuses in a daemonic process)."""
    with _alarm_held():
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_render_context(),
            initializer=_start_worker,
            max_tasks_per_child=PARTS_PER_WORKER,
        )


def stop_render_pool(pool: ProcessPoolExecutor) -> None:
    # Parts not yet started are dropped; a part being rendered is waited for (a second or so).
    with _alarm_held():
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _alarm_held():
    """Hold SIGALRM (an export job's time limit, roles.exports.services) while the pool starts
    or stops: the limit interrupting a worker's start half-way leaves the pool waiting for it
    for ever. A held alarm is raised as soon as it is let through, while the pool is waited on."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# --- the whole handbook ------------------------------------------------------------------------


@dataclass
class ContentsEntry:
    title: str
    anchor: str
    kind: str  # "chart", "plots", "department" or "role"
    level: int
    page: int = 0
    children: list[ContentsEntry] = field(default_factory=list)


@dataclass
class AssembledHandbook:
    """The handbook's PDF and how it was made: which parts were rendered now (their kinds, in
    order) and how many came from the cache."""

    content: bytes
    pages: int
    rendered: list[str]
    reused: int


def handbook_title(organization: Organization) -> str:
    return pgettext("document", "%(organization)s · Team handbook") % {
        "organization": organization.name
    }


def _expected_pages(book: Handbook, chart: Part | None) -> int:
    """About how many pages the handbook will have (a progress bar's scale only)."""
    documents = len(book.charters) + book.role_count
    chart_pages = 0 if chart is None else (chart.rendered.pages if chart.rendered else 1)
    return 1 + chart_pages + 1 + documents // 30 + 1 + documents


def _contents_entries(book: Handbook, chart: Part | None, plots: list) -> list[ContentsEntry]:
    entries = []
    if chart is not None:
        title = pgettext("document", "Organization chart")
        anchor = f"chart-page-{HANDBOOK_FIRST_CHART_PAGE}"
        entries.append(ContentsEntry(title, anchor, "chart", 1))
    if plots:
        title = pgettext("document", "Head-count plan")
        entries.append(ContentsEntry(title, "headcount-plan", "plots", 1))
    for charter in book.charters:
        entry = ContentsEntry(charter.title, charter.anchor, "department", 1)
        entry.children = [
            ContentsEntry(role_doc.title, role_doc.anchor, "role", 2) for role_doc in charter.roles
        ]
        entries.append(entry)
    return entries


def handbook_pdf(
    organization: Organization,
    *,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> PDF:
    """Cover, org chart (one page per part of the tree), contents, head-count plots, then every
    charter followed by its job descriptions. `use_cache=False` builds the file anew (its
    unchanged parts still come from the part cache); `progress` hears each step and the pages
    done."""

    def build() -> PDF:
        assembled = assemble_handbook(organization, progress=progress)
        filename = pdf_filename(organization.name, pgettext("document", "Team handbook"))
        return PDF(assembled.content, filename)

    return cached_pdf("handbook", organization, "", build) if use_cache else build()


def assemble_handbook(
    organization: Organization,
    *,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    use_part_cache: bool = True,
) -> AssembledHandbook:
    """The handbook of `organization` in the active language, from its parts (see the module's
    description). `workers` overrides TEAMORG_HANDBOOK_WORKERS (default: one per core);
    `use_part_cache=False` renders every part (benchmarks)."""

    def report(step: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(step, done, total)

    report("reading")
    design = organization_design(organization)
    book = handbook(design)
    title = handbook_title(organization)
    context = print_context(title, organization)
    store = part_cache()

    def part(kind: str, template: str, **extra) -> Part:
        html = render_to_string(f"roles/print/{template}", {**context, **extra})
        return Part(kind, html, part_key(organization, html))

    def look_up(parts: list[Part]) -> list[Part]:
        if use_part_cache and parts:
            found = store.get_many([item.key for item in parts])
            for item in parts:
                item.rendered = found.get(item.key)
            _mark_used(store, [item.key for item in parts if item.rendered is not None])
        return parts

    rendered_now: list[Part] = []
    pages_done = expected = 0
    read = PartReaders()

    def on_rendered(item: Part) -> None:
        nonlocal pages_done
        rendered_now.append(item)
        pages_done += item.rendered.pages
        report("layout", pages_done, max(expected, pages_done + 1))
        read(item.rendered)

    with PartRenderer(_workers(workers), on_rendered) as renderer:
        # The cover and the chapters first: they are most of the work, and the workers start
        # on them while the chart and the plots are worked out here.
        cover = part("cover", "handbook_cover.html", book=book)
        chapters = [
            part("chapter", "handbook_chapter.html", charter=charter) for charter in book.charters
        ]
        renderer.add(look_up([cover, *chapters]))
        report("chart")
        chart = _chart_part(organization, design, context, store if use_part_cache else None)
        front = [cover]
        if chart is not None:
            front.append(chart)
            renderer.add([chart])
            if use_part_cache and chart.rendered is not None:
                _mark_used(store, [chart.key])
        report("plots")
        plots = handbook_plots(organization)
        plot_parts = look_up([part("plots", "handbook_plots.html", plots=plots)] if plots else [])
        renderer.add(plot_parts)
        back = plot_parts + chapters

        parts = front + back
        reused = sum(item.rendered is not None for item in parts)
        expected = _expected_pages(book, chart)
        pages_done = sum(item.rendered.pages for item in parts if item.rendered is not None)
        report("layout", pages_done, max(expected, pages_done + 1))
        for item in parts:  # the cached ones: read while the workers render the rest
            if item.rendered is not None:
                read(item.rendered)
        renderer.finish()
        store.set_many(
            {item.key: item.rendered for item in rendered_now}, timeout=PART_CACHE_SECONDS
        )

        # The contents: their length decides where everything after them starts. Each of their
        # parts is meant to be one page; if one ran over, the numbers are worked out again.
        entries = _contents_entries(book, chart, plots)
        chunks = _contents_chunks(entries)
        contents_pages = len(chunks)
        for _attempt in range(4):
            _number(entries, front, back, contents_pages)
            contents = look_up(
                [
                    part("contents", "handbook_contents.html", lines=lines, first=not index,
                         dots=TOC_DOTS)
                    for index, lines in enumerate(chunks)
                ]
            )  # fmt: skip
            reused += sum(item.rendered is not None for item in contents)
            renderer.add(contents)
            renderer.finish()
            if sum(item.rendered.pages for item in contents) == contents_pages:
                break
            contents_pages = sum(item.rendered.pages for item in contents)
    fresh = {item.key: item.rendered for item in rendered_now if item.kind == "contents"}
    store.set_many(fresh, timeout=PART_CACHE_SECONDS)
    if rendered_now:
        _prune_now_and_then(store)

    ordered = [*front, *contents, *back]
    pages_done = sum(item.rendered.pages for item in ordered)
    report("merging", pages_done, max(expected, pages_done + 1))
    content, pages = merge_parts(
        [item.rendered for item in ordered],
        entries=entries,
        contents_anchor="contents",
        title=title,
        author=organization.name,
        language=context["language"],
        read=read,
    )
    return AssembledHandbook(content, pages, [item.kind for item in rendered_now], reused)


def _chart_source(design, options: charts.PrintOptions) -> str:
    """The DOT of the whole chart as its printed pages draw it (every box, every role line, no
    legend), without running Graphviz: everything the pages show is in it, and the way they are
    cut into pages follows from it and the options."""
    reporting = options.chart.view == charts.VIEW_REPORTING
    roots = design.role_roots if reporting else design.department_roots
    if options.chart.root is not None:
        nodes = design.roles if reporting else design.departments
        roots = [node for node in nodes if node.pk == options.chart.root]
    below = tree_below(design, roots, reporting=reporting)
    depth = len(design.roles if reporting else design.departments) + 1
    drawing = page_drawing(
        design, options.chart, tops=roots, depth=depth, below=below, continued_on={}
    )
    drawing.legend = False
    return draw(drawing, options.chart).source


def _chart_part(organization: Organization, design, context: dict, store) -> Part | None:
    """The chart pages, cached by what they show: the key is the DOT of the whole printed chart,
    the print options and layout version, the templates and the header's words (with the
    organization, language and stylesheets every part key has), so Graphviz runs only when the
    chart changed. `store` None: drawn anew. None when there is no chart to draw."""
    if not design.departments:
        return None
    options = handbook_chart_options()
    fingerprint = "\n".join(
        [
            "chart",
            repr(options),
            str(charts.printing.PRINT_LAYOUT_VERSION),
            str(HANDBOOK_FIRST_CHART_PAGE),
            context["document_title"],
            context["author"],
            *(get_template(name).template.source for name in CHART_TEMPLATES),
            _chart_source(design, options),
        ]
    )
    key = part_key(organization, fingerprint)
    if store is not None:
        rendered = store.get(key)
        if rendered is not None:
            return Part("chart", "", key, rendered)
    pages = handbook_chart_pages(design)
    if not pages:
        return None
    html = render_to_string(
        "roles/print/handbook_chart.html", {**context, "pages": pages, "with_chart_css": True}
    )
    return Part("chart", html, key)


def _contents_chunks(entries: list[ContentsEntry]) -> list[list[ContentsEntry]]:
    """The contents' lines (each department followed by its roles) cut into parts of about a
    page (TOC_PART_HEIGHT); always at least one part, which carries the title."""
    chunks: list[list[ContentsEntry]] = [[]]
    room = TOC_FIRST_PART_HEIGHT
    for line in (line for entry in entries for line in (entry, *entry.children)):
        height = 1 if line.kind == "role" else TOC_DEPARTMENT_LINE_HEIGHT
        if height > room and chunks[-1]:
            chunks.append([])
            room = TOC_PART_HEIGHT
        chunks[-1].append(line)
        room -= height
    return chunks


def _number(entries, front: list[Part], back: list[Part], contents_pages: int) -> None:
    """Give every contents entry the page its anchor falls on, with `contents_pages` pages of
    contents between the front parts and the rest."""
    first_pages: dict[str, int] = {}
    page = 1
    for item in front:
        for anchor, (index, _x, _y) in item.rendered.anchors.items():
            first_pages.setdefault(anchor, page + index)
        page += item.rendered.pages
    page += contents_pages
    for item in back:
        for anchor, (index, _x, _y) in item.rendered.anchors.items():
            first_pages.setdefault(anchor, page + index)
        page += item.rendered.pages
    for entry in entries:
        entry.page = first_pages.get(entry.anchor, 0)
        for child in entry.children:
            child.page = first_pages.get(child.anchor, 0)


# --- merging -----------------------------------------------------------------------------------


class PartReaders:
    """The parts' PDFs read (pypdf, page tree included), each once: reading them is about a
    third of the merge, so the assembly reads each part as soon as it has it (from the cache,
    or back from a worker) while the pool is still rendering others."""

    def __init__(self):
        self._readers: dict[int, tuple[RenderedPart, PdfReader]] = {}

    def __call__(self, rendered: RenderedPart) -> PdfReader:
        known = self._readers.get(id(rendered))
        if known is not None and known[0] is rendered:
            return known[1]
        reader = PdfReader(io.BytesIO(rendered.pdf))
        len(reader.pages)  # reads the page tree now, not in the merge
        self._readers[id(rendered)] = (rendered, reader)
        return reader


def merge_parts(
    parts: list[RenderedPart],
    *,
    entries: list[ContentsEntry],
    contents_anchor: str,
    title: str,
    author: str,
    language: str,
    read: PartReaders | None = None,
) -> tuple[bytes, int]:
    """One PDF of `parts` in order: links between them, the outline, "N / total" on every page
    but the first, the title, author and language. Returns the bytes and the page count. `read`
    holds parts already read while others were being rendered."""
    read = read if read is not None else PartReaders()
    writer = PdfWriter()
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, tuple[float, float, float, float], str]] = []
    for rendered in parts:
        offset = len(writer.pages)
        for page in read(rendered).pages:
            writer.add_page(page)
        for anchor, (index, x, y) in rendered.anchors.items():
            anchors.setdefault(anchor, (offset + index, x, y))
        links.extend((offset + index, rect, target) for index, rect, target in rendered.links)

    _add_links(writer, links, anchors)

    def bookmark(entry_title: str, anchor: str, parent=None):
        if anchor not in anchors:
            return None
        goal, x, y = anchors[anchor]
        return writer.add_outline_item(
            title=entry_title, page_number=goal, parent=parent, fit=Fit.xyz(x, y), is_open=False
        )

    chart = [entry for entry in entries if entry.kind == "chart"]
    for entry in chart:
        bookmark(entry.title, entry.anchor)
    bookmark(pgettext("document", "Contents"), contents_anchor)
    for entry in entries:
        if entry.kind == "chart":
            continue
        parent = bookmark(entry.title, entry.anchor)
        for child in entry.children:
            bookmark(child.title, child.anchor, parent)

    _stamp_page_numbers(writer)
    share_fonts(writer)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "TeamOrg"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), len(writer.pages)


def _add_links(writer: PdfWriter, links: list, anchors: dict) -> None:
    """Each link whose anchor is in the handbook, as a link annotation to the anchor's page and
    spot (a handbook has thousands: pypdf's `add_annotation` looks both pages up in the page
    tree for each, a third of the merge)."""
    pages = list(writer.pages)
    for page_index, (left, bottom, right, top), target in links:
        if target not in anchors:
            continue
        goal, x, y = anchors[target]
        page = pages[page_index]
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(
                    FloatObject(value) for value in (left, bottom, right, top)
                ),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/P"): page.indirect_reference,
                NameObject("/Dest"): ArrayObject(
                    [
                        pages[goal].indirect_reference,
                        NameObject("/XYZ"),
                        FloatObject(x),
                        FloatObject(y),
                        NullObject(),
                    ]
                ),
            }
        )
        if "/Annots" not in page:
            page[NameObject("/Annots")] = ArrayObject()
        page["/Annots"].get_object().append(writer._add_object(annotation))


@dataclass(frozen=True)
class _StampFont:
    pdf: bytes  # a one-page PDF whose only font draws the digits, " " and "/"
    resource: str  # that font's name in its page's resources
    codes: dict[str, int]  # character → glyph code (Identity-H)
    widths: dict[int, float]  # glyph code → width in thousandths of the font size


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


@lru_cache(maxsize=1)
def _stamp_font() -> _StampFont:
    """The font of the page numbers, embedded once in the handbook: the document font's digits,
    space and slash, rendered by WeasyPrint like any text (subset, with its Unicode map)."""
    html = render_to_string("roles/print/handbook_stamp.html", {"language": "en"})
    pdf = render_part(html).pdf
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    for name, reference in fonts.items():
        font = reference.get_object()
        codes = {}
        for code, text in _BFCHAR.findall(font["/ToUnicode"].get_object().get_data()):
            character = bytes.fromhex(text.decode()).decode("utf-16-be")
            codes.setdefault(character, int(code, 16))
        if not set("0123456789/") <= set(codes):
            continue
        descendant = font["/DescendantFonts"][0].get_object()
        known = cid_widths(descendant)
        default = float(descendant.get("/DW", 1000))
        widths = {code: known.get(code, default) for code in codes.values()}
        return _StampFont(pdf, name, codes, widths)
    raise RuntimeError("no font draws the page numbers")


def _stamp_page_numbers(writer: PdfWriter) -> None:
    """ "N / total" in the middle of the bottom margin of every page but the cover, in one font
    object shared by every page."""
    stamp = _stamp_font()
    source = PdfReader(io.BytesIO(stamp.pdf)).pages[0]["/Resources"]["/Font"]
    font = source.raw_get(stamp.resource).clone(writer)
    total = len(writer.pages)
    saved_state = DecodedStreamObject()
    saved_state.set_data(b"q\n")
    save = writer._add_object(saved_state)
    red, green, blue = STAMP_COLOR
    space = stamp.widths.get(stamp.codes.get(" ", -1), 224.0)
    for index in range(1, total):
        page = writer.pages[index]
        text = f"{index + 1} / {total}"
        shown, width = [], 0.0
        for character in text:
            if character == " " and " " not in stamp.codes:
                shown.append(f"{-space:.0f}")
                width += space
                continue
            code = stamp.codes[character]
            shown.append(f"<{code:04x}>")
            width += stamp.widths[code]
        width *= STAMP_FONT_SIZE / 1000
        left, bottom, right, top = (float(value) for value in page.mediabox)
        landscape = right - left > top - bottom
        margin = BOTTOM_MARGIN_LANDSCAPE if landscape else BOTTOM_MARGIN_PORTRAIT
        x = left + (right - left - width) / 2
        y = bottom + margin / 2 - STAMP_FONT_SIZE * 0.35
        data = (
            f"Q q BT {STAMP_FONT_NAME} {STAMP_FONT_SIZE} Tf {red:.3f} {green:.3f} {blue:.3f} rg "
            f"{x:.2f} {y:.2f} Td [{' '.join(shown)}] TJ ET Q\n"
        ).encode()
        stream = DecodedStreamObject()
        stream.set_data(data)
        numbered = writer._add_object(stream)
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[NameObject(STAMP_FONT_NAME)] = font
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        if not isinstance(existing, ArrayObject):
            existing = ArrayObject([contents])
        page[NameObject("/Contents")] = ArrayObject([save, *existing, numbered])
