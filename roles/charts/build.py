"""Org charts: the one module that turns a design into DOT and DOT into SVG, PNG or PDF.

Two views: `departments` (the department tree, each box listing its roles with head count for a
phase) and `reporting` (one card per role along the reporting lines).

Safety rules this module keeps (and `tests/charts/` proves):

- Node ids are internal (`d12`, `r345`, `more-r345`); user text never becomes an id, a port, an
  attribute value or a URL. Links are built here from the organization slug and integer ids.
- Every piece of user text goes through `_text()`, which normalises it and HTML-escapes it for a
  Graphviz HTML-like label. No user text is ever put in a plain (escString) attribute such as
  `tooltip`, where `\\N`, `\\G` or quotes would mean something.
- `dot` runs in a subprocess with a timeout; a chart too big to read is collapsed to a depth that
  fits, with "+N more" nodes linking to the subtree's own chart.
- Rendered files are cached under a key holding the organization revision, so an unchanged chart is
  served without running `dot`, and any write (which bumps the revision) makes a new key.

Speed (target: at most 15 % over `dot` itself, tests/benchmarks/charts.py): a chart reads only the
levels it draws, in a fixed number of queries (`_drawing_from_database`), and writes the DOT text
directly. The chart's own words go through gettext only; names and titles are content.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import re
import subprocess
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_noop, ngettext

from departments.models import Department, FunctionGroup, HeadcountPhase, Organization
from roles.models import Collaboration
from roles.selectors import Design
from teamorg.i18n import content_language

logger = logging.getLogger(__name__)

VIEW_DEPARTMENTS = "departments"
VIEW_REPORTING = "reporting"
VIEWS = (VIEW_DEPARTMENTS, VIEW_REPORTING)

FORMATS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    # format: (content type, dot arguments). PNG at 144 dpi so a chart pasted into a slide stays
    # sharp; PNG and PDF go through cairo/pango, which finds the CJK font via fontconfig.
    "svg": ("image/svg+xml", ("-Tsvg",)),
    "png": ("image/png", ("-Tpng:cairo", "-Gdpi=144")),
    "pdf": ("application/pdf", ("-Tpdf:cairo",)),
}

FONT = "Noto Sans CJK SC"
# Beyond this many boxes plus role lines a chart is unreadable on a screen or a slide; such a
# chart is collapsed to the deepest level that fits.
MAX_ITEMS = 300
# Roles listed inside one department box before the rest become one "+N more roles" line.
MAX_ROWS_PER_DEPARTMENT = 30
MAX_DEPTH = 50
CACHE_SECONDS = 7 * 24 * 3600  # the key holds the revision, so an entry never goes stale
CACHE_VERSION = 1

# Width (in half-width characters) and line count of wrapped labels; the full text is always in
# the tooltip.
TITLE_WIDTH, TITLE_LINES = 26, 3
NAME_WIDTH, NAME_LINES = 30, 3
NOTE_WIDTH, NOTE_LINES = 30, 2

GROUP_COLOURS = {
    # function group: (box fill, header fill)
    FunctionGroup.MANAGEMENT: ("#e0ecff", "#bcd3fb"),
    FunctionGroup.FRONT_LINE: ("#e3f7e8", "#b7e4c4"),
    FunctionGroup.OPERATIONS_SUPPORT: ("#fff4d6", "#fbdf96"),
    FunctionGroup.LOGISTICS_SUPPORT: ("#f0e9ff", "#d6c6fb"),
    "": ("#f1f4f8", "#d9e0ea"),
}
EDGE_COLOUR = "#64748b"
COLLABORATION_COLOUR = "#b45309"
MUTED = "#6b7280"
SHARED_TYPES = ("shared", "outsourced")


# Every word of the chart's own goes through gettext (the catalogue in locale/ translates it);
# user content is data and is never translated.
_ = gettext


@functools.lru_cache(maxsize=512)
def _word(language: str, message: str) -> str:
    """`gettext(message)` in `language`, remembered: a chart asks for the same few words hundreds
    of times, and each gettext call looks up the active language again."""
    with translation.override(language):
        return gettext(message)


class ChartError(Exception):
    """The chart could not be drawn; the message is safe to show to the user."""


class ChartTimeout(ChartError):
    pass


@dataclass(frozen=True)
class ChartOptions:
    """What to draw. `phase` is a HeadcountPhase id (None: the organization's first phase),
    `root` a department id (departments view) or role id (reporting view), `depth` the number
    of levels below and including the root level (None: as deep as fits)."""

    view: str = VIEW_DEPARTMENTS
    phase: int | None = None
    root: int | None = None
    depth: int | None = None

    def query(self) -> dict[str, str | int]:
        params: dict[str, str | int] = {"view": self.view}
        for name in ("phase", "root", "depth"):
            if getattr(self, name) is not None:
                params[name] = getattr(self, name)
        return params


@dataclass
class ChartFile:
    content: bytes
    content_type: str
    filename: str


# --- options and links -------------------------------------------------------------------------


def parse_chart_options(params: Mapping[str, str]) -> ChartOptions:
    """Options from query parameters (`view`, `phase`, `root`, `depth`); a ValidationError naming
    the field for anything malformed. Whether the phase and root exist is checked when drawing."""
    errors: dict[str, ValidationError] = {}
    view = (params.get("view") or VIEW_DEPARTMENTS).strip()
    if view not in VIEWS:
        errors["view"] = ValidationError(
            _("Choose the view “departments” or “reporting”."), code="invalid_choice"
        )
    numbers: dict[str, int | None] = {}
    for name, low, high in (("phase", 1, None), ("root", 1, None), ("depth", 1, MAX_DEPTH)):
        raw = (params.get(name) or "").strip()
        numbers[name] = None
        if not raw:
            continue
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            errors[name] = ValidationError(
                _("“%(name)s” must be a whole number.") % {"name": name}, code="invalid"
            )
            continue
        value = int(raw)
        if value < low or (high is not None and value > high):
            errors[name] = ValidationError(
                _("“%(name)s” must be between %(low)s and %(high)s.")
                % {"name": name, "low": low, "high": high or "∞"},
                code="out_of_range",
            )
            continue
        numbers[name] = value
    if errors:
        raise ValidationError(errors)
    return ChartOptions(view=view, **numbers)


def _reverse_or(name: str, kwargs: dict, fallback: str) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


def department_url(slug: str, pk: int) -> str:
    """The department page. Built from the validated slug and an integer id only."""
    pk = int(pk)
    return _reverse_or(
        "roles:department-detail",
        {"slug": slug, "pk": pk},
        f"/orgs/{_safe_slug(slug)}/departments/{pk}/",
    )


def role_url(slug: str, pk: int) -> str:
    """The role (job description) page. Built from the validated slug and an integer id only."""
    pk = int(pk)
    return _reverse_or(
        "roles:role-detail", {"slug": slug, "pk": pk}, f"/orgs/{_safe_slug(slug)}/roles/{pk}/"
    )


def chart_url(
    organization: Organization, fmt: str = "svg", options: ChartOptions | None = None
) -> str:
    """The URL of a chart file, e.g. for a download link or to refresh the inline chart."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    base = reverse("charts:chart-file", kwargs={"slug": organization.slug, "fmt": fmt})
    return f"{base}?{urlencode((options or ChartOptions()).query())}"


def _safe_slug(slug: str) -> str:
    # Slugs are validated by a SlugField; refusing anything else keeps a URL from ever carrying
    # text that was not checked.
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise ValueError("organization slug is not a slug")
    return slug


# --- the cached file ---------------------------------------------------------------------------


def chart_cache_key(
    organization: Organization, options: ChartOptions, fmt: str, language: str | None = None
) -> str:
    parts = (
        organization.pk,
        organization.revision,
        options.view,
        options.phase,
        options.root,
        options.depth,
        fmt,
        content_language(language),
    )
    return "teamorg:chart:" + ":".join("-" if p is None else str(p) for p in parts)


def chart_etag(
    organization: Organization, options: ChartOptions, fmt: str, language: str | None = None
) -> str:
    key = chart_cache_key(organization, options, fmt, language)
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def chart_file(
    organization: Organization,
    options: ChartOptions,
    fmt: str,
    *,
    language: str | None = None,
) -> ChartFile:
    """The rendered chart, from the cache when this revision was drawn before.

    Raises ValidationError (unknown phase or root), ChartTimeout or ChartError."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ValidationError(_("Unknown format."), code="invalid")})
    language = language or translation.get_language()
    key = chart_cache_key(organization, options, fmt, language)
    cached = cache.get(key, version=CACHE_VERSION)
    if cached is not None:
        return ChartFile(*cached)
    with translation.override(language):
        chart = _draw(_drawing_from_database(organization, options), options)
        content = render_dot(chart.source, fmt)
    result = ChartFile(content, FORMATS[fmt][0], f"{chart.file_stem}.{fmt}")
    cache.set(
        key,
        (result.content, result.content_type, result.filename),
        CACHE_SECONDS,
        version=CACHE_VERSION,
    )
    return result


# --- running dot -------------------------------------------------------------------------------


def render_dot(source: str, fmt: str, *, timeout: float | None = None) -> bytes:
    """Run the real `dot` on `source` with a timeout (settings.TEAMORG_DOT_TIMEOUT_SECONDS)."""
    content_type, arguments = FORMATS[fmt]
    output = _run_dot(source, arguments, timeout=timeout)
    if fmt == "svg":
        output = _fix_svg_links(output)
    return output


def _run_dot(source: str, arguments: Iterable[str], *, timeout: float | None = None) -> bytes:
    timeout = settings.TEAMORG_DOT_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        process = subprocess.Popen(
            ["dot", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        logger.error("cannot run dot: %s", exc)
        raise ChartError(_("The chart program (Graphviz) is not installed.")) from exc
    # A watchdog thread kills a dot that runs too long. subprocess's own timeout waits for the
    # child's exit by polling with sleeps of 1, 2, 4 … ms, which added about a millisecond to
    # every chart; without one, communicate() blocks in waitpid and returns as dot exits.
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        process.kill()

    watchdog = threading.Timer(timeout, kill)
    watchdog.start()
    try:
        stdout, stderr = process.communicate(source.encode("utf-8"))
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        watchdog.cancel()
    if expired.is_set() and process.returncode != 0:
        # dot was killed and has exited (communicate waited for it): none is left running.
        raise ChartTimeout(
            _(
                "The chart took longer than %(seconds)s seconds to draw. Choose a smaller depth "
                "or a part of the organization (a root)."
            )
            % {"seconds": f"{timeout:g}"}
        )
    if process.returncode != 0 or not stdout:
        logger.error("dot failed with %s: %s", process.returncode, stderr[-2000:].decode())
        raise ChartError(_("The chart could not be drawn. The error was logged."))
    return stdout


# The "&" between the parameters of a chart URL ("?view=…&phase=…&root=…"), the only URLs built
# here with more than one parameter.
_RAW_QUERY_AMPERSAND = re.compile(rb"&(?=(?:view|phase|root|depth)=)")


def _fix_svg_links(svg: bytes) -> bytes:
    # Graphviz 2.4x writes the "&" between query parameters of a URL raw into the SVG, which is
    # not well-formed XML. Everywhere else in the SVG (text, tooltips) an "&" is written as an
    # entity, so a raw "&" followed by one of our parameter names can only be in such a URL;
    # newer Graphviz versions already write "&amp;", which this leaves alone. One scan of the
    # file for "&", instead of a pattern over every attribute.
    return _RAW_QUERY_AMPERSAND.sub(b"&amp;", svg)


@functools.lru_cache(maxsize=1)
def _html_labels_expand_escapes() -> bool:
    """Whether this Graphviz expands `\\N`, `\\G` and `\\\\` inside HTML-like labels too.

    Graphviz 2.43 does (a role titled `a\\Nb` would show its node id), later versions may not;
    asking the installed `dot` once per process keeps backslashes literal on both."""
    probe = "digraph{a[shape=plain label=<x\\\\y>]}"
    try:
        svg = _run_dot(probe, ("-Tsvg",), timeout=10)
    except ChartError:
        return True
    return b"x\\\\y" not in svg


# --- text --------------------------------------------------------------------------------------


def _clean(value: str | None) -> str:
    """One line of displayable text: control characters and every kind of line break become
    spaces, characters XML cannot carry are replaced, runs of white space collapse."""
    if not value:
        return ""
    value = str(value)
    if value.isprintable():  # no control, surrogate or non-character code point: the usual case
        return " ".join(value.split())
    out = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category == "Cs" or char in "\ufffe\uffff":
            out.append("\ufffd")
        else:
            out.append(char)
    return " ".join("".join(out).split())


@functools.lru_cache(maxsize=4096)
def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap_label(value: str | None, width: int, max_lines: int) -> list[str]:
    """Wrap cleaned text into at most `max_lines` lines of about `width` half-width characters,
    breaking at spaces where possible (English) and anywhere otherwise (Chinese); text that does
    not fit ends with "…"."""
    text = _clean(value)
    if not text:
        return []
    if (len(text) if text.isascii() else sum(map(_width, text))) <= width:
        return [text]  # fits on one line, as most names and titles do
    lines: list[str] = []
    line, line_width, last_space = "", 0, -1
    for char in text:
        if line_width + _width(char) > width and line:
            if char == " ":
                lines.append(line)
                line, line_width, last_space = "", 0, -1
                continue
            if last_space > 0:
                lines.append(line[:last_space])
                line = line[last_space + 1 :]
            else:
                lines.append(line)
                line = ""
            line_width = sum(_width(c) for c in line)
            last_space = line.rfind(" ")
        if char == " " and not line:
            continue
        if char == " ":
            last_space = len(line)
        line += char
        line_width += _width(char)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and sum(_width(c) for c in last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _escape(value: str) -> str:
    """HTML-escape cleaned text for an HTML-like label, keeping backslashes literal."""
    escaped = html.escape(value, quote=True)
    if "\\" in escaped and _html_labels_expand_escapes():
        escaped = escaped.replace("\\", "\\\\")
    return escaped


def _text(value: str | None, width: int, max_lines: int, *, align: str = "CENTER") -> str:
    """Wrapped, escaped label text; lines are joined by <BR/> (built here, never from input)."""
    lines = wrap_label(value, width, max_lines)
    return f'<BR ALIGN="{align}"/>'.join(_escape(line) for line in lines)


def _tooltip(value: str | None) -> str:
    """The full text for a TOOLTIP attribute of an HTML-like label (escaped, quotes too)."""
    return _escape(_clean(value)) or " "


# --- what a chart draws ------------------------------------------------------------------------
# A chart is drawn from a `_Drawing`: only the boxes on the page, their text already in the
# content language, and for a box whose subtree is cut off the size of what is hidden. It comes
# from the database (`_drawing_from_database`: a fixed handful of queries reading only the levels
# drawn, with the MPTT fields giving every count) or from an in-memory `Design` (`build_chart`).


class _Target(NamedTuple):
    min_count: int
    max_count: int


class _Phase(NamedTuple):
    pk: int
    order: int
    name: str


class _Role(NamedTuple):
    """A role line inside a department box."""

    pk: int
    title: str
    employment_type: str
    target: _Target | None


@dataclass(slots=True)
class _Box:
    """A department box or a role card. `level` is 1 for the chart's roots; `hidden` counts the
    descendants cut off below this box (drawn as "+N more"), `hidden_roles` the roles in those
    departments."""

    pk: int
    parent: int | None
    level: int
    name: str
    group: str
    hidden: int = 0
    hidden_roles: int = 0
    # reporting view only
    department: str = ""
    employment_type: str = ""
    priority: int | None = None
    target: _Target | None = None


class _Line(NamedTuple):
    from_department: int | None
    to_department: int | None
    from_role: int | None
    to_role: int | None
    description: str


@dataclass
class _Drawing:
    organization: Organization
    phase: _Phase | None
    root_name: str | None
    boxes: list[_Box]  # depth-first, as drawn
    depth: int  # levels drawn
    full_depth: int  # levels there are below the root
    lines: list[_Line]  # collaboration lines, at least those between drawn boxes
    roles: dict[int, list[_Role]] = field(default_factory=dict)  # every role of a drawn department


def _not_found(name: str, message: str, pk: int) -> ValidationError:
    return ValidationError({name: ValidationError(_(message) % {"id": pk}, code="not_found")})


_NO_PHASE = gettext_noop("This organization has no growth phase %(id)s.")
_NO_DEPARTMENT = gettext_noop("This organization has no department %(id)s.")
_NO_ROLE = gettext_noop("This organization has no role %(id)s.")


def _chosen_phase(phases: list[_Phase], requested: int | None) -> _Phase | None:
    if requested is None:
        return phases[0] if phases else None
    for phase in phases:
        if phase.pk == requested:
            return phase
    raise _not_found("phase", _NO_PHASE, requested)


def _fitting_depth(per_level: Mapping[int, int], requested: int | None) -> int:
    """The deepest level (at most `requested`) at which the chart has at most MAX_ITEMS items,
    given the items per level; always at least the root level."""
    total, fitting = 0, 1
    for level in sorted(per_level):
        if requested is not None and level > requested:
            break
        total += per_level[level]
        if total > MAX_ITEMS and level > 1:
            break
        fitting = level
    return fitting


def _children(node) -> list:
    # Design trees are mptt cached trees: the selector fills `_cached_children` for every node.
    return getattr(node, "_cached_children", [])


def _walk(roots: Iterable, depth_limit: int | None = None):
    """(node, depth) depth-first, depth 1 for the roots."""
    stack = [(node, 1) for node in reversed(list(roots))]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if depth_limit is None or depth < depth_limit:
            stack.extend((child, depth + 1) for child in reversed(_children(node)))


def _drawing_from_design(design: Design, options: ChartOptions) -> _Drawing:
    """What to draw, from a design already in memory (no query)."""
    phase = _chosen_phase([_Phase(p.pk, p.order, p.name) for p in design.phases], options.phase)

    def target(role_pk: int) -> _Target | None:
        found = design.headcount.get((role_pk, phase.pk)) if phase is not None else None
        return None if found is None else _Target(found.min_count, found.max_count)

    reporting = options.view == VIEW_REPORTING
    root_name = None
    if reporting:
        roots = design.role_roots
        if options.root is not None:
            root = next((r for r in design.roles if r.pk == options.root), None)
            if root is None:
                raise _not_found("root", _NO_ROLE, options.root)
            roots, root_name = [root], root.title
    else:
        roots = design.department_roots
        if options.root is not None:
            root = next((d for d in design.departments if d.pk == options.root), None)
            if root is None:
                raise _not_found("root", _NO_DEPARTMENT, options.root)
            roots, root_name = [root], root.name

    def own_roles(node) -> int:
        return 0 if reporting else len(design.roles_by_department.get(node.pk, []))

    order = list(_walk(roots))
    per_level: dict[int, int] = {}
    for node, level in order:
        weight = 1 if reporting else 1 + min(own_roles(node), MAX_ROWS_PER_DEPARTMENT)
        per_level[level] = per_level.get(level, 0) + weight
    depth = _fitting_depth(per_level, options.depth)
    # Descendants and the roles in them, for every node in one pass from the leaves up.
    below: dict[int, tuple[int, int]] = {}
    for node, _level in reversed(order):
        nodes = roles = 0
        for child in _children(node):
            child_nodes, child_roles = below[id(child)]
            nodes, roles = nodes + 1 + child_nodes, roles + own_roles(child) + child_roles
        below[id(node)] = (nodes, roles)
    boxes, by_department = [], {}
    for node, level in _walk(roots, depth):
        hidden, hidden_roles = below[id(node)] if level == depth else (0, 0)
        if reporting:
            box = _Box(
                node.pk,
                node.reports_to_id,
                level,
                node.title,
                node.department.function_group or "",
                hidden,
                department=node.department.name,
                employment_type=node.employment_type,
                priority=node.hiring_priority,
                target=target(node.pk),
            )
        else:
            box = _Box(node.pk, node.parent_id, level, node.name, node.function_group or "", hidden)
            box.hidden_roles = hidden_roles
            by_department[node.pk] = [
                _Role(role.pk, role.title, role.employment_type, target(role.pk))
                for role in design.roles_by_department.get(node.pk, [])
            ]
        boxes.append(box)
    lines = [
        _Line(
            line.from_department_id,
            line.to_department_id,
            line.from_role_id,
            line.to_role_id,
            line.description,
        )
        for line in design.collaborations
    ]
    return _Drawing(
        organization=design.organization,
        phase=phase,
        root_name=root_name,
        boxes=boxes,
        depth=depth,
        full_depth=max(per_level, default=0),
        lines=lines,
        roles=by_department,
    )


# Each query below is compiled by the ORM once per process and shape (view, root or not, phase or
# not), with stand-in values, and then run as that SQL with the real values: compiling a query
# took longer than SQLite took to run it (about 0.4 ms a query against 0.1–0.3 ms), and a chart
# is a handful of queries. Stand-ins are positive and below 2**31, so that no lookup treats
# them as out of range, and are checked to land in the parameters, never in the SQL text.
_STAND_IN = 2_100_000_000
_compiled: dict[tuple, tuple[str, str, tuple] | None] = {}


def _fetch(shape: tuple, build: Callable[[Mapping[str, int]], QuerySet], values: dict) -> list:
    """The rows of `build(values)`, a `values_list` queryset that takes every value that varies
    from its argument (never from an enclosing scope, or it would be compiled into the SQL)."""
    key = (shape, tuple(sorted(values)))
    entry = _compiled.get(key, ())
    if entry == ():
        stand_ins = {name: _STAND_IN + index for index, name in enumerate(sorted(values))}
        queryset = build(stand_ins)
        entry = None
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            sql, params = "", ()
        names = {value: name for name, value in stand_ins.items()}
        slots = tuple((names[p], None) if p in names else (None, p) for p in params)
        if sql and not any(str(value) in sql for value in names):
            entry = (queryset.db, sql, slots)
        _compiled[key] = entry
    if entry is None:
        return list(build(values))
    database, sql, slots = entry
    with connections[database].cursor() as cursor:
        cursor.execute(sql, [values[name] if name else literal for name, literal in slots])
        return cursor.fetchall()


def _drawing_from_database(organization: Organization, options: ChartOptions) -> _Drawing:
    """What to draw, read from the database in four queries (five with a root) whatever the size
    of the organization: the phases, (the root,) the items per level to choose the depth (in the
    departments view: every department with its role count), the boxes drawn with their head
    count in the chosen phase, (the roles in the drawn departments,) and the collaboration
    lines between drawn boxes. Roles below the depth drawn are never read: a collapsed box's
    hidden descendants are counted from its MPTT `lft`/`rght`."""
    from roles.models import Role

    zh = content_language() == "zh"

    def pick(chinese: str, english: str) -> str:
        return (chinese or english or "") if zh else (english or chinese or "")

    reporting = options.view == VIEW_REPORTING
    model = Role if reporting else Department
    name = "title" if reporting else "name"
    values: dict[str, int] = {"organization": organization.pk}
    phases = [
        _Phase(pk, order, pick(name_zh, name_en))
        for pk, order, name_zh, name_en in _fetch(
            ("phases",),
            lambda v: (
                HeadcountPhase.objects.filter(organization=v["organization"])
                .order_by("order")
                .values_list("pk", "order", "name_zh", "name_en")
            ),
            values,
        )
    ]
    phase = _chosen_phase(phases, options.phase)
    base, root_name = 0, None  # base: the MPTT depth of the chart's first level
    if options.root is not None:
        found = _fetch(
            ("root", options.view),
            lambda v: (
                model.objects.filter(organization=v["organization"], pk=v["root"])
                .order_by()
                .values_list("tree_id", "lft", "rght", "depth", f"{name}_zh", f"{name}_en")
            ),
            {**values, "root": options.root},
        )
        if not found:
            raise _not_found("root", _NO_ROLE if reporting else _NO_DEPARTMENT, options.root)
        values["tree"], values["lft"], values["rght"], base, root_zh, root_en = found[0]
        root_name = pick(root_zh, root_en)
    rooted = options.root is not None
    if phase is not None:
        values["phase"] = phase.pk

    def within(v: Mapping[str, int], prefix: str = "", *, cut: bool = True) -> dict[str, int]:
        """Conditions for a node (at `prefix`) to be drawn: in the root's subtree, if any, and
        (with `cut`) no deeper than the last level drawn."""
        conditions = {}
        if rooted:
            conditions = {"tree_id": v["tree"], "lft__gte": v["lft"], "lft__lte": v["rght"]}
        if cut:
            conditions["depth__lte"] = v["last"]
        return {f"{prefix}{key}": value for key, value in conditions.items()}

    def targeted(queryset: QuerySet, v: Mapping[str, int]) -> QuerySet:
        if phase is None:
            return queryset
        return queryset.annotate(
            target=FilteredRelation("headcount", condition=Q(headcount__phase=v["phase"]))
        )

    with_target = ("target__min_count", "target__max_count") if phase is not None else ()

    def target_of(row: list) -> _Target | None:
        return _Target(*row) if row and row[0] is not None else None

    shape = (options.view, rooted, phase is not None)
    boxes, by_department = [], {}
    if reporting:
        per_level = {
            level - base + 1: count
            for level, count in _fetch(
                ("levels", *shape),
                lambda v: (
                    Role.objects.filter(organization=v["organization"], **within(v, cut=False))
                    .order_by()
                    .values_list("depth")
                    .annotate(n=Count("pk"))
                ),
                values,
            )
        }
        depth = _fitting_depth(per_level, options.depth)
        values["last"] = last = base + depth - 1
        rows = _fetch(
            ("boxes", *shape),
            lambda v: (
                targeted(Role.objects.filter(organization=v["organization"], **within(v)), v)
                .order_by("tree_id", "lft")
                .values_list(
                    "pk",
                    "reports_to_id",
                    "depth",
                    "lft",
                    "rght",
                    "title_zh",
                    "title_en",
                    "employment_type",
                    "hiring_priority",
                    "department__name_zh",
                    "department__name_en",
                    "department__function_group",
                    *with_target,
                )
            ),
            values,
        )
        for pk, parent, level, lft, rght, title_zh, title_en, kind, priority, *rest in rows:
            department_zh, department_en, group, *target = rest
            boxes.append(
                _Box(
                    pk,
                    parent,
                    level - base + 1,
                    pick(title_zh, title_en),
                    group or "",
                    (rght - lft - 1) // 2 if level == last else 0,
                    department=pick(department_zh, department_en),
                    employment_type=kind,
                    priority=priority,
                    target=target_of(target),
                )
            )

        def lines(v):
            return Collaboration.objects.filter(
                organization=v["organization"],
                **within(v, "from_role__"),
                **within(v, "to_role__"),
            )
    else:
        # Departments are few (one per several roles) and their weight on the page depends on
        # their role count, so the department tree is read once with role counts, instead of an
        # aggregate per level and a count per collapsed box. A correlated COUNT uses the index
        # on the role's department and needs no GROUP BY over the department columns (measured
        # faster than a join and Count).
        def departments(v):
            roles_count = (
                Role.objects.filter(department=OuterRef("pk"))
                .order_by()
                .annotate(n=Func(F("pk"), function="COUNT"))
                .values("n")
            )
            return (
                Department.objects.filter(organization=v["organization"], **within(v, cut=False))
                .order_by("tree_id", "lft")
                .annotate(roles_count=Subquery(roles_count, output_field=IntegerField()))
                .values_list(
                    "pk",
                    "parent_id",
                    "depth",
                    "name_zh",
                    "name_en",
                    "function_group",
                    "roles_count",
                )
            )

        rows = [
            (pk, parent, level - base + 1, *rest)
            for pk, parent, level, *rest in _fetch(("departments", *shape), departments, values)
        ]
        per_level: dict[int, int] = {}
        for _pk, _parent, level, _zh, _en, _group, count in rows:
            per_level[level] = per_level.get(level, 0) + 1 + min(count, MAX_ROWS_PER_DEPARTMENT)
        depth = _fitting_depth(per_level, options.depth)
        values["last"] = base + depth - 1
        boundary = None  # the box at the last level drawn whose subtree the rows are now in
        for pk, parent, level, name_zh, name_en, group, count in rows:
            if level > depth:
                if boundary is not None:
                    boundary.hidden += 1
                    boundary.hidden_roles += count
                continue
            box = _Box(pk, parent, level, pick(name_zh, name_en), group or "")
            boundary = box if level == depth else None
            boxes.append(box)
            by_department[pk] = []
        roles = _fetch(
            ("roles", *shape),
            lambda v: (
                # Driven by the drawn departments (the index on the role's department), so that
                # roles in departments not drawn are never read.
                targeted(
                    Role.objects.filter(
                        department__in=Department.objects.filter(
                            organization=v["organization"], **within(v)
                        ).values("pk")
                    ),
                    v,
                )
                .order_by("tree_id", "lft")
                .values_list(
                    "pk", "department_id", "title_zh", "title_en", "employment_type", *with_target
                )
            ),
            values,
        )
        for pk, department, title_zh, title_en, kind, *target in roles:
            by_department[department].append(
                _Role(pk, pick(title_zh, title_en), kind, target_of(target))
            )

        def lines(v):
            return Collaboration.objects.filter(organization=v["organization"]).filter(
                Q(**within(v, "from_department__"), **within(v, "to_department__"))
                | Q(
                    **within(v, "from_role__department__"),
                    **within(v, "to_role__department__"),
                )
            )

    return _Drawing(
        organization=organization,
        phase=phase,
        root_name=root_name,
        boxes=boxes,
        depth=depth,
        full_depth=max(per_level, default=0),
        lines=[
            _Line(from_department, to_department, from_role, to_role, pick(text_zh, text_en))
            for from_department, to_department, from_role, to_role, text_zh, text_en in _fetch(
                ("lines", *shape),
                lambda v: lines(v).values_list(
                    "from_department_id",
                    "to_department_id",
                    "from_role_id",
                    "to_role_id",
                    "description_zh",
                    "description_en",
                ),
                values,
            )
        ],
        roles=by_department,
    )


# --- building the DOT source -------------------------------------------------------------------
# The DOT text is written here, not through the graphviz package's builder: its quoting of every
# attribute of every node was a third of the time to build a chart. Node ids are internal
# ("d12", "more-r345"), attribute values other than labels are this module's constants, and every
# label is an HTML-like label whose user text went through `_text()` / `_escape()`.


@dataclass
class Chart:
    source: str
    file_stem: str
    node_count: int
    depth_shown: int | None
    collapsed: bool
    links: list[str] = field(default_factory=list)


def _headcount_text(target) -> str:
    if target is None:
        return "0"
    if target.min_count == target.max_count:
        return str(target.min_count)
    return f"{target.min_count}–{target.max_count}"


def _is_planned(target) -> bool:
    """No one in this role in the chosen phase: the role is planned (or vacant) for now."""
    return target is None or target.max_count == 0


_ID_MARK = 987654321987  # stands for the id in a reversed URL; no real id is this large


def _employment_types():
    from roles.models import EmploymentType

    return EmploymentType.choices


_HEADER = (
    "digraph chart {\n"
    f'\tgraph [bgcolor=white fontname="{FONT}" fontsize=18 labelloc=t newrank=true '
    "nodesep=0.25 pad=0.3 rankdir=TB ranksep=0.45]\n"
    f'\tnode [fontname="{FONT}" fontsize=11 margin=0 shape=plain]\n'
    f'\tedge [arrowhead=none color="{EDGE_COLOUR}" fontname="{FONT}" fontsize=10 penwidth=1.2]\n'
)
_COLLABORATION = (
    f'arrowhead=normal arrowsize=0.6 arrowtail=normal color="{COLLABORATION_COLOUR}" '
    f'constraint=false dir=both fontcolor="{COLLABORATION_COLOUR}" penwidth=1.4 style=dotted'
)


@functools.lru_cache(maxsize=64)
def _card_attributes(group: str, planned: bool, shared: bool) -> str:
    fill = GROUP_COLOURS.get(group, GROUP_COLOURS[""])[0]
    return (
        f'color="{MUTED if planned else "#475569"}" fillcolor="{fill}" margin=0.05 '
        f"peripheries={2 if shared else 1} shape=box "
        f'style="{"rounded,filled,dashed" if planned else "rounded,filled"}"'
    )


class _Builder:
    def __init__(self, drawing: _Drawing, options: ChartOptions):
        self.drawing = drawing
        self.options = options
        self.organization = drawing.organization
        self.slug = self.organization.slug
        self.phase = drawing.phase
        self.language = translation.get_language() or settings.LANGUAGE_CODE
        self.employment = {value: str(label) for value, label in _employment_types()}
        # Page URLs are reversed once per chart and filled in with integer ids.
        self._role_url = role_url(self.slug, _ID_MARK)
        self._department_url = department_url(self.slug, _ID_MARK)
        self._chart_base: str | None = None
        self.links: list[str] = []
        self.body: list[str] = [_HEADER]

    def source(self) -> str:
        return "".join(self.body) + "}\n"

    def node(self, node_id: str, label: str, attributes: str = "") -> None:
        self.body.append(f'\t"{node_id}" [label={label}{" " if attributes else ""}{attributes}]\n')

    def edge(self, tail: str, head: str, attributes: str = "") -> None:
        self.body.append(f"\t{tail} -> {head}{f' [{attributes}]' if attributes else ''}\n")

    def gettext(self, message: str) -> str:
        # Named gettext so that makemessages finds the words passed to it.
        return _word(self.language, message)

    def role_href(self, pk: int) -> str:
        return self.link(self._role_url.replace(str(_ID_MARK), str(int(pk))))

    def department_href(self, pk: int) -> str:
        return self.link(self._department_url.replace(str(_ID_MARK), str(int(pk))))

    def link(self, url: str) -> str:
        self.links.append(url)
        return html.escape(url, quote=True)

    def subtree_link(self, root_pk: int) -> str:
        if self._chart_base is None:
            options = ChartOptions(
                view=self.options.view, phase=self.phase.pk if self.phase else None, root=_ID_MARK
            )
            self._chart_base = chart_url(self.organization, "svg", options)
        return self.link(self._chart_base.replace(str(_ID_MARK), str(int(root_pk))))

    def title(self, what: str) -> None:
        drawing = self.drawing
        parts = [_clean(self.organization.name) or self.slug, what]
        if self.phase is not None:
            parts.append(_clean(self.phase.name))
        if drawing.root_name is not None:
            parts.append(_clean(drawing.root_name))
        title = " · ".join(part for part in parts if part)
        lines = [f"<B>{_text(title, 90, 2)}</B>"]
        collapsed = drawing.depth < (self.options.depth or drawing.full_depth)
        if collapsed and drawing.depth < drawing.full_depth:
            lines.append(
                '<FONT POINT-SIZE="11" COLOR="{}">{}</FONT>'.format(
                    MUTED,
                    _escape(
                        self.gettext(
                            "Large chart: shown %(depth)s levels deep; "
                            "click “+N more” to open a part."
                        )
                        % {"depth": drawing.depth}
                    ),
                )
            )
        self.body.append("\tgraph [label=<" + "<BR/>".join(lines) + ">]\n")

    def more_node(self, node_id: str, parent_id: str, root_pk: int, lines: list[str]) -> None:
        label = (
            '<<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="4" STYLE="rounded" COLOR="{c}" '
            'BGCOLOR="white" HREF="{href}" TOOLTIP="{tip}"><TR><TD>{text}</TD></TR></TABLE>>'
        ).format(
            c=MUTED,
            href=self.subtree_link(root_pk),
            tip=_escape(self.gettext("Open this part of the chart")),
            text="<BR/>".join(f'<FONT COLOR="{MUTED}">{_escape(line)}</FONT>' for line in lines),
        )
        self.node(node_id, label)
        self.edge(f'"{parent_id}"', f'"{node_id}"', "style=dashed")

    def legend(self, groups: set[str]) -> None:
        heading = _escape(self.gettext("Legend"))
        rows = [f'<TR><TD COLSPAN="2"><B>{heading}</B></TD></TR>']
        for value, label in [*FunctionGroup.choices, ("", self.gettext("No function group"))]:
            if value not in groups:
                continue
            rows.append(
                f'<TR><TD BGCOLOR="{GROUP_COLOURS[value][1]}" WIDTH="18"> </TD>'
                f'<TD ALIGN="LEFT">{_escape(str(label))}</TD></TR>'
            )
        phase = _clean(self.phase.name) if self.phase else ""
        planned = self.gettext("Planned: no head count in %(phase)s (dashed, grey)")
        shared = self.gettext("Shared with the parent company or outsourced (double border, tag)")
        rows += [
            f'<TR><TD><FONT COLOR="{MUTED}"><I>○</I></FONT></TD><TD ALIGN="LEFT">'
            + _escape(planned % {"phase": phase})
            + "</TD></TR>",
            '<TR><TD>◎</TD><TD ALIGN="LEFT">' + _escape(shared) + "</TD></TR>",
            f'<TR><TD><FONT COLOR="{COLLABORATION_COLOUR}">┈┈</FONT></TD><TD ALIGN="LEFT">'
            + _escape(self.gettext("Collaboration line (hand-over of work, not a reporting line)"))
            + "</TD></TR>",
        ]
        label = (
            '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" COLOR="#cbd5e1" '
            'BGCOLOR="white">' + "".join(rows) + "</TABLE>>"
        )
        self.body.append(
            '\tsubgraph cluster_legend {\n\t\tgraph [label="" style=invis]\n'
            f"\t\tlegend [label={label}]\n\t}}\n"
        )

    def collaboration(self, tail: str, head: str, description: str) -> None:
        text = _text(description, NOTE_WIDTH, NOTE_LINES)
        self.edge(tail, head, f"{_COLLABORATION} label=<{text}>" if text else _COLLABORATION)

    def employment_tag(self, employment_type: str) -> str:
        if employment_type not in SHARED_TYPES:
            return ""
        return _escape(f"[{self.employment.get(employment_type, employment_type)}]")


def _departments_chart(builder: _Builder) -> int:
    drawing = builder.drawing
    builder.title(builder.gettext("Departments"))
    shown: set[int] = set()
    groups: set[str] = set()
    for box in drawing.boxes:
        shown.add(box.pk)
        groups.add(box.group)
        builder.node(f"d{box.pk}", _department_label(builder, box, drawing.roles[box.pk]))
        if box.parent in shown and box.level > 1:
            builder.edge(f'"d{box.parent}"', f'"d{box.pk}"')
        if box.hidden:
            builder.more_node(
                f"more-d{box.pk}",
                f"d{box.pk}",
                box.pk,
                [
                    builder.gettext("+%(count)s more") % {"count": box.hidden},
                    ngettext("%(n)s role", "%(n)s roles", box.hidden_roles)
                    % {"n": box.hidden_roles},
                ],
            )
    roles_shown = {
        role.pk: department_pk
        for department_pk in shown
        for role in drawing.roles[department_pk][:MAX_ROWS_PER_DEPARTMENT]
    }
    for line in drawing.lines:
        if line.from_department is not None:
            if line.from_department in shown and line.to_department in shown:
                builder.collaboration(
                    f'"d{line.from_department}"', f'"d{line.to_department}"', line.description
                )
        elif line.from_role in roles_shown and line.to_role in roles_shown:
            builder.collaboration(
                f'"d{roles_shown[line.from_role]}":"r{line.from_role}"',
                f'"d{roles_shown[line.to_role]}":"r{line.to_role}"',
                line.description,
            )
    builder.legend(groups)
    return len(drawing.boxes)


def _department_label(builder: _Builder, department: _Box, roles: list[_Role]) -> str:
    fill, header = GROUP_COLOURS.get(department.group, GROUP_COLOURS[""])
    low = high = 0
    for role in roles:
        if role.target is not None:
            low, high = low + role.target.min_count, high + role.target.max_count
    total = str(low) if low == high else f"{low}–{high}"
    href = builder.department_href(department.pk)
    tooltip = _tooltip(department.name)
    head_count = _escape(builder.gettext("Head count %(n)s") % {"n": total})
    name = _text(department.name, NAME_WIDTH, NAME_LINES) or _escape(builder.gettext("(no name)"))
    rows = [
        f'<TR><TD COLSPAN="2" BGCOLOR="{header}" HREF="{href}" TOOLTIP="{tooltip}">'
        f"<B>{name}</B><BR/>"
        f'<FONT POINT-SIZE="9" COLOR="#334155">{head_count}'
        "</FONT></TD></TR>"
    ]
    for role in roles[:MAX_ROWS_PER_DEPARTMENT]:
        title = _text(role.title, TITLE_WIDTH, TITLE_LINES, align="LEFT") or _escape(
            builder.gettext("(no title)")
        )
        tag = builder.employment_tag(role.employment_type)
        if tag:
            title += f' <FONT COLOR="#9a3412" POINT-SIZE="9">{tag}</FONT>'
        count = _escape(_headcount_text(role.target))
        role_href = builder.role_href(role.pk)
        tip = _tooltip(role.title)
        if _is_planned(role.target):
            title = f'<FONT COLOR="{MUTED}"><I>○ {title}</I></FONT>'
            count = f'<FONT COLOR="{MUTED}">{count}</FONT>'
        cell_fill = ' BGCOLOR="#fff7ed"' if tag else ""
        rows.append(
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" PORT="r{role.pk}" HREF="{role_href}" '
            f'TOOLTIP="{tip}"{cell_fill}>{title}</TD>'
            f'<TD ALIGN="RIGHT"{cell_fill}>{count}</TD></TR>'
        )
    if len(roles) > MAX_ROWS_PER_DEPARTMENT:
        more = len(roles) - MAX_ROWS_PER_DEPARTMENT
        rows.append(
            f'<TR><TD COLSPAN="2" HREF="{href}" TOOLTIP="{tooltip}">'
            f'<FONT COLOR="{MUTED}">'
            + _escape(ngettext("+%(n)s more role", "+%(n)s more roles", more) % {"n": more})
            + "</FONT></TD></TR>"
        )
    if not roles:
        rows.append(
            f'<TR><TD COLSPAN="2"><FONT COLOR="{MUTED}">'
            + _escape(builder.gettext("No roles yet"))
            + "</FONT></TD></TR>"
        )
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="#94a3b8" '
        f'BGCOLOR="{fill}" HREF="{href}" TOOLTIP="{tooltip}">' + "".join(rows) + "</TABLE>>"
    )


def _reporting_chart(builder: _Builder) -> int:
    drawing = builder.drawing
    builder.title(builder.gettext("Reporting lines"))
    shown: set[int] = set()
    groups: set[str] = set()
    for box in drawing.boxes:
        shown.add(box.pk)
        groups.add(box.group)
        planned = _is_planned(box.target)
        builder.node(
            f"r{box.pk}",
            _role_card(builder, box, planned),
            _card_attributes(box.group, planned, box.employment_type in SHARED_TYPES),
        )
        if box.parent in shown and box.level > 1:
            builder.edge(f'"r{box.parent}"', f'"r{box.pk}"')
        if box.hidden:
            builder.more_node(
                f"more-r{box.pk}",
                f"r{box.pk}",
                box.pk,
                [builder.gettext("+%(count)s more") % {"count": box.hidden}],
            )
    for line in drawing.lines:
        if line.from_role in shown and line.to_role in shown:
            builder.collaboration(f'"r{line.from_role}"', f'"r{line.to_role}"', line.description)
    builder.legend(groups)
    return len(shown)


def _role_card(builder: _Builder, role: _Box, planned: bool) -> str:
    colour = MUTED if planned else "#0f172a"
    title = _text(role.name, TITLE_WIDTH, TITLE_LINES) or _escape(builder.gettext("(no title)"))
    facts = [builder.gettext("Head count %(n)s") % {"n": _headcount_text(role.target)}]
    if role.priority:
        facts.append(builder.gettext("Priority %(n)s") % {"n": role.priority})
    facts.append(builder.employment.get(role.employment_type, role.employment_type))
    if planned:
        facts.append(builder.gettext("planned"))
    href = builder.role_href(role.pk)
    department = _text(role.department, NAME_WIDTH, 2) or _escape(builder.gettext("(no name)"))
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" HREF="{href}" '
        f'TOOLTIP="{_tooltip(role.name)}">'
        f'<TR><TD><FONT COLOR="{colour}"><B>{title}</B></FONT></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="#334155">{department}</FONT></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="{colour}">{_escape(" · ".join(facts))}</FONT>'
        "</TD></TR>"
        "</TABLE>>"
    )


def _draw(drawing: _Drawing, options: ChartOptions) -> Chart:
    builder = _Builder(drawing, options)
    if options.view == VIEW_REPORTING:
        count = _reporting_chart(builder)
    else:
        count = _departments_chart(builder)
    stem = [builder.slug, "org-chart", options.view]
    if drawing.phase is not None:
        stem.append(f"phase{drawing.phase.order}")
    if options.root is not None:
        stem.append(f"root{options.root}")
    if options.depth is not None:
        stem.append(f"depth{options.depth}")
    return Chart(
        source=builder.source(),
        file_stem="-".join(stem),
        node_count=count,
        depth_shown=drawing.depth,
        collapsed=drawing.depth < (options.depth or drawing.full_depth),
        links=builder.links,
    )


def build_chart(design: Design, options: ChartOptions) -> Chart:
    """The DOT source of a chart of a design in memory (no query).

    Raises ValidationError when the phase or root is not part of this organization."""
    return _draw(_drawing_from_design(design, options), options)


def chart_source(organization: Organization, options: ChartOptions) -> str:
    """The DOT source for a stored organization, as `chart_file` draws it (tests, benchmarks)."""
    return _draw(_drawing_from_database(organization, options), options).source
