"""What a chart draws, built from the one design reader (`roles.selectors.organization_design`).

A `Drawing` holds only the boxes on the page, their text already in the content language, and
for a box whose subtree is cut off the size of what is hidden ("+N more"). It comes from the
database (`read_drawing`: the outline of the tree drawn, then only the part that fits, whatever
the size of the organization) or from a whole design already in memory (`drawing_from_design`);
both give the same drawing for the same design.

A chart too big to read is collapsed to the deepest level at which it has at most MAX_ITEMS items
(a department box counts one plus the role lines it lists).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from departments.models import Department, Organization
from roles.charts.options import VIEW_REPORTING, ChartOptions
from roles.models import Role
from roles.selectors import (
    DEPARTMENT_TREE,
    ROLE_TREE,
    Below,
    Design,
    TreeOutline,
    design_outline,
    organization_design,
)
from roles.selectors.department_headcount import (
    DepartmentHeadcounts,
    department_headcount,
    department_headcount_in_phase,
)
from teamorg.i18n import content_language, translated_text

# Beyond this many boxes plus role lines a chart is unreadable on a screen or a slide; such a
# chart is collapsed to the deepest level that fits.
MAX_ITEMS = 300
# Roles listed inside one department box before the rest become one "+N more roles" line.
MAX_ROWS_PER_DEPARTMENT = 30


class Target(NamedTuple):
    min_count: int
    max_count: int


class Phase(NamedTuple):
    pk: int
    order: int
    name: str


class RoleLine(NamedTuple):
    """A role line inside a department box."""

    pk: int
    title: str
    employment_type: str
    target: Target | None


@dataclass(slots=True)
class Box:
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
    target: Target | None = None
    # printed charts only: where the part cut off below this box continues ("continued on
    # page N"), a placeholder `roles.charts.printing` replaces with the page number
    continued_on: str = ""
    # departments view: the department's own head count in the phase drawn (部门定编, None
    # when unset) and the sum of the roles in it and its sub-departments there
    planned: Target | None = None
    subtree: Target | None = None


class Line(NamedTuple):
    from_department: int | None
    to_department: int | None
    from_role: int | None
    to_role: int | None
    description: str


@dataclass
class Drawing:
    organization: Organization
    phase: Phase | None
    root_name: str | None
    boxes: list[Box]  # depth-first, as drawn
    depth: int  # levels drawn
    full_depth: int  # levels there are below the root
    lines: list[Line]  # collaboration lines, at least those between drawn boxes
    roles: dict[int, list[RoleLine]] = field(default_factory=dict)  # roles of a drawn department
    # role lines listed in one department box before "+N more roles"; None lists them all
    max_rows: int | None = MAX_ROWS_PER_DEPARTMENT
    # a page of a printed chart (`roles.charts.printing`): no title, the page header says it
    for_print: bool = False
    legend: bool = True  # a printed page other than the first lists only its collaboration lines


_NO_PHASE = gettext_noop("This organization has no growth phase %(id)s.")


def tree_of(options: ChartOptions) -> str:
    """The design tree a view draws."""
    return ROLE_TREE if options.view == VIEW_REPORTING else DEPARTMENT_TREE


def fitting_depth(per_level: Mapping[int, int], requested: int | None) -> int:
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


def read_drawing(organization: Organization, options: ChartOptions) -> Drawing:
    """What to draw, read from the database through the design reader: the outline of the tree
    drawn, then only the part of the design that fits; four queries (five for a reporting chart
    from a root), whatever the size of the organization. Nodes below the depth drawn are never
    read: what a collapsed box hides is counted from MPTT bounds and the outline.

    Raises `Department.DoesNotExist` / `Role.DoesNotExist` for a root that is not a node of this
    organization's tree, ValidationError for a phase that is not one of its phases."""
    outline = design_outline(organization, tree=tree_of(options), root=options.root)
    if options.full:
        depth = min(options.depth or outline.depth, outline.depth) or 1
    else:
        depth = fitting_depth(_items_per_level(outline), options.depth)
    design = organization_design(organization, part=outline.part(depth=depth, phase=options.phase))
    roots = design.role_roots if options.view == VIEW_REPORTING else design.department_roots
    return _drawing(
        design,
        options,
        roots=roots,
        root=outline.root,
        depth=depth,
        full_depth=outline.depth,
        below=design.below,
    )


