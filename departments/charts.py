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
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import graphviz
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from departments.models import FunctionGroup, Organization
from departments.selectors import Design, organization_design
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


# Chinese for the chart's own words, used while the project has no compiled catalogue for them:
# a chart pasted into a Chinese slide deck should not carry English legend text. A real
# translation (gettext) always wins.
_CHINESE = {
    "Choose the view “departments” or “reporting”.": "请选择视图“departments”（部门）或“reporting”（汇报关系）。",  # noqa: E501
    "“%(name)s” must be a whole number.": "“%(name)s”必须是整数。",
    "“%(name)s” must be between %(low)s and %(high)s.": "“%(name)s”必须在 %(low)s 到 %(high)s 之间。",  # noqa: E501
    "Unknown format.": "未知的文件格式。",
    "The chart took longer than %(seconds)s seconds to draw. Choose a smaller depth or a part of "
    "the organization (a root).": "组织架构图绘制超过 %(seconds)s 秒。请减小层级深度，或只看其中一部分（root）。",  # noqa: E501
    "The chart program (Graphviz) is not installed.": "未安装绘图程序 Graphviz。",
    "The chart could not be drawn. The error was logged.": "无法绘制组织架构图，错误已记录。",
    "This organization has no growth phase %(id)s.": "该组织没有编号为 %(id)s 的发展阶段。",
    "This organization has no department %(id)s.": "该组织没有编号为 %(id)s 的部门。",
    "This organization has no role %(id)s.": "该组织没有编号为 %(id)s 的岗位。",
    "Large chart: shown %(depth)s levels deep; click “+N more” to open a part.": "架构较大：仅显示 %(depth)s 层；点击“+N”查看其中一部分。",  # noqa: E501
    "Open this part of the chart": "打开这一部分的架构图",
    "Legend": "图例",
    "No function group": "未分职能组",
    "Planned: no head count in %(phase)s (dashed, grey)": "计划岗位：%(phase)s 无编制（虚线、灰色）",  # noqa: E501
    "Shared with the parent company or outsourced (double border, tag)": "与母公司共享或外包（双边框、标签）",  # noqa: E501
    "Collaboration line (hand-over of work, not a reporting line)": "协作对接线（工作交接，非汇报关系）",  # noqa: E501
    "Departments": "部门架构",
    "Reporting lines": "汇报关系",
    "+%(count)s more": "另有 %(count)s 个",
    "%(n)s role": "%(n)s 个岗位",
    "%(n)s roles": "%(n)s 个岗位",
    "(no name)": "（未命名）",
    "(no title)": "（未命名岗位）",
    "Head count %(n)s": "编制 %(n)s",
    "+%(n)s more role": "另有 %(n)s 个岗位",
    "+%(n)s more roles": "另有 %(n)s 个岗位",
    "No roles yet": "暂无岗位",
    "Priority %(n)s": "招聘优先级 %(n)s",
    "planned": "计划",
}


def _(message: str) -> str:
    translated = gettext(message)
    if translated == message and content_language() == "zh":
        return _CHINESE.get(message, message)
    return translated


@functools.lru_cache(maxsize=512)
def _word(language: str, message: str) -> str:
    """`_(message)` in `language`, remembered: a chart asks for the same few words hundreds of
    times, and each gettext call looks up the active language again."""
    with translation.override(language):
        return _(message)


def _n(singular: str, plural: str, count: int) -> str:
    translated = ngettext(singular, plural, count)
    if translated in (singular, plural) and content_language() == "zh":
        return _CHINESE.get(translated, translated)
    return translated


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
        design = chart_design(organization)
        chart = build_chart(design, options)
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
        completed = subprocess.run(
            ["dot", *arguments],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        # subprocess.run kills the child before raising, so no dot is left running.
        raise ChartTimeout(
            _(
                "The chart took longer than %(seconds)s seconds to draw. Choose a smaller depth "
                "or a part of the organization (a root)."
            )
            % {"seconds": f"{timeout:g}"}
        ) from exc
    except OSError as exc:
        logger.error("cannot run dot: %s", exc)
        raise ChartError(_("The chart program (Graphviz) is not installed.")) from exc
    if completed.returncode != 0 or not completed.stdout:
        logger.error(
            "dot failed with %s: %s", completed.returncode, completed.stderr[-2000:].decode()
        )
        raise ChartError(_("The chart could not be drawn. The error was logged."))
    return completed.stdout


_HREF = re.compile(rb'(xlink:href|href)="([^"]*)"')
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);)")


