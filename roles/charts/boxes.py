"""What each view draws, as DOT: the `departments` view (the department tree, each box listing
its roles with head count for a phase) and the `reporting` view (one card per role along the
reporting lines). `draw()` writes the whole chart of a `Drawing`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import ngettext

from roles.charts.data import Box, Drawing, RoleLine, Target
from roles.charts.dot import (
    GROUP_COLOURS,
    MUTED,
    SHARED_TYPES,
    DotWriter,
    card_attributes,
)
from roles.charts.labels import (
    NAME_LINES,
    NAME_WIDTH,
    TITLE_LINES,
    TITLE_WIDTH,
    escape_label,
    label_text,
    tooltip_text,
)
from roles.charts.options import ORIENT_TOP_DOWN, VIEW_REPORTING, ChartOptions


@dataclass
class Chart:
    """The DOT source of a chart, the file name it is served under (without extension), and
    what it shows: boxes drawn, levels shown, whether it was collapsed to fit, the links."""

    source: str
    file_stem: str
    node_count: int
    depth_shown: int | None
    collapsed: bool
    links: list[str] = field(default_factory=list)


def _headcount_text(target: Target | None) -> str:
    if target is None:
        return "0"
    if target.min_count == target.max_count:
        return str(target.min_count)
    return f"{target.min_count}–{target.max_count}"


def _is_planned(target: Target | None) -> bool:
    """No one in this role in the chosen phase: the role is planned (or vacant) for now."""
    return target is None or target.max_count == 0


def _departments_chart(writer: DotWriter) -> int:
    drawing = writer.drawing
    writer.title(writer.gettext("Departments"))
    names: dict[int, str] = {}
    children: dict[int, list[str]] = {}
    groups: set[str] = set()
    for box in drawing.boxes:
        names[box.pk] = box.name
        groups.add(box.group)
        writer.node(f"d{box.pk}", _department_label(writer, box, drawing.roles[box.pk]))
        if box.parent in names and box.level > 1:
            children.setdefault(box.parent, []).append(f"d{box.pk}")
        if box.hidden and not box.continued_on:
            writer.more_node(
                f"more-d{box.pk}",
                f"d{box.pk}",
                box.pk,
                [
                    writer.gettext("+%(count)s more") % {"count": box.hidden},
                    ngettext("%(n)s role", "%(n)s roles", box.hidden_roles)
                    % {"n": box.hidden_roles},
                ],
            )
    for parent, team in children.items():
        writer.team(f"d{parent}", team)
    roles_shown = {
        role.pk: (department_pk, role.title)
        for department_pk in names
        for role in drawing.roles[department_pk][: drawing.max_rows]
    }
    for line in drawing.lines:
        if line.from_department is not None:
            if line.from_department in names and line.to_department in names:
                writer.collaboration(
                    f'"d{line.from_department}"',
                    f'"d{line.to_department}"',
                    (names[line.from_department], names[line.to_department]),
                    line.description,
                )
        elif line.from_role in roles_shown and line.to_role in roles_shown:
            (tail, tail_title), (head, head_title) = (
                roles_shown[line.from_role],
                roles_shown[line.to_role],
            )
            writer.collaboration(
                f'"d{tail}":"r{line.from_role}"',
                f'"d{head}":"r{line.to_role}"',
                (tail_title, head_title),
                line.description,
            )
    writer.legend(groups)
    return len(drawing.boxes)


def _leaves(team: list[str], children: dict[int, list[str]], drawing: Drawing, prefix: str) -> bool:
    """Whether no box of `team` (node ids) has boxes or a continuation below it."""
    continued = {f"{prefix}{box.pk}" for box in drawing.boxes if box.hidden}
    parents = {f"{prefix}{pk}" for pk in children}
    return not any(node in parents or node in continued for node in team)


def _continued(writer: DotWriter, box: Box, columns: int = 1) -> str:
    """On a printed page, the last row of a box whose subtree goes on elsewhere: on which page,
    and how much is there. Inside the box rather than a box of its own below it, which would
    take a rank of the layout and push the next row of a wide team aside."""
    if not box.continued_on:
        return ""
    text = writer.gettext("→ page %(page)s (+%(count)s)") % {
        "page": box.continued_on,
        "count": box.hidden,
    }
    return (
        f'<TR><TD COLSPAN="{columns}" BGCOLOR="white"><FONT POINT-SIZE="9" COLOR="#0b4f79">'
        f"<B>{escape_label(text)}</B></FONT></TD></TR>"
    )


def _department_label(writer: DotWriter, department: Box, roles: list[RoleLine]) -> str:
    fill, header = GROUP_COLOURS.get(department.group, GROUP_COLOURS[""])
    low = high = 0
    for role in roles:
        if role.target is not None:
            low, high = low + role.target.min_count, high + role.target.max_count
    total = str(low) if low == high else f"{low}–{high}"
    href = writer.department_href(department.pk)
    tooltip = tooltip_text(department.name)
    head_count = escape_label(writer.gettext("Head count %(n)s") % {"n": total})
    if department.planned is not None:
        # The department's own head count (部门定编) beside its roles' (issue 20); the roles of
        # its sub-departments count towards it.
        planned, subtree = department.planned, department.subtree or Target(0, 0)
        if planned == subtree:
            line = writer.gettext("Department head count %(n)s") % {"n": _headcount_text(planned)}
        else:
            line = writer.gettext("Department head count %(n)s ≠ roles %(roles)s") % {
                "n": _headcount_text(planned),
                "roles": _headcount_text(subtree),
            }
        head_count += "<BR/>" + escape_label(line)
    name = label_text(department.name, NAME_WIDTH, NAME_LINES) or escape_label(
        writer.gettext("(no name)")
    )
    rows = [
        f'<TR><TD COLSPAN="2" BGCOLOR="{header}" HREF="{href}" TOOLTIP="{tooltip}">'
        f"<B>{name}</B><BR/>"
        f'<FONT POINT-SIZE="9" COLOR="#334155">{head_count}'
        "</FONT></TD></TR>"
    ]
    max_rows = writer.drawing.max_rows
    for role in roles[:max_rows]:
        title = label_text(role.title, TITLE_WIDTH, TITLE_LINES, align="LEFT") or escape_label(
            writer.gettext("(no title)")
        )
        tag = writer.employment_tag(role.employment_type)
        if tag:
            title += f' <FONT COLOR="#9a3412" POINT-SIZE="9">{tag}</FONT>'
        count = escape_label(_headcount_text(role.target))
        role_href = writer.role_href(role.pk)
        tip = tooltip_text(role.title)
        if _is_planned(role.target):
            title = f'<FONT COLOR="{MUTED}"><I>○ {title}</I></FONT>'
            count = f'<FONT COLOR="{MUTED}">{count}</FONT>'
        cell_fill = ' BGCOLOR="#fff7ed"' if tag else ""
        rows.append(
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" PORT="r{role.pk}" HREF="{role_href}" '
            f'TOOLTIP="{tip}"{cell_fill}>{title}</TD>'
            f'<TD ALIGN="RIGHT"{cell_fill}>{count}</TD></TR>'
        )
    if max_rows is not None and len(roles) > max_rows:
        more = len(roles) - max_rows
        rows.append(
            f'<TR><TD COLSPAN="2" HREF="{href}" TOOLTIP="{tooltip}">'
            f'<FONT COLOR="{MUTED}">'
            + escape_label(ngettext("+%(n)s more role", "+%(n)s more roles", more) % {"n": more})
            + "</FONT></TD></TR>"
        )
    if not roles:
        rows.append(
            f'<TR><TD COLSPAN="2"><FONT COLOR="{MUTED}">'
            + escape_label(writer.gettext("No roles yet"))
            + "</FONT></TD></TR>"
        )
    rows.append(_continued(writer, department, columns=2))
    # Printed pages set the rows closer: a department box listing every role stays on a page.
    padding = 2 if writer.drawing.for_print else 4
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{padding}" '
        'COLOR="#94a3b8" '
        f'BGCOLOR="{fill}" HREF="{href}" TOOLTIP="{tooltip}">' + "".join(rows) + "</TABLE>>"
    )


def _reporting_chart(writer: DotWriter) -> int:
    drawing = writer.drawing
    writer.title(writer.gettext("Reporting lines"))
    titles: dict[int, str] = {}
    children: dict[int, list[str]] = {}
    groups: set[str] = set()
    for box in drawing.boxes:
        titles[box.pk] = box.name
        groups.add(box.group)
        planned = _is_planned(box.target)
        writer.node(
            f"r{box.pk}",
            _role_card(writer, box, planned),
            card_attributes(box.group, planned, box.employment_type in SHARED_TYPES),
        )
        if box.parent in titles and box.level > 1:
            children.setdefault(box.parent, []).append(f"r{box.pk}")
        if box.hidden and not box.continued_on:
            writer.more_node(
                f"more-r{box.pk}",
                f"r{box.pk}",
                box.pk,
                [writer.gettext("+%(count)s more") % {"count": box.hidden}],
            )
    for parent, team in children.items():
        writer.team(f"r{parent}", team, leaves=_leaves(team, children, drawing, "r"))
    for line in drawing.lines:
        if line.from_role in titles and line.to_role in titles:
            writer.collaboration(
                f'"r{line.from_role}"',
                f'"r{line.to_role}"',
                (titles[line.from_role], titles[line.to_role]),
                line.description,
            )
    writer.legend(groups)
    return len(titles)


def _role_card(writer: DotWriter, role: Box, planned: bool) -> str:
    colour = MUTED if planned else "#0f172a"
    title = label_text(role.name, TITLE_WIDTH, TITLE_LINES) or escape_label(
        writer.gettext("(no title)")
    )
    facts = [writer.gettext("Head count %(n)s") % {"n": _headcount_text(role.target)}]
    if role.priority:
        facts.append(writer.gettext("Priority %(n)s") % {"n": role.priority})
    facts.append(writer.employment.get(role.employment_type, role.employment_type))
    if planned:
        facts.append(writer.gettext("planned"))
    href = writer.role_href(role.pk)
    department = label_text(role.department, NAME_WIDTH, 2) or escape_label(
        writer.gettext("(no name)")
    )
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" HREF="{href}" '
        f'TOOLTIP="{tooltip_text(role.name)}">'
        f'<TR><TD><FONT COLOR="{colour}"><B>{title}</B></FONT></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="#334155">{department}</FONT></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="{colour}">{escape_label(" · ".join(facts))}</FONT>'
        "</TD></TR>" + _continued(writer, role) + "</TABLE>>"
    )


def draw(drawing: Drawing, options: ChartOptions) -> Chart:
    """The chart of a drawing, in the view `options` asks for."""
    writer = DotWriter(drawing, options)
    if options.view == VIEW_REPORTING:
        count = _reporting_chart(writer)
    else:
        count = _departments_chart(writer)
    stem = [writer.slug, "org-chart", options.view]
    if drawing.phase is not None:
        stem.append(f"phase{drawing.phase.order}")
    if options.root is not None:
        stem.append(f"root{options.root}")
    if options.depth is not None:
        stem.append(f"depth{options.depth}")
    if options.orient != ORIENT_TOP_DOWN:
        stem.append(options.orient)
    if options.full:
        stem.append("full")
    return Chart(
        source=writer.source(),
        file_stem="-".join(stem),
        node_count=count,
        depth_shown=drawing.depth,
        collapsed=drawing.depth < (options.depth or drawing.full_depth),
        links=writer.links,
    )
