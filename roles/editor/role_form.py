"""The role form of the editor: a role's own fields, its 一人多职 combinations and its ordered
lines (duties, requirements, KPIs), every text in Chinese and English side by side.

The view parses the post into the form's fields and plain line rows (`posted_line_rows`);
`roles.services.role_lines.role_replace_lines` decides what each line keeps (origin and source
note while unchanged) and writes fields, combinations and lines as one change. After the save the
form says what deserves a second look: a text changed in one language only (the other still
shows the old wording) and a title that a sibling role already has.

GET answers for any role of the organization: the editor's outlines and its chart open the form
with it (`editor-role`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from departments.models import Department, Organization
from roles.editor.bilingual import HTML_LANG, LANGUAGE_NAMES
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.forms import (
    LINE_PREFIXES,
    REQUIREMENT_KIND_CHOICES,
    RoleForm,
    add_service_errors,
    posted_line_rows,
)
from roles.editor.kinds import DEPARTMENTS, ROLES
from roles.editor.responses import (
    alert,
    changed,
    conflict_lines,
    edit_conflict,
    form_messages,
    is_htmx,
    refresh_revision,
)
from roles.models import Role
from roles.selectors.siblings import roles_sharing_title
from roles.services.role_lines import (
    LineRow,
    OneLanguageEdit,
    one_language_edits,
    role_replace_lines,
)
from teamorg.errors import EditConflict, validation_messages
from teamorg.i18n import CONTENT_LANGUAGES, content_language
from teamorg.limits import LINE_MAX_LENGTH

FORM_TEMPLATE = "departments/editor/_role_form.html"


def _text_name(field: str) -> str:
    """How a warning names a text of the role or a kind of line."""
    return {
        "title": _("title"),
        "summary": _("summary"),
        "pay_note": _("pay note"),
        "duties": _("Duties"),
        "requirements": _("Requirements"),
        "kpis": _("KPIs"),
    }[field]


def _languages() -> list[dict]:
    """The two content languages, the page's language first (the form's column order)."""
    active = content_language()
    order = (active, *(language for language in CONTENT_LANGUAGES if language != active))
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "html_lang": HTML_LANG[code]} for code in order
    ]


def _departments(organization: Organization) -> QuerySet[Department]:
    """The department choices, in tree order."""
    return Department.objects.filter(organization=organization).order_by("tree_id", "lft")


def _other_roles(organization: Organization, role: Role) -> list[Role]:
    """The roles `role` may be combined with: the organization's others, in tree order."""
    others = Role.objects.filter(organization=organization).exclude(pk=role.pk)
    return list(others.select_related("department").order_by("tree_id", "lft"))


def _line(line_id, kind: str, texts: dict[str, str], preferred: bool = False) -> dict:
    """One line row as the template shows it: both texts in column order, a missing one
    flagged while the other has text."""
    has_text = any(texts.values())
    return {
        "id": line_id or "",
        "kind": kind or "other",
        "preferred": preferred,
        "texts": [
            {
                **language,
                "text": texts[language["code"]],
                "missing": has_text and not texts[language["code"]],
            }
            for language in _languages()
        ],
    }


def _saved_lines(role: Role) -> dict[str, list[dict]]:
    """The role's lines as the form shows them, in their order."""
    return {
        prefix: [
            _line(
                line.pk,
                getattr(line, "kind", ""),
                {language: getattr(line, f"text_{language}") for language in CONTENT_LANGUAGES},
                getattr(line, "preferred", False),
            )
            for line in getattr(role, prefix).order_by("order", "id")
        ]
        for prefix in LINE_PREFIXES
    }


def _lines_as_posted(rows: dict[str, list[LineRow]]) -> dict[str, list[dict]]:
    """The posted rows as the form shows them again when the save is refused."""
    return {
        prefix: [
            _line(
                row.id,
                row.kind,
                {language: row.text(language) for language in CONTENT_LANGUAGES},
                row.preferred,
            )
            for row in prefix_rows
        ]
        for prefix, prefix_rows in rows.items()
    }


def _initial(role: Role) -> dict:
    """The form's fields as saved: both languages of each text."""
    initial = {
        "department": role.department_id,
        "level": role.level,
        "employment_type": role.employment_type,
        "hiring_priority": role.hiring_priority,
        "key_position": role.key_position,
        "pay_structure": role.pay_structure,
        "salary_min": role.salary_min,
        "salary_max": role.salary_max,
        "combinable_with": list(role.combinable_with.values_list("pk", flat=True)),
    }
    for text in RoleForm.bilingual_texts:
        for language in CONTENT_LANGUAGES:
            column = f"{text.name}_{language}"
            initial[column] = getattr(role, column)
    return initial


def _combinations(form: RoleForm, others: list[Role]) -> list[dict]:
    """The 一人多职 checkboxes: each other role with its department, ticked as the form has it."""
    chosen = {str(value) for value in (form["combinable_with"].value() or [])}
    return [
        {"role": other, "department": other.department, "checked": str(other.pk) in chosen}
        for other in others
    ]


def _context(
    organization: Organization,
    role: Role,
    form: RoleForm,
    lines: dict[str, list[dict]],
    revision: int,
    *,
    others: list[Role],
    saved: bool = False,
    warnings: list[str] | None = None,
) -> dict:
    return {
        "organization": organization,
        "role": role,
        "form": form,
        "lines": lines,
        "blank_line": _line(None, "other", dict.fromkeys(CONTENT_LANGUAGES, "")),
        "languages": _languages(),
        "combinations": _combinations(form, others),
        "requirement_kinds": REQUIREMENT_KIND_CHOICES,
        "line_max_length": LINE_MAX_LENGTH,
        "revision": revision,
        "saved": saved,
        "warnings": warnings or [],
    }