def _fix_svg_links(svg: bytes) -> bytes:
    # Graphviz 2.4x writes the "&" between query parameters of a URL raw into the SVG, which is
    # not well-formed XML. Only URLs built by this module are in href, so escaping bare "&" there
    # is exact (newer Graphviz versions already write "&amp;", which this leaves alone).
    return _HREF.sub(lambda m: m[1] + b'="' + _BARE_AMPERSAND.sub(b"&amp;", m[2]) + b'"', svg)


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
    out = []
    for char in str(value):
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category == "Cs" or char in "\ufffe\uffff":
            out.append("\ufffd")
        else:
            out.append(char)
    return " ".join("".join(out).split())


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


# --- building the DOT source -------------------------------------------------------------------


@dataclass
class Chart:
    source: str
    file_stem: str
    node_count: int
    depth_shown: int | None
    collapsed: bool
    links: list[str] = field(default_factory=list)


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


def _tree_sizes(roots: list) -> tuple[dict[int, int], int]:
    """Descendant count of every node (by `id()`) and the depth of the deepest node, in one
    pass instead of a walk per collapsed node."""
    order = list(_walk(roots))
    sizes: dict[int, int] = {}
    for node, _depth in reversed(order):
        sizes[id(node)] = sum(1 + sizes[id(child)] for child in _children(node))
    return sizes, max((depth for _node, depth in order), default=0)


def _fitting_depth(roots: list, weight: Callable[[object], int], requested: int | None) -> int:
    """The deepest level (at most `requested`) at which the chart has at most MAX_ITEMS items;
    always at least the root level."""
    per_level: dict[int, int] = {}
    for node, depth in _walk(roots, requested):
        per_level[depth] = per_level.get(depth, 0) + weight(node)
    total, fitting = 0, 1
    for depth in sorted(per_level):
        total += per_level[depth]
        if total > MAX_ITEMS and depth > 1:
            break
        fitting = depth
    return fitting


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


