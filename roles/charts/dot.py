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
from roles.charts.labels import NOTE_LINES, NOTE_WIDTH, clean_text, escape_label, label_text
from roles.charts.options import ChartOptions, chart_url, department_url, role_url
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
    "nodesep=0.25 pad=0.3 rankdir=TB ranksep=0.45]\n"
    f'\tnode [fontname="{FONT}" fontsize=11 margin=0 shape=plain]\n'
    f'\tedge [arrowhead=none color="{EDGE_COLOUR}" fontname="{FONT}" fontsize=10 penwidth=1.2]\n'
)
_COLLABORATION = (
    f'arrowhead=normal arrowsize=0.6 arrowtail=normal color="{COLLABORATION_COLOUR}" '
    f'constraint=false dir=both fontcolor="{COLLABORATION_COLOUR}" penwidth=1.4 style=dotted'
)


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
        return self.link(self._role_url.replace(str(ID_MARK), str(int(pk))))

    def department_href(self, pk: int) -> str:
        return self.link(self._department_url.replace(str(ID_MARK), str(int(pk))))

    def link(self, url: str) -> str:
        self.links.append(url)
        return html.escape(url, quote=True)

    def subtree_link(self, root_pk: int) -> str:
        if self._chart_base is None:
            options = ChartOptions(
                view=self.options.view, phase=self.phase.pk if self.phase else None, root=ID_MARK
            )
            self._chart_base = chart_url(self.organization, "svg", options)
        return self.link(self._chart_base.replace(str(ID_MARK), str(int(root_pk))))

    def title(self, what: str) -> None:
        drawing = self.drawing
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
        self.body.append("\tgraph [label=<" + "<BR/>".join(lines) + ">]\n")

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
        heading = escape_label(self.gettext("Legend"))
        rows = [f'<TR><TD COLSPAN="2"><B>{heading}</B></TD></TR>']
        for value, label in [*FunctionGroup.choices, ("", self.gettext("No function group"))]:
            if value not in groups:
                continue
            rows.append(
                f'<TR><TD BGCOLOR="{GROUP_COLOURS[value][1]}" WIDTH="18"> </TD>'
                f'<TD ALIGN="LEFT">{escape_label(str(label))}</TD></TR>'
            )
        phase = clean_text(self.phase.name) if self.phase else ""
        planned = self.gettext("Planned: no head count in %(phase)s (dashed, grey)")
        shared = self.gettext("Shared with the parent company or outsourced (double border, tag)")
        rows += [
            f'<TR><TD><FONT COLOR="{MUTED}"><I>○</I></FONT></TD><TD ALIGN="LEFT">'
            + escape_label(planned % {"phase": phase})
            + "</TD></TR>",
            '<TR><TD>◎</TD><TD ALIGN="LEFT">' + escape_label(shared) + "</TD></TR>",
            f'<TR><TD><FONT COLOR="{COLLABORATION_COLOUR}">┈┈</FONT></TD><TD ALIGN="LEFT">'
            + escape_label(
                self.gettext("Collaboration line (hand-over of work, not a reporting line)")
            )
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
        text = label_text(description, NOTE_WIDTH, NOTE_LINES)
        self.edge(tail, head, f"{_COLLABORATION} label=<{text}>" if text else _COLLABORATION)

    def employment_tag(self, employment_type: str) -> str:
        if employment_type not in SHARED_TYPES:
            return ""
        return escape_label(f"[{self.employment.get(employment_type, employment_type)}]")