def _new_form(organization: Organization, role: Role, others: list[Role], data=None) -> RoleForm:
    return RoleForm(
        data,
        initial=None if data is not None else _initial(role),
        departments=_departments(organization),
        other_roles=others,
    )


def _edit_warning(edit: OneLanguageEdit) -> str:
    names = {"changed": LANGUAGE_NAMES[edit.changed], "unchanged": LANGUAGE_NAMES[edit.unchanged]}
    if edit.field in LINE_PREFIXES:
        message = ngettext(
            "%(kind)s: %(count)s line was changed in %(changed)s only; its %(unchanged)s text "
            "was left as it was.",
            "%(kind)s: %(count)s lines were changed in %(changed)s only; their %(unchanged)s "
            "text was left as it was.",
            edit.count,
        )
        return message % {**names, "kind": _text_name(edit.field), "count": edit.count}
    message = _(
        "Only the %(changed)s %(text)s was changed; the %(unchanged)s %(text)s is still "
        "“%(old)s”. Change it too if it should say the same."
    )
    old = Truncator(edit.old_text).chars(60)
    return message % {**names, "text": _text_name(edit.field), "old": old}


def _duplicate_title_warning(role: Role) -> str | None:
    others = roles_sharing_title(role)
    if not others:
        return None
    separator = pgettext("list separator", ", ")
    names = separator.join(
        _("“%(title)s” in %(department)s")
        % {"title": other.title, "department": other.department.name}
        for other in others
    )
    return ngettext(
        "Another role with the same manager has this title: %(roles)s. Saved anyway; give "
        "them different titles if they are different positions.",
        "Other roles with the same manager have this title: %(roles)s. Saved anyway; give "
        "them different titles if they are different positions.",
        len(others),
    ) % {"roles": names}


@editor_fragment
def _show(request: HttpRequest, organization: Organization, pk: int) -> HttpResponse:
    role = ROLES.node(organization, pk)
    others = _other_roles(organization, role)
    form = _new_form(organization, role, others)
    context = _context(
        organization, role, form, _saved_lines(role), organization.revision, others=others
    )
    return render(request, FORM_TEMPLATE, context)


@editor_action
def _save(request: HttpRequest, organization: Organization, revision: int, pk: int) -> HttpResponse:
    role = ROLES.node(organization, pk)
    others = _other_roles(organization, role)
    form = _new_form(organization, role, others, request.POST)
    rows = posted_line_rows(request.POST)

    def refused(lines_of_error: list[str]) -> HttpResponse:
        # The form again, as the user left it, with its errors, and the summary in the alert.
        if not is_htmx(request):
            return alert(request, organization, lines_of_error, 400)
        context = _context(
            organization, role, form, _lines_as_posted(rows), revision, others=others
        )
        context["alert_lines"] = lines_of_error
        html = render_to_string("departments/editor/_role_form_failed.html", context, request)
        return HttpResponse(html, status=400)

    if not form.is_valid():
        return refused(form_messages(form))
    data = form.cleaned_data
    changes = {
        "department": DEPARTMENTS.node(organization, data["department"]),
        "level": data["level"],
        "employment_type": data["employment_type"],
        "hiring_priority": data["hiring_priority"],
        "key_position": data["key_position"],
        "pay_structure": data["pay_structure"],
        "salary_min": data["salary_min"],
        "salary_max": data["salary_max"],
        # The service re-reads these and refuses another organization's role.
        "combinable_with": list(Role.objects.filter(pk__in=data["combinable_with"])),
    }
    for text in RoleForm.bilingual_texts:
        for language in CONTENT_LANGUAGES:
            column = f"{text.name}_{language}"
            changes[column] = data[column]
    edits = one_language_edits(role=role, role_changes=changes, lines_by_kind=rows)
    try:
        role = role_replace_lines(
            role=role,
            lines_by_kind=rows,
            expected_revision=revision,
            role_changes=changes,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return refused(validation_messages(error))
    except EditConflict as error:
        # Nothing of what the user typed is lost: the form comes back as posted, made on the
        # revision the conflicts were found at, so saving it again keeps their values.
        role = ROLES.node(organization, pk)  # as saved, not as the refused write left it
        context = _context(
            organization, role, form, _lines_as_posted(rows), error.current, others=others
        )
        context["conflict_lines"] = conflict_lines(error)
        context["take_theirs_url"] = reverse("editor-role", args=[organization.slug, role.pk])
        panel = render_to_string(FORM_TEMPLATE, context, request)
        return edit_conflict(request, organization, error, panel)
    warnings = [_edit_warning(edit) for edit in edits]
    duplicate = _duplicate_title_warning(role)
    if duplicate:
        warnings.append(duplicate)
    message = _("Saved “%(name)s”.") % {"name": role.title}
    others = _other_roles(organization, role)
    panel_context = _context(
        organization,
        role,
        _new_form(organization, role, others),
        _saved_lines(role),
        refresh_revision(organization),
        others=others,
        saved=True,
        warnings=warnings,
    )
    panel = render_to_string(FORM_TEMPLATE, panel_context, request)
    # With htmx the warnings show in the role panel, next to what they are about; without it
    # they come as messages on the editor page the browser is sent back to.
    return changed(
        request,
        organization,
        message,
        role_panel=panel,
        main="role",
        warnings=() if is_htmx(request) else warnings,
    )


editor_role = form_and_action(_show, _save)
