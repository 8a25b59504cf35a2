"""Server-side SVG plots of the head-count plan: head count by department per phase (stacked
bars), cumulative hires along the hiring roadmap (a step line) and the head-count change per
department between two designs or phases (diverging bars).

Hand-built SVG strings, no plotting dependency and no front-end build. Every piece of user text
goes through `escape` before it enters the markup; numbers are formatted by us. Fonts name the
CJK font the system has, so Chinese labels render in browsers and in WeasyPrint alike.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import pgettext

from roles.planning.compare import Comparison
from roles.planning.data import Range
from roles.planning.plan import HeadcountPlan

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
PALETTE = (
    "#0b69a3",
    "#f0b429",
    "#27ab83",
    "#e12d39",
    "#8719e0",
    "#f368e0",
    "#2cb1bc",
    "#9f580a",
    "#486581",
    "#a5d6a7",
)
OTHER_COLOUR = "#bcccdc"
INK, MUTED, LINE = "#1f2933", "#616e7c", "#d9e2ec"
GROW, SHRINK = "#27ab83", "#e12d39"
MAX_SEGMENTS = len(PALETTE)
MAX_LABEL = 14  # characters of a label before it is shortened (the full text stays in <title>)


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start",
          colour: str = INK, weight: str = "normal", extra: str = "") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}" font-weight="{weight}"{extra}>{escape(text)}</text>'
    )


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
    )


def _nice_top(value: int) -> int:
    """A round axis maximum at or above `value`."""
    if value <= 5:
        return max(value, 1)
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        top = int(step * factor)
        if top >= value:
            return top
    return value


def _ticks(top: int, count: int = 5) -> list[int]:
    step = max(1, -(-top // count))
    return list(range(0, top + 1, step))


def plot_level(plan: HeadcountPlan) -> int:
    """The first meaningful level of the department tree for the bar chart: the top level, or,
    while it is a single department with sub-departments, the level below (a 总经办 or a 决策委员会
    that holds everything would otherwise be the only bar)."""
    level = [row.department for row in plan.departments if row.department.parent_id is None]
    depth = 0
    while len(level) == 1 and level[0]._cached_children:
        level = list(level[0]._cached_children)
        depth += 1
    return depth


def _segments(plan: HeadcountPlan, level: int | None = None) -> list[tuple[str, list[Range]]]:
    """The stacks of the bar chart: the departments at `level` of the tree (0: the top; None:
    `plot_level`), each with its whole subtree, plus, for each department above that level,
    its own roles as one segment; at most MAX_SEGMENTS, the smallest merged into "other"."""
    level = plot_level(plan) if level is None else level
    segments: list[tuple[str, list[Range]]] = []
    for row in plan.departments:  # depth-first: a parent's own segment comes before its parts
        depth = row.department.depth
        if depth < level and row.department._cached_children:
            if any(not r.is_zero for r in row.own):
                name = pgettext("plan", "%(name)s (itself)") % {"name": row.department.name}
                segments.append((name, row.own))
        elif depth < level or depth == level:
            segments.append((row.department.name, row.total))
    segments = [s for s in segments if any(not r.is_zero for r in s[1])]
    if len(segments) > MAX_SEGMENTS:
        segments.sort(key=lambda s: -max(r.max for r in s[1]))
        kept, rest = segments[: MAX_SEGMENTS - 1], segments[MAX_SEGMENTS - 1 :]
        other = [Range()] * len(plan.phases)
        for _name, values in rest:
            other = [a + b for a, b in zip(other, values, strict=True)]
        segments = kept + [(pgettext("plan", "Other departments"), other)]
    return segments


def headcount_by_department_svg(plan: HeadcountPlan, level: int | None = None) -> str:
    """Stacked bars: one bar per phase, one colour per department of `level` (see
    `_segments`; upper head count); the range of the whole organization is written above each
    bar."""
    title = pgettext("plan", "Head count by department and phase")
    phases = plan.phases
    if not phases:
        return _svg(480, 60, title, [_text(10, 35, pgettext("plan", "No phases yet."))])
    segments = _segments(plan, level)
    top = _nice_top(max([t.max for t in plan.totals] + [1]))
    bar_width, gap, left, top_pad, plot_height = 70, 40, 56, 36, 240
    legend_width = 200
    width = left + len(phases) * (bar_width + gap) + legend_width
    height = top_pad + plot_height + 56
    scale = plot_height / top
    base_y = top_pad + plot_height
    body = [_text(left, 20, title, size=14, weight="bold")]
    for tick in _ticks(top):
        y = base_y - tick * scale
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + len(phases) * (bar_width + gap)}" '
            f'y2="{y:.1f}" stroke="{LINE}"/>'
        )
        body.append(_text(left - 6, y + 4, f"{tick:,}", size=11, anchor="end", colour=MUTED))
    for index, phase in enumerate(phases):
        x = left + gap / 2 + index * (bar_width + gap)
        y = base_y
        for colour_index, (name, values) in enumerate(segments):
            value = values[index].max
            if not value:
                continue
            h = value * scale
            y -= h
            colour = PALETTE[colour_index % len(PALETTE)]
            if name == pgettext("plan", "Other departments"):
                colour = OTHER_COLOUR
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width}" height="{h:.1f}" '
                f'fill="{colour}" stroke="#fff"><title>{escape(name)} · {escape(phase.name)}: '
                f"{escape(str(values[index]))}</title></rect>"
            )
        total = plan.totals[index]
        body.append(
            _text(x + bar_width / 2, base_y - total.max * scale - 6, str(total), size=12,
                  anchor="middle", weight="bold")
        )  # fmt: skip
        body.append(
            _text(x + bar_width / 2, base_y + 18, _short(phase.name, 10), size=12,
                  anchor="middle")
        )  # fmt: skip
    body.append(
        _text(left, height - 10, pgettext("plan", "Bars: upper head count; numbers: min–max."),
              size=11, colour=MUTED)
    )  # fmt: skip
    legend_x = left + len(phases) * (bar_width + gap) + 10
    for colour_index, (name, _values) in enumerate(reversed(segments)):
        index = len(segments) - 1 - colour_index
        colour = PALETTE[index % len(PALETTE)]
        if name == pgettext("plan", "Other departments"):
            colour = OTHER_COLOUR
        y = top_pad + colour_index * 20
        body.append(f'<rect x="{legend_x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        body.append(
            _text(legend_x + 18, y + 11, _short(name), size=12,
                  extra=f' data-full="{escape(name)}"')
        )  # fmt: skip
    return _svg(width, height, title, body)


ROADMAP_COLUMNS = 360  # the most columns the roadmap plot draws (longer roadmaps are grouped)


def cumulative_hires_svg(plan: HeadcountPlan) -> str:
    """The planned head count after each step of the hiring roadmap (it ends on the final
    phase's total): the upper line for the maximum, the lower for the minimum; a dashed rule
    where each phase begins."""
    title = pgettext("plan", "Planned head count along the roadmap")
    steps = plan.roadmap
    if not steps:
        return _svg(480, 60, title, [_text(10, 35, pgettext("plan", "No hires planned yet."))])
    left, top_pad, plot_height, right = 56, 36, 220, 20
    # A long roadmap (15,000 steps at 5,000 roles) is drawn in at most ROADMAP_COLUMNS columns,
    # each the run of consecutive steps it covers, ending at the last one's head count: the
    # plot stays a page wide and a few kilobytes, whatever the size of the plan.
    per_column = -(-len(steps) // ROADMAP_COLUMNS)
    columns = [steps[start : start + per_column] for start in range(0, len(steps), per_column)]
    step_width = max(4.0, min(36.0, 720 / len(columns)))
    plot_width = step_width * len(columns)
    width = int(left + plot_width + right)
    show_labels = len(steps) <= 30
    height = top_pad + plot_height + (110 if show_labels else 40)
    top = _nice_top(max(max(step.cumulative.max for step in steps), 1))
    scale = plot_height / top
    base_y = top_pad + plot_height
    body = [_text(left, 20, title, size=14, weight="bold")]
    for tick in _ticks(top):
        y = base_y - tick * scale
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width:.1f}" y2="{y:.1f}" '
            f'stroke="{LINE}"/>'
        )
        body.append(_text(left - 6, y + 4, f"{tick:,}", size=11, anchor="end", colour=MUTED))

    def path(pick) -> str:
        points = [f"M{left:.1f},{base_y:.1f}"]
        for index, column in enumerate(columns):
            x0, x1 = left + index * step_width, left + (index + 1) * step_width
            y = base_y - pick(column[-1].cumulative) * scale
            points.append(f"L{x0:.1f},{y:.1f} L{x1:.1f},{y:.1f}")
        return " ".join(points)

    body.append(
        f'<path d="{path(lambda r: r.max)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
    )
    body.append(
        f'<path d="{path(lambda r: r.min)}" fill="none" stroke="{PALETTE[2]}" stroke-width="2" '
        f'stroke-dasharray="4 3"/>'
    )
    previous_phase = None
    for index, column in enumerate(columns):
        step = column[-1]
        x = left + index * step_width
        y = base_y - step.cumulative.max * scale
        if len(column) == 1:
            tip = (
                f"{step.number}. {escape(step.role.title)} {escape(str(step.before))} → "
                f"{escape(str(step.after))}: {escape(str(step.cumulative))}"
            )
        else:
            tip = f"{column[0].number}–{step.number}: {escape(str(step.cumulative))}"
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step_width:.1f}" '
            f'height="{base_y - y:.1f}" fill="transparent"><title>{tip}</title></rect>'
        )
        # The first step of a new phase in this column marks where that phase begins.
        step = next((s for s in column if s.phase.pk != previous_phase), step)
        if step.phase.pk != previous_phase:
            previous_phase = step.phase.pk
            body.append(
                f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{base_y}" '
                f'stroke="{MUTED}" stroke-dasharray="3 3"/>'
            )
            body.append(_text(x + 3, top_pad + 12, _short(step.phase.name, 10), size=11,
                              colour=MUTED))  # fmt: skip
        previous_phase = column[-1].phase.pk
        if show_labels:
            cx = x + step_width / 2
            body.append(
                _text(cx, base_y + 12, _short(step.role.title, 9), size=11, anchor="end",
                      extra=f' transform="rotate(-60 {cx:.1f} {base_y + 12:.1f})"')
            )  # fmt: skip
    last = steps[-1].cumulative
    body.append(
        _text(left + plot_width, base_y - last.max * scale - 6, str(last), size=12,
              anchor="end", weight="bold")
    )  # fmt: skip
    legend_y = height - 12
    body.append(f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 20}" y2="{legend_y - 4}" '
                f'stroke="{PALETTE[0]}" stroke-width="2"/>')  # fmt: skip
    body.append(_text(left + 24, legend_y, pgettext("plan", "at most"), size=11))
    body.append(f'<line x1="{left + 90}" y1="{legend_y - 4}" x2="{left + 110}" '
                f'y2="{legend_y - 4}" stroke="{PALETTE[2]}" stroke-width="2" '
                f'stroke-dasharray="4 3"/>')  # fmt: skip
    body.append(_text(left + 114, legend_y, pgettext("plan", "at least"), size=11))
    return _svg(width, height, title, body)


def comparison_svg(comparison: Comparison, *, limit: int = 40) -> str:
    """Diverging bars of the head-count change (upper count) per department, one bar per
    compared phase; added and removed departments are marked. At most `limit` departments,
    the largest changes first."""
    title = pgettext("plan", "Head-count change by department")
    rows = [d for d in comparison.departments if d.changed]
    rows.sort(key=lambda d: -max((abs(x.max) for x in d.delta), default=0))
    rows = rows[:limit]
    if not rows:
        return _svg(480, 60, title, [_text(10, 35, pgettext("plan", "No head-count changes."))])
    columns = len(comparison.columns) or 1
    bar_height, row_gap, label_width, half = 11, 10, 190, 180
    row_height = columns * bar_height + row_gap
    top_pad = 40
    width = label_width + 2 * half + 40
    height = top_pad + len(rows) * row_height + 40
    biggest = max(abs(x.max) for d in rows for x in d.delta) or 1
    scale = (half - 30) / biggest
    axis_x = label_width + half
    body = [_text(10, 20, title, size=14, weight="bold")]
    body.append(
        f'<line x1="{axis_x}" y1="{top_pad - 6}" x2="{axis_x}" '
        f'y2="{top_pad + len(rows) * row_height}" stroke="{MUTED}"/>'
    )
    for index, row in enumerate(rows):
        y = top_pad + index * row_height
        label = _short(row.label, 12)
        if row.status:
            marker = {"added": pgettext("plan", "new"), "removed": pgettext("plan", "removed")}
            label = f"{label} ({marker[row.status]})"
        body.append(
            _text(label_width - 8, y + columns * bar_height / 2 + 4, label, size=12,
                  anchor="end", weight="bold" if row.status else "normal")
        )  # fmt: skip
        for column, delta in enumerate(row.delta):
            value = delta.max
            bar = abs(value) * scale
            x = axis_x if value >= 0 else axis_x - bar
            by = y + column * bar_height
            colour = GROW if value >= 0 else SHRINK
            opacity = 1.0 if column == columns - 1 else 0.55
            body.append(
                f'<rect x="{x:.1f}" y="{by:.1f}" width="{max(bar, 1):.1f}" '
                f'height="{bar_height - 1}" fill="{colour}" fill-opacity="{opacity}">'
                f"<title>{escape(row.label)} · {escape(comparison.columns[column])}: "
                f"{escape(delta.signed())}</title></rect>"
            )
            tx = x + bar + 4 if value >= 0 else x - 4
            body.append(
                _text(tx, by + bar_height - 2, Range(value, value).signed(), size=9,
                      anchor="start" if value >= 0 else "end", colour=MUTED)
            )  # fmt: skip
    caption = pgettext(
        "plan", "Change of the upper head count, %(base)s → %(target)s; one bar per phase."
    ) % {"base": comparison.base_label, "target": comparison.target_label}
    body.append(_text(10, height - 12, _short(caption, 90), size=11, colour=MUTED))
    return _svg(width, height, title, body)


def plan_svgs(plan: HeadcountPlan, level: int | None = None) -> dict[str, str]:
    """The plan's plots as SVG documents (UTF-8 text), for the plan page and the handbook;
    `level` is the department level of the bar chart (None: the first meaningful one)."""
    return {
        "headcount_by_department": headcount_by_department_svg(plan, level),
        "cumulative_hires": cumulative_hires_svg(plan),
    }
