"""Writing the DOT text of a chart: nodes, edges, the title, the legend, "+N more" links.

The DOT text is written here, not through the graphviz package's builder: its quoting of every
attribute of every node was a third of the time to build a chart. Node ids are internal (`d12`,
`more-r345`); user text never becomes an id, a port, an attribute value or a URL; attribute values
other than labels are this module's constants, and every label is an HTML-like label whose user
text went through `roles.charts.labels`. Links are built from the organization slug and integer
ids (`roles.charts.options`). The chart's own words go through gettext; names and titles are
content. What each view draws with it is in `roles.charts.boxes`.
"""

from __future__ import annotations

import functools
import html

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from departments.models import FunctionGroup
from roles.charts.data import Drawing
from roles.charts.labels import clean_text, escape_label, label_text
from roles.charts.options import (
    ORIENT_LEFT_RIGHT,
    ORIENT_TOP_DOWN,
    ChartOptions,
    chart_url,
    department_url,
    role_url,
)
from roles.models import EmploymentType

FONT = "Noto Sans CJK SC"

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


@functools.lru_cache(maxsize=512)
def _word(language: str, message: str) -> str:
    """`gettext(message)` in `language`, remembered: a chart asks for the same few words hundreds
    of times, and each gettext call looks up the active language again."""
    with translation.override(language):
        return gettext(message)


ID_MARK = 987654321987  # stands for the id in a reversed URL; no real id is this large


_HEADER = (
    "digraph chart {\n"
    f'\tgraph [bgcolor=white fontname="{FONT}" fontsize=18 labelloc=t newrank=true '
    "nodesep=0.25 pad=0.3 rankdir=%(rankdir)s ranksep=0.45]\n"
    f'\tnode [fontname="{FONT}" fontsize=11 margin=0 shape=plain]\n'
    f'\tedge [arrowhead=none color="{EDGE_COLOUR}" fontname="{FONT}" fontsize=10 penwidth=1.2]\n'
)
RANKDIR = {ORIENT_TOP_DOWN: "TB", ORIENT_LEFT_RIGHT: "LR"}

# A collaboration line is drawn as two dotted edges from its two boxes into a small numbered
# circle, and its description is listed under that number in the legend. Text on the line
# itself (an edge label) is placed by Graphviz after the layout for an edge that does not rank
# its nodes, over boxes and other labels; the circle is a node, and dot never lets nodes
# overlap. Both edges point into the circle, so it ranks just below the lower of its two boxes
# and moves no box of the tree.
_COLLABORATION = (
    f'arrowhead=none arrowsize=0.6 arrowtail=normal color="{COLLABORATION_COLOUR}" dir=back '
    "penwidth=1.4 style=dotted"
)
_MARKER = (
    f'color="{COLLABORATION_COLOUR}" fixedsize=false fontcolor="{COLLABORATION_COLOUR}" '
    "fontsize=9 height=0.22 margin=0.02 penwidth=1.2 shape=circle width=0.22"
)
# Where the line from a parent to its children in one row of a wide team branches off.
_JUNCTION = f'color="{EDGE_COLOUR}" height=0.02 label="" shape=point width=0.02'
# On a printed page, the most cards a team of leaves stacks in one column.
LEAF_ROWS = 4
# Width (half-width characters) and lines of one collaboration line in the legend.
COLLABORATION_WIDTH, COLLABORATION_LINES = 44, 3


@functools.lru_cache(maxsize=64)
def card_attributes(group: str, planned: bool, shared: bool) -> str:
    """The attributes of a role card (its fill, border and style)."""
    fill = GROUP_COLOURS.get(group, GROUP_COLOURS[""])[0]
    return (
        f'color="{MUTED if planned else "#475569"}" fillcolor="{fill}" margin=0.05 '
        f"peripheries={2 if shared else 1} shape=box "
        f'style="{"rounded,filled,dashed" if planned else "rounded,filled"}"'
    )


