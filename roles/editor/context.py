"""What the overview page and the editor show of a design: both outlines, the roles × phases
head-count grid and its per-phase totals, the collaboration lines with the form that adds one,
all from one `organization_outline` read (light rows: no duties, requirements or KPIs).

Only what is on screen is rendered: the outlines show the levels that fit
(`roles.editor.outlines`), the head-count grid one page of `GRID_PAGE_SIZE` roles, optionally of
one department and its sub-departments (`hc_department`, `hc_page` in the address or in the
page's `X-TeamOrg-View` header); its totals are the whole organization's, computed once.

`CollaborationForm` lives here, not in `roles.editor.collaboration_lines`, because every editor
answer (`roles.editor.responses.changed`) redraws the collaboration panel from this context and
the views module imports the responses."""

from __future__ import annotations

from html import escape as html_escape

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from departments.models import HeadcountPhase, Organization
from roles.editor.bilingual import BilingualFormMixin, BilingualText
from roles.editor.outlines import editor_outlines, outline_view, overview_outline
from roles.models import Collaboration, HeadcountTarget
from roles.selectors import Design
from roles.selectors.design import organization_outline
from teamorg.i18n import content_language, translated_text
from teamorg.limits import HEADCOUNT_LIMIT

INDENT = "\u2003"  # an em space per level of a node in a list of choices
ENDPOINT_KINDS = {"d": "departments", "r": "roles"}

MAX_INDENT = 6  # deeper roles of the grid stay at this indent (the CSS has classes up to it)
GRID_PAGE_SIZE = 100  # roles per page of the head-count grid
COLLABORATION_FORM_INLINE_NODES = 500  # above: the add form is loaded on demand


def headcount_rows(design: Design, roles: list | None = None) -> list[dict]:
    """One row per role (depth first; `roles`, default all): its cell in each phase, target or
    None."""
    return [
        {
            "role": role,
            "cells": [
                {"phase": phase, "target": design.headcount.get((role.pk, phase.pk))}
                for phase in design.phases
            ],
            "indent": min(role.depth, MAX_INDENT),
        }
        for role in (design.roles if roles is None else roles)
    ]


