"""The whole organization on paper: a multi-page PDF on A4 or A3, every box at a printable size.

Layout chosen: **one page per part of the tree**, not a poster cut into tiles. A tile cuts boxes
and lines at its edges and most tiles of a wide tree are empty; a page per part is readable on
its own, can be handed to the head of that part, and every box on it is whole. Page 1 is the
overview: the top of the tree, as deep as fits. Every box whose subtree did not fit says
"→ continued on page N", and the page it continues on says where it came from ("continued from
page M") and the path down to it; the last page lists every page (an assembly map of the tree).

How a page is found (`plan_pages`): starting from the roots, a page draws some nodes (`tops`,
each at level 1) with their subtrees as deep as the page allows; `dot` lays out the candidate
and the page takes it when the drawing fits the paper at no less than MIN_SCALE, so that the
smallest type of a box (9 pt) is printed at 7 pt or more. Otherwise the page tries one level
less; when even a single level of the tops does not fit side by side, they are split over
pages. The subtrees cut off below the last level drawn become the next pages, depth first, so a
department's pages follow each other. The number of levels tried first comes from the space
the pages so far took per box, so most pages are laid out once or twice.

The page numbers a box refers to are known only once the pages after it are planned: the layout
writes a placeholder (the part's key between two private-use characters), and `_number_pages`
replaces it in the finished SVG. It also notes where on the page each "→ page N" row is drawn
(`PageLink`), so that the PDF makes that row a link to page N: the drawing is an image, whose
own links a PDF reader cannot follow.
"""

from __future__ import annotations

import base64
import logging
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.models import Department, Organization
from roles.charts.boxes import draw
from roles.charts.data import (
    VIEW_REPORTING,
    Below,
    _chosen_phase,
    page_drawing,
    tree_below,
)
from roles.charts.dot import DotWriter
from roles.charts.labels import clean_text
from roles.charts.options import ChartOptions, parse_chart_options
from roles.charts.process import ChartTimeout
from roles.charts.render import render_dot
from roles.models import Role
from roles.selectors import DEPARTMENT_TREE, ROLE_TREE, Design, design_outline
from teamorg.i18n import content_language, translated_text

logger = logging.getLogger(__name__)

MM = 72 / 25.4  # points per millimetre
# Paper sizes in millimetres, portrait (ISO 216).
PAPERS: Mapping[str, tuple[int, int]] = {"a4": (210, 297), "a3": (297, 420)}
DEFAULT_PAPER = "a4"
# Page margin on every side and the height of the page header (the path to the part shown),
# and the footer's page number in the bottom margin; static/print/chart-print.css uses the same.
MARGIN_MM = 10
HEADER_MM = 11
# The smallest type a chart box uses (roles.charts.dot, roles.charts.boxes) and the smallest
# printed size allowed: a page is never scaled below their ratio.
SMALLEST_CHART_PT = 9
MIN_PRINTED_PT = 7
MIN_SCALE = MIN_PRINTED_PT / SMALLEST_CHART_PT
# Bumped when the print layout changes, so that a PDF cached for a revision is laid out again.
PRINT_LAYOUT_VERSION = 1
# Space a box takes on a page, with its share of the gaps, before any page was laid out (pt²);
# afterwards the pages laid out so far tell.
FIRST_GUESS_AREA_PER_ITEM = 26_000