class _Builder:
    def __init__(self, design: Design, options: ChartOptions):
        self.design = design
        self.options = options
        self.organization = design.organization
        self.slug = self.organization.slug
        self.language = translation.get_language() or settings.LANGUAGE_CODE
        self.phase = self._phase()
        self.employment = {value: str(label) for value, label in _employment_types()}
        # Page URLs are reversed once per chart and filled in with integer ids.
        self._role_url = role_url(self.slug, _ID_MARK)
        self._department_url = department_url(self.slug, _ID_MARK)
        self._chart_base: str | None = None
        self.links: list[str] = []
        self.graph = graphviz.Digraph(name="chart", strict=False)
        self.graph.attr(
            "graph",
            rankdir="TB",
            fontname=FONT,
            nodesep="0.25",
            ranksep="0.45",
            newrank="true",
            labelloc="t",
            fontsize="18",
            bgcolor="white",
            pad="0.3",
        )
        self.graph.attr("node", fontname=FONT, fontsize="11", shape="plain", margin="0")
        self.graph.attr(
            "edge",
            fontname=FONT,
            fontsize="10",
            color=EDGE_COLOUR,
            arrowhead="none",
            penwidth="1.2",
        )

    def _phase(self):
        phases = self.design.phases
        if self.options.phase is None:
            return phases[0] if phases else None
        for phase in phases:
            if phase.pk == self.options.phase:
                return phase
        raise ValidationError(
            {
                "phase": ValidationError(
                    _("This organization has no growth phase %(id)s.") % {"id": self.options.phase},
                    code="not_found",
                )
            }
        )

    def tr(self, message: str) -> str:
        return _word(self.language, message)

    def role_href(self, pk: int) -> str:
        return self.link(self._role_url.replace(str(_ID_MARK), str(int(pk))))

    def department_href(self, pk: int) -> str:
        return self.link(self._department_url.replace(str(_ID_MARK), str(int(pk))))

    def target(self, role):
        if self.phase is None:
            return None
        return self.design.headcount.get((role.pk, self.phase.pk))

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

    def title(self, what: str, root_name: str | None, depth: int | None, collapsed: bool) -> None:
        parts = [_clean(self.organization.name) or self.slug, what]
        if self.phase is not None:
            parts.append(_clean(self.phase.name))
        if root_name is not None:
            parts.append(_clean(root_name))
        title = " · ".join(part for part in parts if part)
        lines = [f"<B>{_text(title, 90, 2)}</B>"]
        if collapsed:
            lines.append(
                '<FONT POINT-SIZE="11" COLOR="{}">{}</FONT>'.format(
                    MUTED,
                    _escape(
                        self.tr(
                            "Large chart: shown %(depth)s levels deep; "
                            "click “+N more” to open a part."
                        )
                        % {"depth": depth}
                    ),
                )
            )
        self.graph.attr("graph", label="<" + "<BR/>".join(lines) + ">")

    def more_node(self, node_id: str, parent_id: str, root_pk: int, lines: list[str]) -> None:
        label = (
            '<<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="4" STYLE="rounded" COLOR="{c}" '
            'BGCOLOR="white" HREF="{href}" TOOLTIP="{tip}"><TR><TD>{text}</TD></TR></TABLE>>'
        ).format(
            c=MUTED,
            href=self.subtree_link(root_pk),
            tip=_escape(self.tr("Open this part of the chart")),
            text="<BR/>".join(f'<FONT COLOR="{MUTED}">{_escape(line)}</FONT>' for line in lines),
        )
        self.graph.node(node_id, label=label)
        self.graph.edge(parent_id, node_id, style="dashed")

    def legend(self, groups: set[str]) -> None:
        rows = [f'<TR><TD COLSPAN="2"><B>{_escape(self.tr("Legend"))}</B></TD></TR>']
        for value, label in [*FunctionGroup.choices, ("", self.tr("No function group"))]:
            if value not in groups:
                continue
            rows.append(
                f'<TR><TD BGCOLOR="{GROUP_COLOURS[value][1]}" WIDTH="18"> </TD>'
                f'<TD ALIGN="LEFT">{_escape(str(label))}</TD></TR>'
            )
        phase = _clean(self.phase.name) if self.phase else ""
        rows += [
            f'<TR><TD><FONT COLOR="{MUTED}"><I>○</I></FONT></TD><TD ALIGN="LEFT">'
            + _escape(
                self.tr("Planned: no head count in %(phase)s (dashed, grey)") % {"phase": phase}
            )
            + "</TD></TR>",
            '<TR><TD>◎</TD><TD ALIGN="LEFT">'
            + _escape(self.tr("Shared with the parent company or outsourced (double border, tag)"))
            + "</TD></TR>",
            f'<TR><TD><FONT COLOR="{COLLABORATION_COLOUR}">┈┈</FONT></TD><TD ALIGN="LEFT">'
            + _escape(self.tr("Collaboration line (hand-over of work, not a reporting line)"))
            + "</TD></TR>",
        ]
        label = (
            '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" COLOR="#cbd5e1" '
            'BGCOLOR="white">' + "".join(rows) + "</TABLE>>"
        )
        with self.graph.subgraph(name="cluster_legend") as legend:
            legend.attr(style="invis", label="")
            legend.node("legend", label=label)

    def collaboration(self, tail: str, head: str, description: str) -> None:
        attrs = {
            "style": "dotted",
            "color": COLLABORATION_COLOUR,
            "fontcolor": COLLABORATION_COLOUR,
            "constraint": "false",
            "dir": "both",
            "arrowhead": "normal",
            "arrowtail": "normal",
            "arrowsize": "0.6",
            "penwidth": "1.4",
        }
        text = _text(description, NOTE_WIDTH, NOTE_LINES)
        if text:
            attrs["label"] = f"<{text}>"
        self.graph.edge(tail, head, **attrs)

    def employment_tag(self, role) -> str:
        if role.employment_type not in SHARED_TYPES:
            return ""
        return _escape(f"[{self.employment.get(role.employment_type, role.employment_type)}]")


