"""The outlines of the editor and the overview, rendered in Python: only what is on screen.

A 5,000-role design as one outline is 21 MB of HTML and most of a page's time (a template
`{% include %}` per node, a `{% translate %}` and a `{% url %}` per button). So an outline shows
the levels that fit in `OUTLINE_BUDGET` nodes (at least the roots and their children; a small
design whole), and a node whose children are not shown has a toggle that loads them on demand
(`children_html`, the editor's and the overview's expand endpoints). A search box finds a node
by name (`find_nodes`) and the outline opens the path to it (`OutlineView.show`).

What the user has opened or closed survives every redraw: the page sends the nodes whose state
differs from the server's default in the `X-TeamOrg-View` header (static/js/editor.js), the same
keys a link may carry in its query (`expanded`, `collapsed`, `show`), see `outline_view`.

Each row is built with `format_html` from labels translated and URLs reversed once per page
(`EditorLabels`, `OverviewLabels`), never per node.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roles.selectors.design import Design
from roles.templatetags.bilingual import render_shown
from teamorg.i18n import content_language, shown_text
from teamorg.limits import NAME_MAX_LENGTH

OUTLINE_BUDGET = 150  # nodes an outline shows before the user opens anything
FOUND_AT_MOST = 20  # search results shown
VIEW_HEADER = "X-TeamOrg-View"
_PLACEHOLDER = 987654321


@dataclass
class OutlineView:
    """What the user has open: nodes opened beyond the default (`expanded`), nodes closed that
    the default opens (`collapsed`), each as "<kind>-<pk>", and a node to reveal (`show`)."""

    expanded: set[str] = field(default_factory=set)
    collapsed: set[str] = field(default_factory=set)
    show: str = ""
    query: QueryDict = field(default_factory=QueryDict)


def outline_view(request: HttpRequest | None, *, reveal: str = "") -> OutlineView:
    """The view a request asks for: the page's header (htmx requests) and the address's query;
    anything malformed is ignored (the default view), never an error."""
    if request is None:
        return OutlineView(show=reveal)
    data = QueryDict(request.headers.get(VIEW_HEADER, ""), mutable=True)
    for key, values in request.GET.lists():
        data.setlist(key, values)
    return OutlineView(
        expanded={key for key in data.getlist("expanded") if _is_node_key(key)},
        collapsed={key for key in data.getlist("collapsed") if _is_node_key(key)},
        show=reveal or (data.get("show", "") if _is_node_key(data.get("show", "")) else ""),
        query=data,
    )


def _is_node_key(key: str) -> bool:
    kind, _, pk = key.partition("-")
    return kind in {"departments", "roles"} and pk.isdigit() and len(pk) < 12


def default_depth(nodes: list, budget: int = OUTLINE_BUDGET) -> int:
    """The deepest level an outline shows by default: as many levels as fit in `budget` nodes,
    at least the roots and their children."""
    per_level = Counter(node.depth for node in nodes)
    shown, depth = 0, -1
    for level in sorted(per_level):
        shown += per_level[level]
        if shown > budget and depth >= 1:
            break
        depth = level
    return max(depth, 1)


def _path_keys(design: Design, key: str) -> set[str]:
    """The keys of the ancestors of node `key` (opening them shows it)."""
    kind, _, pk = key.partition("-")
    find = design.department if kind == "departments" else design.role
    try:
        node = find(int(pk))
    except (KeyError, ValueError):
        return set()
    parent_attr = "parent_id" if kind == "departments" else "reports_to_id"
    keys = set()
    while getattr(node, parent_attr) is not None:
        try:
            node = find(getattr(node, parent_attr))
        except KeyError:
            break
        keys.add(f"{kind}-{node.pk}")
    return keys


def _url_maker(name: str, *args) -> callable:
    """pk → URL, reversing once (a `{% url %}` per node was a large part of the page)."""
    head, _, tail = reverse(name, args=[*args, _PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def _shown(node, name: str, language: str) -> SafeString:
    return render_shown(
        shown_text(getattr(node, f"{name}_zh"), getattr(node, f"{name}_en"), language)
    )


class _Opened:
    """Which nodes of one tree are open: the default depth, the user's changes, the path to
    the node to reveal."""

    def __init__(self, kind: str, depth: int, view: OutlineView, path: set[str]):
        self.kind, self.depth, self.view, self.path = kind, depth, view, path

    def default(self, node) -> bool:
        return node.depth < self.depth

    def __call__(self, node) -> bool:
        key = f"{self.kind}-{node.pk}"
        if key in self.path or key in self.view.expanded:
            return True
        return self.default(node) and key not in self.view.collapsed


def _toggle(kind: str, node, opened: bool, default: bool, label: str, url: str) -> SafeString:
    """The button that opens or closes a node's children (static/js/editor.js loads them from
    `url` the first time); `data-default` says what the server shows without being asked."""
    return format_html(
        '<button type="button" class="node-toggle" data-toggle data-children-url="{}" '
        'data-default="{}" aria-expanded="{}" aria-controls="children-{}-{}" title="{}" '
        'aria-label="{}">{}</button>',
        url,
        "expanded" if default else "collapsed",
        "true" if opened else "false",
        kind,
        node.pk,
        label,
        label,
        "▾" if opened else "▸",
    )


NO_TOGGLE = mark_safe('<span class="node-toggle-space" aria-hidden="true"></span>')


def _children_list(kind: str, node, opened: bool, inner: str) -> SafeString:
    if opened:
        return format_html('<ul class="children" id="children-{}-{}">{}</ul>', kind, node.pk,
                           mark_safe(inner))  # fmt: skip  # noqa: S308 - built with format_html
    return format_html('<ul class="children" id="children-{}-{}" hidden></ul>', kind, node.pk)


# --- the editor --------------------------------------------------------------------------------


class EditorLabels:
    """Everything an editor row needs that is the same for every node: translated words and
    URL makers, made once per page."""

    def __init__(self, slug: str):
        self.language = content_language()
        self.edit = _("Edit")
        self.rename = _("Rename")
        self.move = _("Move to…")
        self.delete = _("Delete")
        self.add_department = _("Add a sub-department")
        self.add_report = _("Add a direct report")
        self.charter_of = _("Edit the charter of %(name)s")
        self.details_of = _("Edit the details of %(name)s")
        self.rename_of = _("Rename %(name)s")
        self.add_department_to = _("Add a sub-department to %(name)s")
        self.add_report_to = _("Add a direct report to %(name)s")
        self.move_of = _("Move %(name)s to…")
        self.delete_of = _("Delete %(name)s")
        self.sub_departments_of = _("Sub-departments of %(name)s")
        self.reports_of = _("Direct reports of %(name)s")
        self.role_counts: dict[int, str] = {}
        self.urls = {
            kind: {
                "rename": _url_maker("editor-rename", slug, kind),
                "move": _url_maker("editor-move-form", slug, kind),
                "delete": _url_maker("editor-delete", slug, kind),
                "children": _url_maker("editor-children", slug, kind),
            }
            for kind in ("departments", "roles")
        }
        self.department_form = _url_maker("editor-department", slug)
        self.role_form = _url_maker("editor-role", slug)
        self.add = {kind: reverse("editor-add", args=[slug, kind]) for kind in self.urls}

    def role_count(self, count: int) -> str:
        if count not in self.role_counts:
            self.role_counts[count] = ngettext("%(counter)s role", "%(counter)s roles", count) % {
                "counter": count
            }
        return self.role_counts[count]


def _department_row(node, labels: EditorLabels, toggle: SafeString) -> SafeString:
    name = node.name
    urls = labels.urls["departments"]
    values = {"name": name}
    return format_html(
        '<div class="node-row" draggable="true" data-drag data-drop data-kind="departments">'
        '{}<span class="grip" aria-hidden="true">⠿</span>'
        '<span class="node-label"><span class="node-name" tabindex="-1">{}</span> '
        '<span class="node-meta">{}</span></span>'
        '<span class="node-actions">'
        '<button type="button" class="edit-button" aria-label="{}" hx-get="{}" '
        'hx-target="#role-panel">{}</button> '
        '<button type="button" class="icon" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}" hx-target="#slot-departments-{}">✎</button> '
        '<button type="button" class="icon" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}?parent={}" hx-target="#slot-departments-{}">+</button> '
        '<button type="button" class="icon" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}" hx-target="#slot-departments-{}">⇅</button> '
        '<button type="button" class="icon danger" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}" hx-target="#slot-departments-{}">✕</button>'
        "</span></div>"
        '<div class="node-slot" id="slot-departments-{}" data-slot></div>',
        toggle,
        _shown(node, "name", labels.language),
        labels.role_count(node.role_count),
        labels.charter_of % values,
        labels.department_form(node.pk),
        labels.edit,
        labels.rename,
        labels.rename_of % values,
        urls["rename"](node.pk),
        node.pk,
        labels.add_department,
        labels.add_department_to % values,
        labels.add["departments"],
        node.pk,
        node.pk,
        labels.move,
        labels.move_of % values,
        urls["move"](node.pk),
        node.pk,
        labels.delete,
        labels.delete_of % values,
        urls["delete"](node.pk),
        node.pk,
        node.pk,
    )


def _role_row(node, labels: EditorLabels, toggle: SafeString) -> SafeString:
    name = node.title
    urls = labels.urls["roles"]
    values = {"name": name}
    return format_html(
        '<div class="node-row" draggable="true" data-drag data-drop data-kind="roles">'
        '{}<span class="grip" aria-hidden="true">⠿</span>'
        '<span class="node-label"><button type="button" class="node-name link" hx-get="{}" '
        'hx-target="#role-panel" aria-label="{}">{}</button> '
        '<span class="node-meta">{}</span></span>'
        '<span class="node-actions">'
        '<button type="button" class="icon" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}" hx-target="#slot-roles-{}">✎</button> '
        '<button type="button" class="icon" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}?manager={}" hx-target="#slot-roles-{}">+</button> '
        '<button type="button" class="icon" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}" hx-target="#slot-roles-{}">⇅</button> '
        '<button type="button" class="icon danger" data-opens-slot title="{}" aria-label="{}" '
        'hx-get="{}" hx-target="#slot-roles-{}">✕</button>'
        "</span></div>"
        '<div class="node-slot" id="slot-roles-{}" data-slot></div>',
        toggle,
        labels.role_form(node.pk),
        labels.details_of % values,
        _shown(node, "title", labels.language),
        _shown(node.department, "name", labels.language) if node.department else "",
        labels.rename,
        labels.rename_of % values,
        urls["rename"](node.pk),
        node.pk,
        labels.add_report,
        labels.add_report_to % values,
        labels.add["roles"],
        node.pk,
        node.pk,
        labels.move,
        labels.move_of % values,
        urls["move"](node.pk),
        node.pk,
        labels.delete,
        labels.delete_of % values,
        urls["delete"](node.pk),
        node.pk,
        node.pk,
    )


def _editor_nodes(kind: str, nodes: list, labels: EditorLabels, opened: _Opened | None) -> str:
    """`<li>` rows of `nodes`, each with its subtree where it is open (`opened` None: every
    node closed, as the expand endpoint answers)."""
    row = _department_row if kind == "departments" else _role_row
    toggle_label = labels.sub_departments_of if kind == "departments" else labels.reports_of
    name_of = "name" if kind == "departments" else "title"
    parts = []
    for node in nodes:
        children = Design.children(node)
        is_open = bool(children) and opened is not None and opened(node)
        if node.has_children:
            default = opened.default(node) if opened is not None else False
            label = toggle_label % {"name": getattr(node, name_of)}
            url = labels.urls[kind]["children"](node.pk)
            toggle = _toggle(kind, node, is_open, default, label, url)
        else:
            toggle = NO_TOGGLE
        inner = _editor_nodes(kind, children, labels, opened) if is_open else ""
        parts.append(
            format_html(
                '<li class="node" id="{}-{}" data-node="{}" data-kind="{}">{}{}</li>',
                kind,
                node.pk,
                node.pk,
                kind,
                row(node, labels, toggle),
                _children_list(kind, node, is_open, inner) if node.has_children else "",
            )
        )
    return "".join(parts)


def editor_outlines(design: Design, view: OutlineView) -> dict:
    """The two trees of the editor as HTML (`departments_html`, `roles_html`), the levels that
    fit open, plus what the user opened and the path to `view.show`."""
    labels = EditorLabels(design.organization.slug)
    path = _path_keys(design, view.show) if view.show else set()
    html = {}
    for kind, roots, nodes in (
        ("departments", design.department_roots, design.departments),
        ("roles", design.role_roots, design.roles),
    ):
        opened = _Opened(kind, default_depth(nodes), view, path)
        html[f"{kind}_html"] = mark_safe(_editor_nodes(kind, roots, labels, opened))  # noqa: S308
    return html


def editor_children_html(kind: str, node, labels: EditorLabels) -> SafeString:
    """The children of one node, each closed: what the expand endpoint answers."""
    return mark_safe(_editor_nodes(kind, Design.children(node), labels, None))  # noqa: S308


# --- the overview ------------------------------------------------------------------------------


class OverviewLabels:
    def __init__(self, slug: str):
        self.language = content_language()
        self.sub_departments_of = _("Sub-departments of %(name)s")
        self.department_page = _url_maker("roles:department-detail", slug)
        self.role_page = _url_maker("roles:role-detail", slug)
        self.children = _url_maker("overview-children", slug)
        self.levels: dict[str, str] = {}

    def level(self, role) -> str:
        if role.level not in self.levels:
            self.levels[role.level] = role.get_level_display()
        return self.levels[role.level]


def _overview_nodes(nodes: list, labels: OverviewLabels, opened: _Opened | None) -> str:
    parts = []
    for department in nodes:
        roles = "".join(
            format_html(
                '<li id="roles-{}"><a href="{}">{}</a> <span class="muted">{}</span></li>',
                role.pk,
                labels.role_page(role.pk),
                _shown(role, "title", labels.language),
                labels.level(role),
            )
            for role in department.roles
        )
        children = Design.children(department)
        is_open = bool(children) and opened is not None and opened(department)
        toggle = ""
        if department.has_children:
            default = opened.default(department) if opened is not None else False
            label = labels.sub_departments_of % {"name": department.name}
            url = labels.children(department.pk)
            toggle = _toggle("departments", department, is_open, default, label, url)
        inner = _overview_nodes(children, labels, opened) if is_open else ""
        parts.append(
            format_html(
                '<li id="departments-{}">{}<a class="department-link" href="{}">{}</a>{}{}</li>',
                department.pk,
                toggle,
                labels.department_page(department.pk),
                _shown(department, "name", labels.language),
                format_html('<ul class="roles">{}</ul>', mark_safe(roles)) if roles else "",  # noqa: S308
                _children_list("departments", department, is_open, inner)
                if department.has_children
                else "",
            )
        )
    return "".join(parts)


def overview_outline(design: Design, view: OutlineView) -> SafeString:
    """The overview's tree of departments with their roles: the levels that fit open (a
    department counts with its roles), plus what the user opened and the path to `view.show`."""
    labels = OverviewLabels(design.organization.slug)
    path = _path_keys(design, view.show) if view.show else set()
    if view.show.startswith("roles-"):
        try:
            role = design.role(int(view.show.partition("-")[2]))
            path |= _path_keys(design, f"departments-{role.department_id}")
            path.add(f"departments-{role.department_id}")
        except KeyError:
            pass
    weighted = [
        node for department in design.departments for node in (department, *department.roles)
    ]
    # A role sits one level below its department's level for the budget.
    depth = _overview_depth(design, len(weighted))
    opened = _Opened("departments", depth, view, path)
    return mark_safe(_overview_nodes(design.department_roots, labels, opened))  # noqa: S308


def _overview_depth(design: Design, total: int) -> int:
    if total <= OUTLINE_BUDGET:
        return max((d.depth for d in design.departments), default=0) + 1
    per_level = Counter()
    for department in design.departments:
        per_level[department.depth] += 1 + department.role_count
    shown, depth = 0, -1
    for level in sorted(per_level):
        shown += per_level[level]
        if shown > OUTLINE_BUDGET and depth >= 1:
            break
        depth = level
    return max(depth, 1)


def overview_children_html(node, labels: OverviewLabels) -> SafeString:
    return mark_safe(_overview_nodes(Design.children(node), labels, None))  # noqa: S308


# --- search ------------------------------------------------------------------------------------


def find_nodes(design: Design, words: str) -> list[tuple[str, object]]:
    """Departments and roles whose name (either language) contains `words`, case-insensitive,
    departments first, in tree order; at most `FOUND_AT_MOST`."""
    words = words.strip().casefold()
    if not words:
        return []
    found = []
    for kind, nodes, name in (
        ("departments", design.departments, "name"),
        ("roles", design.roles, "title"),
    ):
        for node in nodes:
            zh, en = getattr(node, f"{name}_zh") or "", getattr(node, f"{name}_en") or ""
            if words in zh.casefold() or words in en.casefold():
                found.append((kind, node))
                if len(found) >= FOUND_AT_MOST:
                    return found
    return found


def find_context(
    design: Design, query: QueryDict, *, page_url: str, outlines_url: str = ""
) -> dict:
    """The search box's context: what `query["q"]` found (None before any search), each with a
    link to `page_url` that opens the outline down to it, and, in the editor, `outlines_url`
    for htmx to redraw the outlines in place."""
    words = query.get("q", "")[:NAME_MAX_LENGTH]
    context = {"find_query": words, "found": None, "name_max_length": NAME_MAX_LENGTH}
    if not words.strip():
        return context
    department_word = _("Department")
    items = []
    for kind, node in find_nodes(design, words):
        key = f"{kind}-{node.pk}"
        items.append(
            {
                "name": node.name if kind == "departments" else node.title,
                "where": department_word
                if kind == "departments"
                else (node.department.name if node.department else ""),
                "url": f"{page_url}?show={key}#{key}",
                "hx_url": f"{outlines_url}?show={key}" if outlines_url else "",
            }
        )
    context["found"] = items
    return context