_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_SVG_VIEW_BOX = re.compile(rb'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
_SVG_TRANSFORM = re.compile(
    rb'class="graph" transform="scale\(([\d.]+) ([\d.]+)\) rotate\(0\) '
    rb'translate\(([-\d.]+) ([-\d.]+)\)"'
)
# The "→ page N" row of a box (roles.charts.boxes._continued): a white cell, drawn by `dot` as
# a polygon right before the row's text, which holds the placeholder of the part it goes on to.
_CONTINUED_ROW = re.compile(
    rb'<polygon fill="white" stroke="transparent" points="([^"]+)"/>\s*'
    rb"<text [^>]*>[^<]*\xee\x80\x80(\d+)\xee\x80\x81"
)


@dataclass(frozen=True)
class PrintOptions:
    """What to print: the chart (view, phase, root, orientation, span) and the paper."""

    chart: ChartOptions = ChartOptions()
    paper: str = DEFAULT_PAPER
    landscape: bool = True

    def page_size_pt(self) -> tuple[float, float]:
        short, long = PAPERS[self.paper]
        width, height = (long, short) if self.landscape else (short, long)
        return width * MM, height * MM

    def chart_area_pt(self) -> tuple[float, float]:
        """The room for the chart on a page: the paper less margins and header."""
        width, height = self.page_size_pt()
        return width - 2 * MARGIN_MM * MM, height - (2 * MARGIN_MM + HEADER_MM) * MM

    def css_page_size(self) -> str:
        return f"{self.paper.upper()} {'landscape' if self.landscape else 'portrait'}"


def parse_print_options(params: Mapping[str, str]) -> PrintOptions:
    """Print options from query parameters: the chart's (`view`, `phase`, `root`, `orient`,
    `span`) and `paper` (a4, a3) and `landscape` (1, 0). A ValidationError naming the field for
    anything malformed."""
    errors: dict[str, ValidationError] = {}
    try:
        chart = parse_chart_options(params)
    except ValidationError as error:
        errors.update(error.error_dict)
        chart = ChartOptions()
    paper = (params.get("paper") or DEFAULT_PAPER).strip().lower()
    if paper not in PAPERS:
        errors["paper"] = ValidationError(
            _("Choose the paper size “a4” or “a3”."), code="invalid_choice"
        )
    landscape = (params.get("landscape") or "1").strip().lower()
    if landscape not in ("0", "1", "true", "false"):
        errors["landscape"] = ValidationError(_("“landscape” must be 1 or 0."), code="invalid")
    if errors:
        raise ValidationError(errors)
    # Depth and `full` are the printer's to choose: every level is printed, page by page.
    chart = ChartOptions(
        view=chart.view,
        phase=chart.phase,
        root=chart.root,
        orient=chart.orient,
        span=chart.span,
    )
    return PrintOptions(chart=chart, paper=paper, landscape=landscape in ("1", "true"))


def printed_roles(organization: Organization, options: PrintOptions) -> int:
    """How many roles a print of `options` shows (the subtree of its root, or all), from the
    tree's outline: a few queries, nothing laid out, so that a print too large to wait for is
    known before any work. Raises what the print would: ValidationError for a phase that is
    not one of the organization's, `Department.DoesNotExist` / `Role.DoesNotExist` for a root
    that is not in its tree."""
    chart = options.chart
    if chart.phase is not None:
        _chosen_phase(list(organization.phases.all()), chart.phase)
    if chart.view == VIEW_REPORTING:
        outline = design_outline(organization, tree=ROLE_TREE, root=chart.root)
        return sum(outline.nodes_per_level.values())
    outline = design_outline(organization, tree=DEPARTMENT_TREE, root=chart.root)
    return sum(department.roles_count for department in outline.departments)


@dataclass(frozen=True)
class PageLink:
    """Where on a printed page (pt from the drawing's top left corner, as printed) a box says
    its part goes on, and the page it goes on."""

    x: float
    y: float
    width: float
    height: float
    page: int


@dataclass
class PrintedPage:
    """One page of a printed chart: its number, the SVG drawn on it and the size it is printed
    at (pt), the path from the top of the tree to the part it shows, and what it shows."""

    number: int
    svg: bytes
    width_pt: float
    height_pt: float
    scale: float
    path: list[str]
    tops: list[str]
    continued_from: int | None
    part_of: int  # 1 for a part's first page, 2… when one level of a part spans pages
    boxes: int
    roles: int
    links: list[PageLink] = field(default_factory=list)

    @property
    def svg_src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()


@dataclass
class _Part:
    """Nodes still to be printed: the subtrees of `heads`, each shown again at the top of the
    page for context (the boxes that said "continued on page N"), or the roots of the chart.
    `keys` are what those boxes hold until page numbers are known (by head id); a part whose
    one head has too many children for a page prints them from `first_child` on."""

    heads: list
    keys: dict[int, int]
    from_page: int | None
    first_child: int = 0
    part_of: int = 1
    key: int = 0  # what the box of a head whose children go on here holds


def too_large_to_wait() -> ChartTimeout:
    """What a print that cannot be made while the user waits answers (until large prints run
    as background jobs)."""
    return ChartTimeout(
        _(
            "This chart is too large to print while you wait. "
            "Print one department at a time (choose it as the chart's root)."
        )
    )


@dataclass
class _Planner:
    design: Design
    options: PrintOptions
    deadline: float | None
    reporting: bool = False
    below: dict[int, Below] = field(default_factory=dict)
    parents: dict[int, object] = field(default_factory=dict)
    area_per_item: list[float] = field(default_factory=list)
    dot_runs: int = 0
    last_key: int = 0

    def next_key(self) -> int:
        self.last_key += 1
        return self.last_key

    def placeholder(self, key: int) -> str:
        return f"\ue000{key}\ue001"

    def children(self, node) -> list:
        return self.design.children(node)

    def weight(self, node) -> int:
        """What a box counts for when estimating how many fit on a page: a card is one, a
        department box one plus its role lines."""
        if self.reporting:
            return 1
        return 1 + len(self.design.roles_by_department.get(node.pk, []))

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise too_large_to_wait()

    def render(self, source: str) -> bytes:
        """The SVG of one candidate page, within what is left of the time limit."""
        left = None if self.deadline is None else max(self.deadline - time.monotonic(), 0.001)
        try:
            return render_dot(source, "svg", timeout=left)
        except ChartTimeout:
            if self.deadline is None:
                raise
            raise too_large_to_wait() from None


def plan_pages(
    design: Design,
    options: PrintOptions,
    *,
    first_page: int = 1,
    time_limit: float | None = None,
    max_pages: int | None = None,
) -> list[PrintedPage]:
    """The pages of the printed chart of a whole design, numbered from `first_page`.

    Raises ValidationError (unknown phase), `Department.DoesNotExist` / `Role.DoesNotExist`
    (unknown root), ChartTimeout when `time_limit` seconds pass or the chart takes more than
    `max_pages` pages (`too_large_to_wait`), or when `dot` times out."""
    chart = options.chart
    reporting = chart.view == VIEW_REPORTING
    roots: list = design.role_roots if reporting else design.department_roots
    if chart.root is not None:
        nodes = design.roles if reporting else design.departments
        roots = [node for node in nodes if node.pk == chart.root]
        if not roots:
            model = Role if reporting else Department
            raise model.DoesNotExist(f"no {model.__name__} {chart.root} in this design")
    if not roots:
        return []
    planner = _Planner(
        design=design,
        options=options,
        deadline=None if time_limit is None else time.monotonic() + time_limit,
        reporting=reporting,
    )
    planner.below = tree_below(design, roots, reporting=reporting)
    for node in _every_node(planner, roots):
        for child in planner.children(node):
            planner.parents[child.pk] = node
    pending = [_Part(heads=list(roots), keys={}, from_page=None)]
    pages: list[PrintedPage] = []
    first_of_key: dict[int, int] = {}
    while pending:
        planner.check_time()
        part = pending.pop()
        number = first_page + len(pages)
        page, layout = _lay_out(planner, part, number)
        pages.append(page)
        if max_pages is not None and len(pages) > max_pages:
            raise too_large_to_wait()
        first_of_key.setdefault(part.key, number)
        for head in layout.heads:
            if head.pk in part.keys:
                first_of_key.setdefault(part.keys[head.pk], number)
        if layout.rest is not None:
            pending.append(layout.rest)
        # Depth first: the subtrees cut off this page come next (all in one part, split over
        # as many pages as they need), then what is left of this page's part.
        if layout.cut:
            pending.append(
                _Part(
                    heads=list(layout.cut),
                    keys={node.pk: key for node, key in layout.cut.items()},
                    from_page=number,
                )
            )
    _number_pages(planner, pages, first_of_key)
    logger.info(
        "printed chart of %s: %s pages, %s dot runs",
        design.organization.slug,
        len(pages),
        planner.dot_runs,
    )
    return pages


@dataclass
class _Layout:
    """What a page shows: the heads of its part it drew, how deep, the children of a single
    head it left out (`skip`), the nodes cut off at its last level (node → key), the drawing's
    SVG and size, and the part left for the next page."""

    heads: list
    depth: int
    skip: frozenset[int]
    cut: dict
    svg: bytes
    size: tuple[float, float]
    rest: _Part | None = None


def _lay_out(planner: _Planner, part: _Part, number: int) -> tuple[PrintedPage, _Layout]:
    """The page for `part`: as many of its heads, as deep, as fit at MIN_SCALE or more."""
    width, height = planner.options.chart_area_pt()
    layout = None
    for heads, children, span in _candidates(planner, part):
        skip = frozenset()
        if children is not None:
            shown = {child.pk for child in children}
            skip = frozenset(
                child.pk for child in planner.children(heads[0]) if child.pk not in shown
            )
        # A head with children is not printed alone: it was on a page already (or, for the
        # roots, a page with only them would say nothing), so at least one level below it.
        lowest = 2 if any(planner.children(head) for head in heads) else 1
        for depth in range(max(_first_depth(planner, heads, skip), lowest), lowest - 1, -1):
            planner.check_time()
            layout = _try(planner, part, heads, depth, skip, span)
            drawn_width, drawn_height = layout.size
            if min(1.0, width / drawn_width, height / drawn_height) >= MIN_SCALE:
                return _page(planner, part, layout, number, (width, height)), layout
    # Nothing fits at the smallest printable size: one box larger than a page (a department
    # listing hundreds of roles). It is printed smaller rather than not at all; the page's
    # `scale` says so.
    return _page(planner, part, layout, number, (width, height)), layout


def _candidates(planner: _Planner, part: _Part):
    """What a page of `part` tries, most first, as (heads, their children shown or None for
    all, span): all its heads, then the first half, quarter… of them; for a single head, its
    children from `first_child` on in narrower rows before fewer of them."""
    heads, span = part.heads, planner.options.chart.span
    count = len(heads) if part.first_child == 0 else 1
    while count > 1:
        yield heads[:count], None, span
        count = math.ceil(count / 2)
    children = planner.children(heads[0])[part.first_child :]
    narrower = sorted({span, *(s for s in (4, 3, 2) if s < span)}, reverse=True)
    for row in narrower:
        yield heads[:1], children, row
    count = math.ceil(len(children) / 2)
    while count >= 1:
        yield heads[:1], children[:count], narrower[-1]
        if count == 1:
            break
        count = math.ceil(count / 2)


def _try(planner, part, heads, depth, skip, span) -> _Layout:
    cut = {
        node: planner.next_key()
        for node, level in _walk_levels(planner, heads, depth, skip)
        if level == depth and planner.children(node)
    }
    more_children, placeholders, rest = {}, {}, None
    if skip:
        # A single head with some of its children: the others go on the next page, and the
        # head's box says so.
        head = heads[0]
        children = planner.children(head)
        shown = [child for child in children if child.pk not in skip]
        first_left = children.index(shown[-1]) + 1
        if first_left < len(children):
            left = children[first_left:]
            rest = _Part(
                heads=part.heads,
                keys=part.keys,
                from_page=part.from_page,
                first_child=first_left,
                part_of=part.part_of + 1,
                key=planner.next_key(),
            )
            more_children[head.pk] = Below(
                sum(1 + planner.below[child.pk].nodes for child in left),
                sum(_own_roles(planner, child) + planner.below[child.pk].roles for child in left)
                if not planner.reporting
                else 0,
            )
            placeholders[head.pk] = planner.placeholder(rest.key)
    if rest is None and len(heads) < len(part.heads):
        rest = _Part(
            heads=part.heads[len(heads) :],
            keys=part.keys,
            from_page=part.from_page,
            part_of=part.part_of + 1,
        )
    placeholders.update((node.pk, planner.placeholder(key)) for node, key in cut.items())
    options = replace(planner.options.chart, span=span)
    drawing = page_drawing(
        planner.design,
        options,
        tops=heads,
        depth=depth,
        below=planner.below,
        continued_on=placeholders,
        skip=skip,
        more_children=more_children,
    )
    drawing.legend = False
    svg = planner.render(draw(drawing, options).source)
    planner.dot_runs += 1
    return _Layout(
        heads=heads,
        depth=depth,
        skip=skip,
        cut=cut,
        svg=svg,
        size=_svg_size(svg),
        rest=rest,
    )


def _own_roles(planner: _Planner, department) -> int:
    return len(planner.design.roles_by_department.get(department.pk, []))


def _page(planner, part, layout: _Layout, number: int, area) -> PrintedPage:
    width, height = area
    drawn_width, drawn_height = layout.size
    scale = min(1.0, width / drawn_width, height / drawn_height)
    drawn = [
        node for node, _level in _walk_levels(planner, layout.heads, layout.depth, layout.skip)
    ]
    items = sum(planner.weight(node) for node in drawn)
    planner.area_per_item.append(drawn_width * drawn_height / max(items, 1))
    language = content_language()
    path = []
    node = planner.parents.get(layout.heads[0].pk)
    while node is not None:
        path.append(_name(node, planner.reporting, language))
        node = planner.parents.get(node.pk)
    path.reverse()
    return PrintedPage(
        number=number,
        svg=layout.svg,
        width_pt=drawn_width * scale,
        height_pt=drawn_height * scale,
        scale=scale,
        path=path,
        tops=[_name(node, planner.reporting, language) for node in layout.heads],
        continued_from=part.from_page,
        part_of=part.part_of,
        boxes=len(drawn),
        roles=len(drawn) if planner.reporting else sum(_own_roles(planner, node) for node in drawn),
    )


def _walk_levels(planner: _Planner, heads: list, depth: int, skip: frozenset[int]):
    """(node, level) of what a page draws, level by level."""
    level_nodes, level = list(heads), 1
    while level_nodes and level <= depth:
        yield from ((node, level) for node in level_nodes)
        level_nodes = [
            child
            for node in level_nodes
            for child in planner.children(node)
            if child.pk not in skip
        ]
        level += 1


def _every_node(planner: _Planner, roots: list):
    """The roots and every node below them."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(planner.children(node))


def _first_depth(planner: _Planner, heads: list, skip: frozenset[int]) -> int:
    """The number of levels to try first: as many as the boxes of the pages laid out so far
    suggest fit on one page."""
    width, height = planner.options.chart_area_pt()
    area = width * height / (MIN_SCALE * MIN_SCALE)
    per_item = (
        sorted(planner.area_per_item)[len(planner.area_per_item) // 2]
        if planner.area_per_item
        else FIRST_GUESS_AREA_PER_ITEM
    )
    capacity = area / per_item
    per_level: dict[int, int] = {}
    for node, level in _walk_levels(planner, heads, 10_000, skip):
        per_level[level] = per_level.get(level, 0) + planner.weight(node)
    total, depth = 0, 1
    for level, items in sorted(per_level.items()):
        total += items
        if total > capacity and level > 2:
            break
        depth = level
    return depth


def _name(node, reporting: bool, language: str) -> str:
    if reporting:
        return clean_text(translated_text(node.title_zh, node.title_en, language))
    return clean_text(translated_text(node.name_zh, node.name_en, language))


def _svg_size(svg: bytes) -> tuple[float, float]:
    found = _SVG_SIZE.search(svg[:2000])
    if found is None:
        raise ValueError("dot wrote an SVG without a size in points")
    return float(found.group(1)), float(found.group(2))


def _number_pages(planner: _Planner, pages: list[PrintedPage], first_of_key: dict[int, int]):
    placeholder = re.compile(("\ue000" + r"(\d+)" + "\ue001").encode())

    def number(match: re.Match) -> bytes:
        return str(first_of_key[int(match.group(1))]).encode()

    for page in pages:
        page.links = _continued_links(page, first_of_key)
        page.svg = placeholder.sub(number, page.svg)


def _continued_links(page: PrintedPage, first_of_key: dict[int, int]) -> list[PageLink]:
    """The "→ page N" rows of `page`'s drawing, placed as the image is printed: SVG user units
    (graph coordinates moved by the graph's transform) scaled into the printed size, as an
    image keeping its aspect ratio centres its view box."""
    view_box = _SVG_VIEW_BOX.search(page.svg[:2000])
    transform = _SVG_TRANSFORM.search(page.svg[:3000])
    if view_box is None or transform is None:
        return []
    box_width, box_height = float(view_box.group(1)), float(view_box.group(2))
    scale_x, scale_y, shift_x, shift_y = (float(value) for value in transform.groups())
    fit = min(page.width_pt / box_width, page.height_pt / box_height)
    left = (page.width_pt - box_width * fit) / 2
    top = (page.height_pt - box_height * fit) / 2
    links = []
    for match in _CONTINUED_ROW.finditer(page.svg):
        points = [
            tuple(float(value) for value in point.split(b",")) for point in match.group(1).split()
        ]
        xs = [scale_x * (x + shift_x) for x, _y in points]
        ys = [scale_y * (y + shift_y) for _x, y in points]
        links.append(
            PageLink(
                x=round(left + min(xs) * fit, 2),
                y=round(top + min(ys) * fit, 2),
                width=round((max(xs) - min(xs)) * fit, 2),
                height=round((max(ys) - min(ys)) * fit, 2),
                page=first_of_key[int(match.group(2))],
            )
        )
    return links


def print_key_svg(design: Design, options: PrintOptions) -> bytes:
    """The key printed once on the cover: the function-group colours of this design, the
    marks for planned and shared roles, and the collaboration line."""
    drawing = page_drawing(design, options.chart, tops=[], depth=1, below={}, continued_on={})
    writer = DotWriter(drawing, options.chart)
    writer.legend({department.function_group or "" for department in design.departments})
    return render_dot(writer.source(), "svg")