def _departments_chart(builder: _Builder) -> tuple[int, int | None, bool, str | None]:
    design, options = builder.design, builder.options
    roots = design.department_roots
    root_name = None
    if options.root is not None:
        root = next((d for d in design.departments if d.pk == options.root), None)
        if root is None:
            raise ValidationError(
                {
                    "root": ValidationError(
                        _("This organization has no department %(id)s.") % {"id": options.root},
                        code="not_found",
                    )
                }
            )
        roots, root_name = [root], root.name

    def weight(department) -> int:
        return 1 + min(
            len(design.roles_by_department.get(department.pk, [])), MAX_ROWS_PER_DEPARTMENT
        )

    depth = _fitting_depth(roots, weight, options.depth)
    full_depth = max((d for _node, d in _walk(roots)), default=0)
    collapsed = depth < (options.depth or full_depth)
    builder.title(builder.tr("Departments"), root_name, depth, collapsed and depth < full_depth)
    shown: set[int] = set()
    groups: set[str] = set()
    count = 0
    for department, level in _walk(roots, depth):
        shown.add(department.pk)
        groups.add(department.function_group or "")
        count += 1
        builder.graph.node(f"d{department.pk}", label=_department_label(builder, department))
        if department.parent_id in shown and level > 1:
            builder.graph.edge(f"d{department.parent_id}", f"d{department.pk}")
        if level == depth and _children(department):
            hidden = list(_walk(_children(department)))
            hidden_roles = sum(len(design.roles_by_department.get(d.pk, [])) for d, _l in hidden)
            builder.more_node(
                f"more-d{department.pk}",
                f"d{department.pk}",
                department.pk,
                [
                    builder.tr("+%(count)s more") % {"count": len(hidden)},
                    _n("%(n)s role", "%(n)s roles", hidden_roles) % {"n": hidden_roles},
                ],
            )
    roles_shown = {
        role.pk: role.department_id
        for department_pk in shown
        for role in design.roles_by_department.get(department_pk, [])[:MAX_ROWS_PER_DEPARTMENT]
    }
    for line in design.collaborations:
        if line.from_department_id is not None:
            if line.from_department_id in shown and line.to_department_id in shown:
                builder.collaboration(
                    f"d{line.from_department_id}", f"d{line.to_department_id}", line.description
                )
        elif line.from_role_id in roles_shown and line.to_role_id in roles_shown:
            builder.collaboration(
                f"d{roles_shown[line.from_role_id]}:r{line.from_role_id}",
                f"d{roles_shown[line.to_role_id]}:r{line.to_role_id}",
                line.description,
            )
    builder.legend(groups)
    return count, depth, collapsed, root_name


def _department_label(builder: _Builder, department) -> str:
    design = builder.design
    fill, header = GROUP_COLOURS.get(department.function_group or "", GROUP_COLOURS[""])
    roles = design.roles_by_department.get(department.pk, [])
    low = high = 0
    for role in roles:
        target = builder.target(role)
        if target is not None:
            low, high = low + target.min_count, high + target.max_count
    total = str(low) if low == high else f"{low}–{high}"
    href = builder.department_href(department.pk)
    tooltip = _tooltip(department.name)
    head_count = _escape(builder.tr("Head count %(n)s") % {"n": total})
    name = _text(department.name, NAME_WIDTH, NAME_LINES) or _escape(builder.tr("(no name)"))
    rows = [
        f'<TR><TD COLSPAN="2" BGCOLOR="{header}" HREF="{href}" TOOLTIP="{tooltip}">'
        f"<B>{name}</B><BR/>"
        f'<FONT POINT-SIZE="9" COLOR="#334155">{head_count}'
        "</FONT></TD></TR>"
    ]
    for role in roles[:MAX_ROWS_PER_DEPARTMENT]:
        target = builder.target(role)
        title = _text(role.title, TITLE_WIDTH, TITLE_LINES, align="LEFT") or _escape(
            builder.tr("(no title)")
        )
        tag = builder.employment_tag(role)
        if tag:
            title += f' <FONT COLOR="#9a3412" POINT-SIZE="9">{tag}</FONT>'
        count = _escape(_headcount_text(target))
        role_href = builder.role_href(role.pk)
        tip = _tooltip(role.title)
        if _is_planned(target):
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
            f'<TR><TD COLSPAN="2" HREF="{href}" TOOLTIP="{_tooltip(department.name)}">'
            f'<FONT COLOR="{MUTED}">'
            + _escape(_n("+%(n)s more role", "+%(n)s more roles", more) % {"n": more})
            + "</FONT></TD></TR>"
        )
    if not roles:
        rows.append(
            f'<TR><TD COLSPAN="2"><FONT COLOR="{MUTED}">'
            f"{_escape(builder.tr('No roles yet'))}</FONT>"
            "</TD></TR>"
        )
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="#94a3b8" '
        f'BGCOLOR="{fill}" HREF="{href}" TOOLTIP="{_tooltip(department.name)}">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _reporting_chart(builder: _Builder) -> tuple[int, int | None, bool, str | None]:
    design, options = builder.design, builder.options
    roots = design.role_roots
    root_name = None
    if options.root is not None:
        root = next((r for r in design.roles if r.pk == options.root), None)
        if root is None:
            raise ValidationError(
                {
                    "root": ValidationError(
                        _("This organization has no role %(id)s.") % {"id": options.root},
                        code="not_found",
                    )
                }
            )
        roots, root_name = [root], root.title
    depth = _fitting_depth(roots, lambda _role: 1, options.depth)
    sizes, full_depth = _tree_sizes(roots)
    collapsed = depth < (options.depth or full_depth)
    builder.title(builder.tr("Reporting lines"), root_name, depth, collapsed and depth < full_depth)
    shown: set[int] = set()
    groups: set[str] = set()
    for role, level in _walk(roots, depth):
        shown.add(role.pk)
        group = role.department.function_group or ""
        groups.add(group)
        target = builder.target(role)
        planned = _is_planned(target)
        fill = GROUP_COLOURS.get(group, GROUP_COLOURS[""])[0]
        style = "rounded,filled,dashed" if planned else "rounded,filled"
        builder.graph.node(
            f"r{role.pk}",
            label=_role_card(builder, role, target, planned),
            shape="box",
            style=style,
            fillcolor=fill,
            color=MUTED if planned else "#475569",
            peripheries="2" if role.employment_type in SHARED_TYPES else "1",
            margin="0.05",
        )
        if role.reports_to_id in shown and level > 1:
            builder.graph.edge(f"r{role.reports_to_id}", f"r{role.pk}")
        if level == depth and _children(role):
            builder.more_node(
                f"more-r{role.pk}",
                f"r{role.pk}",
                role.pk,
                [builder.tr("+%(count)s more") % {"count": sizes[id(role)]}],
            )
    for line in design.collaborations:
        if line.from_role_id in shown and line.to_role_id in shown:
            builder.collaboration(f"r{line.from_role_id}", f"r{line.to_role_id}", line.description)
    builder.legend(groups)
    return len(shown), depth, collapsed, root_name