def _number(query: QueryDict, key: str) -> int | None:
    value = query.get(key, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def headcount_grid(design: Design, query: QueryDict) -> dict:
    """The page of the head-count grid `query` asks for (`hc_department`: a department and its
    sub-departments; `hc_page`, from 1), clamped to what exists; malformed values are ignored."""
    department = None
    department_id = _number(query, "hc_department")
    if department_id is not None:
        try:
            department = design.department(department_id)
        except KeyError:
            department = None
    roles = design.roles
    if department is not None:
        inside = {
            d.pk
            for d in design.departments
            if d.tree_id == department.tree_id and department.lft <= d.lft <= department.rght
        }
        roles = [role for role in roles if role.department_id in inside]
    pages = max(1, -(-len(roles) // GRID_PAGE_SIZE))
    page = min(max(_number(query, "hc_page") or 1, 1), pages)
    start = (page - 1) * GRID_PAGE_SIZE
    shown = roles[start : start + GRID_PAGE_SIZE]
    return {
        "headcount_rows": headcount_rows(design, shown),
        "grid": {
            # The controls appear only when one page cannot show every role.
            "paged": len(design.roles) > GRID_PAGE_SIZE,
            "department": department,
            "departments": [(d.pk, INDENT * d.depth + d.name) for d in design.departments]
            if len(design.roles) > GRID_PAGE_SIZE
            else [],
            "page": page,
            "pages": pages,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < pages else None,
            "first_row": start + 1 if shown else 0,
            "last_row": start + len(shown),
            "row_count": len(roles),
        },
    }


def phase_totals(organization: Organization) -> list[dict]:
    """`headcount_totals` summed by the database (two queries), for answers that read no
    design."""
    sums = {
        row["phase_id"]: (row["low"], row["high"])
        for row in HeadcountTarget.objects.filter(role__organization=organization)
        .values("phase_id")
        .annotate(low=Sum("min_count"), high=Sum("max_count"))
        .order_by()
    }
    return [
        {"phase": phase, "min": sums.get(phase.pk, (0, 0))[0], "max": sums.get(phase.pk, (0, 0))[1]}
        for phase in HeadcountPhase.objects.filter(organization=organization).order_by("order")
    ]


def headcount_totals(design: Design) -> list[dict]:
    """Per phase, the sums of the roles' minimums and maximums."""
    sums = {phase.pk: [0, 0] for phase in design.phases}
    for (_role_id, phase_id), target in design.headcount.items():
        sums[phase_id][0] += target.min_count
        sums[phase_id][1] += target.max_count
    return [
        {"phase": phase, "min": sums[phase.pk][0], "max": sums[phase.pk][1]}
        for phase in design.phases
    ]


def _escape(value) -> str:
    """HTML-escape a value: the standard library's escape, without Django's lazy-string
    wrapper (which is most of the cost when it runs tens of thousands of times a page)."""
    return html_escape(str(value))


class HeadcountCells:
    """The forms of the editor's head-count cells, built in Python: the labels translated, the
    URL reversed and the CSRF token read once per page, not per cell. One cell is a form that
    static/js/headcount.js posts when the user leaves it; its answer swaps it out of band
    (`oob`)."""

    def __init__(self, organization: Organization, revision: int, csrf_token: str):
        self.url = _escape(reverse("editor-headcount", args=[organization.slug]))
        self.revision = revision
        self.csrf_token = _escape(csrf_token)
        self.at_least = gettext("%(role)s in %(phase)s: at least")
        self.at_most = gettext("%(role)s in %(phase)s: at most")
        self.save = _escape(gettext("Save"))
        self.shows_saved = _escape(gettext("The cell shows the saved value again."))

    def html(self, role, cell: dict, *, oob: bool = False) -> str:
        target, errors = cell.get("target"), cell.get("errors")
        phase = cell["phase"]
        key = f"{role.pk}-{phase.pk}"
        low = "" if target is None else target.min_count
        high = "" if target is None else target.max_count
        names = {"role": role.title, "phase": phase.name}
        invalid = f' aria-invalid="true" aria-describedby="hc-{key}-error"' if errors else ""
        error = ""
        if errors:
            lines = "".join(f"{_escape(line)} " for line in errors)
            error = f'<small class="hc-error" id="hc-{key}-error">{lines}{self.shows_saved}</small>'
        swap = ' hx-swap-oob="true"' if oob else ""
        return mark_safe(  # noqa: S308 - every value escaped
            f'<form class="hc-cell{" has-error" if errors else ""}" id="hc-cell-{key}"'
            f'{swap} action="{self.url}" method="post" '
            f'hx-post="{self.url}" hx-trigger="hc-commit, submit" hx-swap="none" '
            f'data-saved-min="{low}" data-saved-max="{high}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf_token}">'
            f'<input type="hidden" name="revision" value="{self.revision}">'
            f'<input type="hidden" name="role" value="{role.pk}">'
            f'<input type="hidden" name="phase" value="{phase.pk}">'
            f'<label class="visually-hidden" for="hc-{key}-min">'
            f"{_escape(self.at_least % names)}</label>"
            f'<input type="number" min="0" max="{HEADCOUNT_LIMIT}" inputmode="numeric" '
            f'id="hc-{key}-min" name="min_count" value="{low}"{invalid}>'
            f'<span aria-hidden="true">–</span>'
            f'<label class="visually-hidden" for="hc-{key}-max">'
            f"{_escape(self.at_most % names)}</label>"
            f'<input type="number" min="0" max="{HEADCOUNT_LIMIT}" inputmode="numeric" '
            f'id="hc-{key}-max" name="max_count" value="{high}"{invalid}>'
            f'<button type="submit" class="visually-hidden" tabindex="-1">{self.save}</button>'
            f"{error}</form>"
        )

    @classmethod
    def for_request(cls, organization: Organization, revision: int, request: HttpRequest):
        return cls(organization, revision, get_token(request) if request is not None else "")

    def add_to(self, rows: list[dict]) -> None:
        """Give each grid row its cells' HTML (`cells_html`)."""
        for row in rows:
            row["cells_html"] = [self.html(row["role"], cell) for cell in row["cells"]]


class PrebuiltChoices(BaseChoiceIterator):
    """Choices already in Django's normalized shape: `ChoiceField` keeps them as they are
    instead of normalizing thousands of pairs again on every form."""

    def __init__(self, choices: list):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class ListSelect(forms.Select):
    """A select rendered in one pass in Python: Django renders each option through a template,
    which for the 5,500 options of a 5,000-role design took most of a second per select."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = str(value[0] if isinstance(value, (list, tuple)) and value else value or "")
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name

        def options(items) -> str:
            return "".join(
                f'<option value="{_escape(key)}"{" selected" if str(key) == chosen else ""}>'
                f"{_escape(label)}</option>"
                for key, label in items
            )

        parts = []
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{_escape(key)}">{options(label)}</optgroup>')
            else:
                parts.append(options([(key, label)]))
        return mark_safe(f"<select{flatatt(final)}>{''.join(parts)}</select>")  # noqa: S308 - escaped


class CollaborationForm(BilingualFormMixin, forms.Form):
    """A collaboration line: two departments or two roles of this organization (the choices
    offer only its own nodes; the service checks again) and a description in both languages.
    An endpoint is posted as `d<id>` or `r<id>`."""

    bilingual_model = Collaboration
    bilingual_texts = (BilingualText("description", _("What they hand over")),)

    from_node = forms.ChoiceField(label=_("From"), widget=ListSelect)
    to_node = forms.ChoiceField(label=_("To"), widget=ListSelect)

    def __init__(self, *args, design: Design, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bilingual_fields()
        language = content_language()  # once, not per node
        choices = [
            ("", _("Choose…")),
            (
                _("Departments"),
                [
                    (f"d{d.pk}", INDENT * d.depth + translated_text(d.name_zh, d.name_en, language))
                    for d in design.departments
                ],
            ),
            (
                _("Roles"),
                [
                    (
                        f"r{r.pk}",
                        INDENT * r.depth + translated_text(r.title_zh, r.title_en, language),
                    )
                    for r in design.roles
                ],
            ),
        ]
        self.fields["from_node"].choices = PrebuiltChoices(choices)
        self.fields["to_node"].choices = PrebuiltChoices(choices)

    def clean(self):
        cleaned = super().clean()
        ends = [cleaned.get("from_node"), cleaned.get("to_node")]
        if all(ends) and ends[0][0] != ends[1][0]:
            raise ValidationError(
                _("Link two departments or two roles, not a department and a role."),
                code="invalid_endpoints",
            )
        if all(ends) and ends[0] == ends[1]:
            self.add_error("to_node", _("Choose two different ends."))
        return cleaned

    def endpoints(self) -> tuple[str, int, int]:
        """The kind (`departments` or `roles`) and the two ids chosen."""
        start, end = self.cleaned_data["from_node"], self.cleaned_data["to_node"]
        return ENDPOINT_KINDS[start[0]], int(start[1:]), int(end[1:])


def collaboration_rows(design: Design) -> list[dict]:
    """The design's collaboration lines with the names of both ends, in their order."""
    rows = []
    for line in design.collaborations:
        try:
            if line.from_department_id is not None:
                ends = (design.department(line.from_department_id).name,)
                ends += (design.department(line.to_department_id).name,)
                kind = "departments"
            else:
                ends = (design.role(line.from_role_id).title, design.role(line.to_role_id).title)
                kind = "roles"
        except KeyError:  # an end outside the design read: not this organization's line
            continue
        rows.append(
            {
                "line": line,
                "kind": kind,
                "from_name": ends[0],
                "to_name": ends[1],
                "description_zh": line.description_zh,
                "description_en": line.description_en,
            }
        )
    return rows


def collaboration_list_html(organization: Organization, rows: list[dict]) -> str:
    """The `<li>` of each collaboration line, built in Python with its labels translated and
    URLs reversed once (a 5,000-role design has hundreds of lines)."""
    edit_url = _url_maker("editor-collaboration", organization.slug)
    delete_url = _url_maker("editor-collaboration-delete", organization.slug)
    kinds = {"departments": _escape(gettext("Departments")), "roles": _escape(gettext("Roles"))}
    to = _escape(gettext("to"))
    edit, delete = _escape(gettext("Edit")), _escape(gettext("Delete"))
    edit_line = gettext("Edit the line %(start)s → %(end)s")
    delete_line = gettext("Delete the line %(start)s → %(end)s")
    missing = {
        "zh": _escape(gettext("(no Chinese description)")),
        "en": _escape(gettext("(no English description)")),
    }

    def text(value: str, language: str) -> str:
        if value:
            return _escape(value)
        return f'<span class="untranslated-mark">{missing[language]}</span>'

    parts = []
    for row in rows:
        pk = row["line"].pk
        ends = {"start": row["from_name"], "end": row["to_name"]}
        parts.append(
            f'<li class="collaboration" id="collaboration-{pk}" data-collaboration="{pk}">'
            '<div class="collaboration-row"><span class="collaboration-ends">'
            f'<span class="collaboration-kind">{kinds[row["kind"]]}</span> '
            f'<span class="collaboration-end" data-end="from">{_escape(row["from_name"])}</span> '
            f'<span aria-label="{to}">→</span> '
            f'<span class="collaboration-end" data-end="to">{_escape(row["to_name"])}</span>'
            '</span> <span class="collaboration-texts">'
            '<span class="collaboration-text" lang="zh-Hans" data-language="zh">'
            f"{text(row['description_zh'], 'zh')}</span> "
            '<span class="collaboration-text" lang="en" data-language="en">'
            f"{text(row['description_en'], 'en')}</span></span> "
            '<span class="node-actions">'
            '<button type="button" class="edit-button" data-opens-slot '
            f'aria-label="{_escape(edit_line % ends)}" hx-get="{edit_url(pk)}" '
            f'hx-target="#slot-collaboration-{pk}">{edit}</button> '
            f'<button type="button" class="icon danger" data-opens-slot title="{delete}" '
            f'aria-label="{_escape(delete_line % ends)}" hx-get="{delete_url(pk)}" '
            f'hx-target="#slot-collaboration-{pk}">✕</button></span></div>'
            f'<div class="node-slot" id="slot-collaboration-{pk}" data-slot></div></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped


def _url_maker(name: str, slug: str):
    head, _sep, tail = reverse(name, args=[slug, 987654321]).partition("987654321")
    return lambda pk: f"{_escape(head)}{pk}{_escape(tail)}"


def design_context(
    organization: Organization, request: HttpRequest | None = None, *, reveal: str = ""
) -> dict:
    """The editor's template context. Pass the organization as it is now: its revision is the
    one the page's forms send back. `request` says what the user has open (outlines, grid page);
    `reveal` ("roles-12") opens the outline down to that node."""
    design = organization_outline(organization)
    view = outline_view(request, reveal=reveal)
    grid = headcount_grid(design, view.query)
    cells = HeadcountCells.for_request(organization, organization.revision, request)
    cells.add_to(grid["headcount_rows"])
    lines = collaboration_rows(design)
    return {
        "organization": design.organization,
        "design": design,
        "revision": design.organization.revision,
        **editor_outlines(design, view),
        **grid,
        "headcount_totals": headcount_totals(design),
        "headcount_limit": HEADCOUNT_LIMIT,
        "collaboration_rows": lines,
        "collaboration_list_html": collaboration_list_html(organization, lines),
        # A large design's form (two selects of every department and role) is loaded when the
        # user asks for it, not sent with the page and every write's answer.
        "collaboration_form": CollaborationForm(design=design, auto_id="collab-add-%s")
        if len(design.departments) + len(design.roles) <= COLLABORATION_FORM_INLINE_NODES
        else None,
    }


def overview_context(organization: Organization, request: HttpRequest) -> dict:
    """The overview's template context: the outline of departments with their roles, the
    head-count table (read-only, paged like the editor's grid)."""
    design = organization_outline(organization)
    view = outline_view(request)
    return {
        "organization": design.organization,
        "design": design,
        "revision": design.organization.revision,
        "outline_html": overview_outline(design, view),
        **headcount_grid(design, view.query),
        "headcount_totals": headcount_totals(design),
    }