def _items_per_level(outline: TreeOutline) -> dict[int, int]:
    if outline.tree == ROLE_TREE:
        return outline.nodes_per_level
    per_level: dict[int, int] = {}
    for department in outline.departments:
        level = outline.level(department)
        weight = 1 + min(department.roles_count, MAX_ROWS_PER_DEPARTMENT)
        per_level[level] = per_level.get(level, 0) + weight
    return per_level


def drawing_from_design(design: Design, options: ChartOptions) -> Drawing:
    """What to draw, from a whole design already in memory (no query).

    Raises `Department.DoesNotExist` / `Role.DoesNotExist` for a root that is not in the design,
    ValidationError for a phase that is not one of its phases."""
    if design.part is not None:
        raise ValueError("a part of a design is drawn as it is read: use read_drawing()")
    reporting = options.view == VIEW_REPORTING
    roots: list = design.role_roots if reporting else design.department_roots
    root = None
    if options.root is not None:
        model = Role if reporting else Department
        nodes = design.roles if reporting else design.departments
        root = next((node for node in nodes if node.pk == options.root), None)
        if root is None:
            raise model.DoesNotExist(f"no {model.__name__} {options.root} in this design")
        roots = [root]

    order = list(_walk(design, roots))
    per_level: dict[int, int] = {}
    for node, level in order:
        weight = 1 if reporting else 1 + min(_own_roles(design, node), MAX_ROWS_PER_DEPARTMENT)
        per_level[level] = per_level.get(level, 0) + weight
    full_depth = max(per_level, default=0)
    if options.full:
        depth = min(options.depth or full_depth, full_depth) or 1
    else:
        depth = fitting_depth(per_level, options.depth)
    below = tree_below(design, roots, reporting=reporting, order=order)
    return _drawing(
        design,
        options,
        roots=roots,
        root=root,
        depth=depth,
        full_depth=full_depth,
        below=below,
    )


def _own_roles(design: Design, department) -> int:
    return len(design.roles_by_department.get(department.pk, []))


def tree_below(
    design: Design, roots: Iterable, *, reporting: bool, order: list | None = None
) -> dict[int, Below]:
    """For every node under `roots`: how many nodes lie below it and, in the departments view,
    how many roles those departments hold; one pass from the leaves up."""
    below: dict[int, Below] = {}
    for node, _level in reversed(order if order is not None else list(_walk(design, roots))):
        nodes = roles = 0
        for child in design.children(node):
            child_below = below[child.pk]
            nodes += 1 + child_below.nodes
            roles += (0 if reporting else _own_roles(design, child)) + child_below.roles
        below[node.pk] = Below(nodes, roles)
    return below


def page_drawing(
    design: Design,
    options: ChartOptions,
    *,
    tops: list,
    depth: int,
    below: Mapping[int, Below],
    continued_on: Mapping[int, str],
    skip: frozenset[int] = frozenset(),
    more_children: Mapping[int, Below] | None = None,
) -> Drawing:
    """One page of a printed chart: the subtrees of `tops` (each drawn at level 1) down to
    `depth` levels, without those of the nodes in `skip`, every role line of every department
    box, no title. A box on the last level with nodes below it says where they continue
    (`continued_on`, by node id), as does a top whose other children are on another page
    (`more_children`: what they hold, by node id)."""
    drawing = _drawing(
        design,
        options,
        roots=tops,
        root=None,
        depth=depth,
        full_depth=depth,
        below=below,
        skip=skip,
    )
    for box in drawing.boxes:
        box.continued_on = continued_on.get(box.pk, "")
        if more_children and box.pk in more_children:
            box.hidden, box.hidden_roles = more_children[box.pk]
    drawing.max_rows = None
    drawing.for_print = True
    return drawing