def _role_card(builder: _Builder, role, target, planned: bool) -> str:
    colour = MUTED if planned else "#0f172a"
    title = _text(role.title, TITLE_WIDTH, TITLE_LINES) or _escape(builder.tr("(no title)"))
    facts = [builder.tr("Head count %(n)s") % {"n": _headcount_text(target)}]
    if role.hiring_priority:
        facts.append(builder.tr("Priority %(n)s") % {"n": role.hiring_priority})
    facts.append(builder.employment.get(role.employment_type, role.employment_type))
    if planned:
        facts.append(builder.tr("planned"))
    href = builder.role_href(role.pk)
    department = _text(role.department.name, NAME_WIDTH, 2) or _escape(builder.tr("(no name)"))
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" HREF="{href}" '
        f'TOOLTIP="{_tooltip(role.title)}">'
        f'<TR><TD><FONT COLOR="{colour}"><B>{title}</B></FONT></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="#334155">{department}</FONT></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="{colour}">{_escape(" · ".join(facts))}</FONT>'
        "</TD></TR>"
        "</TABLE>>"
    )


def build_chart(design: Design, options: ChartOptions) -> Chart:
    """The DOT source of a chart (no query: everything comes from `design`).

    Raises ValidationError when the phase or root is not part of this organization."""
    builder = _Builder(design, options)
    if options.view == VIEW_REPORTING:
        count, depth, collapsed, _root = _reporting_chart(builder)
    else:
        count, depth, collapsed, _root = _departments_chart(builder)
    stem = [builder.slug, "org-chart", options.view]
    if builder.phase is not None:
        stem.append(f"phase{builder.phase.order}")
    if options.root is not None:
        stem.append(f"root{options.root}")
    if options.depth is not None:
        stem.append(f"depth{options.depth}")
    return Chart(
        source=builder.graph.source,
        file_stem="-".join(stem),
        node_count=count,
        depth_shown=depth,
        collapsed=collapsed,
        links=builder.links,
    )


class _Target(NamedTuple):
    min_count: int
    max_count: int


def chart_design(organization: Organization) -> Design:
    """The design without role lines (a chart never shows duties or KPIs), plus the head count
    as plain numbers: five queries whatever the size, and no model instance per target."""
    from roles.models import HeadcountTarget

    design = organization_design(organization, with_lines=False)
    rows = HeadcountTarget.objects.filter(role__organization=organization).values_list(
        "role_id", "phase_id", "min_count", "max_count"
    )
    design.headcount = {(role, phase): _Target(low, high) for role, phase, low, high in rows}
    return design


def chart_source(organization: Organization, options: ChartOptions) -> str:
    """The DOT source for an organization (for tests and benchmarks)."""
    return build_chart(chart_design(organization), options).source