class DotWriter:
    """The DOT text of one chart, written piece by piece, and the links it holds."""

    def __init__(self, drawing: Drawing, options: ChartOptions):
        self.drawing = drawing
        self.options = options
        self.organization = drawing.organization
        self.slug = self.organization.slug
        self.phase = drawing.phase
        self.language = translation.get_language() or settings.LANGUAGE_CODE
        self.employment = {value: str(label) for value, label in EmploymentType.choices}
        # Page URLs are reversed once per chart and filled in with integer ids.
        self._role_url = role_url(self.slug, ID_MARK)
        self._department_url = department_url(self.slug, ID_MARK)
        self._chart_base: str | None = None
        self.links: list[str] = []
        self.body: list[str] = [_HEADER % {"rankdir": RANKDIR[options.orient]}]
        self._title = ""
        # The legend cells (number, text) of the collaboration lines drawn, in number order.
        self._collaborations: list[str] = []

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
        return self.link(self._role_url.replace(str(ID_MARK), str(int(pk))))

    def department_href(self, pk: int) -> str:
        return self.link(self._department_url.replace(str(ID_MARK), str(int(pk))))

    def link(self, url: str) -> str:
        self.links.append(url)
        return html.escape(url, quote=True)

    def subtree_link(self, root_pk: int) -> str:
        if self._chart_base is None:
            options = ChartOptions(
                view=self.options.view,
                phase=self.phase.pk if self.phase else None,
                root=ID_MARK,
                orient=self.options.orient,
                span=self.options.span,
            )
            self._chart_base = chart_url(self.organization, "svg", options)
        return self.link(self._chart_base.replace(str(ID_MARK), str(int(root_pk))))

    def title(self, what: str) -> None:
        drawing = self.drawing
        if drawing.for_print:
            return  # the printed page's header names the organization, view, phase and part
        parts = [clean_text(self.organization.name) or self.slug, what]
        if self.phase is not None:
            parts.append(clean_text(self.phase.name))
        if drawing.root_name is not None:
            parts.append(clean_text(drawing.root_name))
        title = " · ".join(part for part in parts if part)
        lines = [f"<B>{label_text(title, 90, 2)}</B>"]
        collapsed = drawing.depth < (self.options.depth or drawing.full_depth)
        if collapsed and drawing.depth < drawing.full_depth:
            lines.append(
                '<FONT POINT-SIZE="11" COLOR="{}">{}</FONT>'.format(
                    MUTED,
                    escape_label(
                        self.gettext(
                            "Large chart: shown %(depth)s levels deep; "
                            "click “+N more” to open a part."
                        )
                        % {"depth": drawing.depth}
                    ),
                )
            )
        self._title = "<BR/>".join(lines)

    def more_node(self, node_id: str, parent_id: str, root_pk: int, lines: list[str]) -> None:
        label = (
            '<<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="4" STYLE="rounded" COLOR="{c}" '
            'BGCOLOR="white" HREF="{href}" TOOLTIP="{tip}"><TR><TD>{text}</TD></TR></TABLE>>'
        ).format(
            c=MUTED,
            href=self.subtree_link(root_pk),
            tip=escape_label(self.gettext("Open this part of the chart")),
            text="<BR/>".join(
                f'<FONT COLOR="{MUTED}">{escape_label(line)}</FONT>' for line in lines
            ),
        )
        self.node(node_id, label)
        self.edge(f'"{parent_id}"', f'"{node_id}"', "style=dashed")

    def legend(self, groups: set[str]) -> None:
        # Collaboration lines side by side, in up to three columns (a number and a text each),
        # so that a long list does not make the legend taller than the chart; the rows above
        # them span the columns.
        count = len(self._collaborations)
        columns = self._legend_columns()
        # A printed page lists only its collaboration lines; the key is printed once.
        rows = [] if self.drawing.for_print and not self.drawing.legend else self._key(groups)
        if self._collaborations:
            heading = escape_label(self.gettext("Numbered collaboration lines"))
            rows.append(f'<TR><TD COLSPAN="{2 * columns}" ALIGN="LEFT"><B>{heading}</B></TD></TR>')
            for first in range(0, count, columns):
                cells = self._collaborations[first : first + columns]
                rows.append("<TR>" + "".join(cells) + "</TR>")
        if not rows:
            return  # a printed page without collaboration lines: the first page has the key
        # The title and the legend are the graph's label, which Graphviz puts above the drawing,
        # outside it: however long the list of collaboration lines, it neither covers a box nor
        # stretches the gap between two levels of the tree, as a legend node in a rank would.
        # The legend is written at the boxes' size, not the graph's.
        self.body.append(
            '\tgraph [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4">'
            + (f"<TR><TD>{self._title}</TD></TR>" if self._title else "")
            + '<TR><TD><FONT POINT-SIZE="11"><TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" '
            'CELLPADDING="3" COLOR="#cbd5e1" BGCOLOR="white">'
            + "".join(rows)
            + "</TABLE></FONT></TD></TR></TABLE>>]\n"
        )

    def _legend_columns(self) -> int:
        count = len(self._collaborations)
        return 1 if count <= 4 else 2 if count <= 12 else 3

    def _key(self, groups: set[str]) -> list[str]:
        """The legend's rows above the collaboration lines: colours and marks."""
        columns = self._legend_columns()
        text_span = f'COLSPAN="{2 * columns - 1}"'
        heading = escape_label(self.gettext("Legend"))
        rows = [f'<TR><TD COLSPAN="{2 * columns}"><B>{heading}</B></TD></TR>']
        for value, label in [*FunctionGroup.choices, ("", self.gettext("No function group"))]:
            if value not in groups:
                continue
            rows.append(
                f'<TR><TD BGCOLOR="{GROUP_COLOURS[value][1]}" WIDTH="18"> </TD>'
                f'<TD {text_span} ALIGN="LEFT">{escape_label(str(label))}</TD></TR>'
            )
        phase = clean_text(self.phase.name) if self.phase else ""
        planned = self.gettext("Planned: no head count in %(phase)s (dashed, grey)")
        shared = self.gettext("Shared with the parent company or outsourced (double border, tag)")
        rows += [
            f'<TR><TD><FONT COLOR="{MUTED}"><I>○</I></FONT></TD><TD {text_span} ALIGN="LEFT">'
            + escape_label(planned % {"phase": phase})
            + "</TD></TR>",
            f'<TR><TD>◎</TD><TD {text_span} ALIGN="LEFT">' + escape_label(shared) + "</TD></TR>",
            f'<TR><TD><FONT COLOR="{COLLABORATION_COLOUR}">┈┈</FONT></TD>'
            f'<TD {text_span} ALIGN="LEFT">'
            + escape_label(
                self.gettext("Collaboration line (hand-over of work, not a reporting line)")
            )
            + "</TD></TR>",
        ]
        return rows

    def collaboration(self, tail: str, head: str, names: tuple[str, str], description: str) -> None:
        """A collaboration line between the nodes (or ports) `tail` and `head`: a numbered
        circle joined to both, and its line in the legend (the two names and the description)."""
        number = len(self._collaborations) + 1
        marker = f"c{number}"
        self.node(marker, f'"{number}"', _MARKER)
        self.edge(tail, f'"{marker}"', _COLLABORATION)
        self.edge(head, f'"{marker}"', _COLLABORATION)
        tail_name, head_name = (clean_text(name) or "?" for name in names)
        description = clean_text(description)
        text = (
            self.gettext("%(tail)s ↔ %(head)s: %(description)s")
            % {"tail": tail_name, "head": head_name, "description": description}
            if description
            else f"{tail_name} ↔ {head_name}"
        )
        self._collaborations.append(
            f'<TD ALIGN="RIGHT" VALIGN="TOP"><FONT COLOR="{COLLABORATION_COLOUR}">'
            f"<B>{number}</B></FONT></TD>"
            '<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">'
            f"{label_text(text, COLLABORATION_WIDTH, COLLABORATION_LINES, align='LEFT')}</TD>"
        )

    def team(self, parent: str, children: list[str], *, leaves: bool = False) -> None:
        """The lines from a parent to its children (node ids, unquoted, in order). Up to `span`
        children hang side by side under the parent; more are stacked in rows of `span`, so
        that a manager with 20 reports is about as wide as high instead of one long row.

        Each further row hangs from a "bus": a line from the parent down through a junction
        point in each row above to the children of the next. Lines straight from the parent to
        every child (with invisible edges putting each row below the one before) would cross
        the rows above, where dot gives every such line a slot of its own between the boxes,
        which widened a 20-report team to a tangle as wide as before. A junction is a node
        with no text, so the bus neither crosses nor covers a box; and each row's children
        hang from their own junction, not from the row above, so it does not read as the
        first row managing the next. Invisible edges from each child to the child under it
        keep the rows in the same columns.

        On a printed page a team of `leaves` (role cards with no card below them) hangs in
        columns of at most LEAF_ROWS cards: narrower than a row, so that the teams of several
        managers stand side by side on one sheet. (Department boxes list their roles and are
        too tall to stack.)"""
        span = self.options.span
        if leaves and self.drawing.for_print:
            span = min(span, -(-len(children) // LEAF_ROWS))
        above = f'"{parent}"'
        for first in range(0, len(children), span):
            row = [f'"{child}"' for child in children[first : first + span]]
            if first:
                junction = f'"bus-{parent}-{first // span}"'
                self.body.append(f"\t{junction} [{_JUNCTION}]\n")
                self.edge(above, junction)
                above = junction
                for child_above, child in zip(children[first - span : first], row, strict=False):
                    self.edge(f'"{child_above}"', child, "style=invis")
            for child in row:
                self.edge(above, child)

    def employment_tag(self, employment_type: str) -> str:
        if employment_type not in SHARED_TYPES:
            return ""
        return escape_label(f"[{self.employment.get(employment_type, employment_type)}]")