def _walk(
    design: Design,
    roots: Iterable,
    depth_limit: int | None = None,
    skip: frozenset[int] = frozenset(),
):
    """(node, level) depth-first, level 1 for the roots, leaving out the nodes in `skip`."""
    stack = [(node, 1) for node in reversed(list(roots))]
    while stack:
        node, level = stack.pop()
        yield node, level
        if depth_limit is None or level < depth_limit:
            stack.extend(
                (child, level + 1)
                for child in reversed(design.children(node))
                if child.pk not in skip
            )


def _drawing(
    design: Design,
    options: ChartOptions,
    *,
    roots: list,
    root: Department | Role | None,
    depth: int,
    full_depth: int,
    below: Mapping[int, Below],
    skip: frozenset[int] = frozenset(),
) -> Drawing:
    """The drawing of the nodes under `roots` down to `depth` levels, without the subtrees of
    the nodes in `skip`; `below` gives what lies under the boxes on the last level."""
    language = content_language()

    def name(node) -> str:
        return translated_text(node.name_zh, node.name_en, language)

    def title(node) -> str:
        return translated_text(node.title_zh, node.title_en, language)

    phase = _chosen_phase([Phase(p.pk, p.order, name(p)) for p in design.phases], options.phase)

    def target(role_pk: int) -> Target | None:
        found = design.headcount.get((role_pk, phase.pk)) if phase is not None else None
        return None if found is None else Target(found.min_count, found.max_count)

    reporting = options.view == VIEW_REPORTING
    counts = None if reporting or phase is None else _department_counts(design, phase.pk)
    nothing_below = Below(0, 0)
    boxes, by_department = [], {}
    for node, level in _walk(design, roots, depth, skip):
        hidden = below.get(node.pk, nothing_below) if level == depth else nothing_below
        if reporting:
            department = node.department
            box = Box(
                node.pk,
                node.reports_to_id,
                level,
                title(node),
                department.function_group or "",
                hidden.nodes,
                department=name(department),
                employment_type=node.employment_type,
                priority=node.hiring_priority,
                target=target(node.pk),
            )
        else:
            box = Box(node.pk, node.parent_id, level, name(node), node.function_group or "")
            box.hidden, box.hidden_roles = hidden.nodes, hidden.roles
            if counts is not None:
                cell = counts.get(node.pk, phase.pk)
                if cell.planned is not None:
                    box.planned = Target(*cell.planned)
                    box.subtree = Target(*cell.roles)
            by_department[node.pk] = [
                RoleLine(role.pk, title(role), role.employment_type, target(role.pk))
                for role in design.roles_by_department.get(node.pk, [])
            ]
        boxes.append(box)
    lines = [
        Line(
            line.from_department_id,
            line.to_department_id,
            line.from_role_id,
            line.to_role_id,
            translated_text(line.description_zh, line.description_en, language),
        )
        for line in design.collaborations
    ]
    return Drawing(
        organization=design.organization,
        phase=phase,
        root_name=None if root is None else (title(root) if reporting else name(root)),
        boxes=boxes,
        depth=depth,
        full_depth=full_depth,
        lines=lines,
        roles=by_department,
        max_rows=None if options.full else MAX_ROWS_PER_DEPARTMENT,
    )


def _department_counts(design: Design, phase_id: int) -> DepartmentHeadcounts:
    """The departments' own head count and their subtrees' role sums: for a part of a design,
    that phase's in one query; for a whole design, every phase's, read once and kept on it (a
    printed chart draws many pages from one design)."""
    if design.part is not None:
        return department_headcount_in_phase(design.organization.pk, phase_id)
    if design.department_counts is None:
        design.department_counts = department_headcount([design.organization.pk])
    return design.department_counts


def _chosen_phase(phases: list[Phase], requested: int | None) -> Phase | None:
    if requested is None:
        return phases[0] if phases else None
    for phase in phases:
        if phase.pk == requested:
            return phase
    raise ValidationError(
        {"phase": ValidationError(_(_NO_PHASE) % {"id": requested}, code="not_found")}
    )
