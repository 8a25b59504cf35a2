"""The role form of the editor: a role's own fields and its ordered lines (duties, requirements,
KPIs), edited in the active language.

The view parses the post into the form's fields and plain line rows (`posted_line_rows`);
`roles.services.role_lines.role_replace_lines` decides what each line keeps (its other language,
origin and source note while unchanged) and writes fields and lines as one change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from departments.models import Department, Organization
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.forms import (
    LINE_PREFIXES,
    REQUIREMENT_KIND_CHOICES,
    RoleForm,
    add_service_errors,
    posted_line_rows,
)
from roles.editor.kinds import DEPARTMENTS, ROLES
from roles.editor.responses import alert, changed, form_messages, is_htmx, refresh_revision
from roles.models import Role
from roles.services.role_lines import LineRow, role_replace_lines
from teamorg.errors import validation_messages
from teamorg.i18n import content_language

FORM_TEMPLATE = "departments/editor/_role_form.html"


def _departments(organization: Organization) -> QuerySet[Department]:
    """The department choices, in tree order."""
    return Department.objects.filter(organization=organization).order_by("tree_id", "lft")


def _saved_lines(role: Role) -> dict[str, list[dict]]:
    """The role's lines as the form shows them, in their order."""
    return {
        prefix: [
            {"id": line.pk, "text": line.text, "kind": getattr(line, "kind", "")}
            for line in getattr(role, prefix).order_by("order", "id")
        ]
        for prefix in LINE_PREFIXES
    }


def _lines_as_posted(rows: dict[str, list[LineRow]]) -> dict[str, list[dict]]:
    """The posted rows as the form shows them again when the save is refused."""
    return {
        prefix: [{"id": row.id or "", "text": row.text, "kind": row.kind} for row in prefix_rows]
        for prefix, prefix_rows in rows.items()
    }


def _initial(role: Role) -> dict:
    """The form's fields in the active language (the other language's text where it is empty)."""
    language = content_language()
    return {
        "title": getattr(role, f"title_{language}") or role.title,
        "department": role.department_id,
        "level": role.level,
        "employment_type": role.employment_type,
        "hiring_priority": role.hiring_priority,
        "pay_structure": role.pay_structure,
        "salary_min": role.salary_min,
        "salary_max": role.salary_max,
        "pay_note": getattr(role, f"pay_note_{language}") or role.pay_note,
        "summary": getattr(role, f"summary_{language}") or role.summary,
    }


def _context(
    organization: Organization,
    role: Role,
    form: RoleForm,
    lines: dict[str, list[dict]],
    revision: int,
    *,
    saved: bool = False,
) -> dict:
    return {
        "organization": organization,
        "role": role,
        "form": form,
        "lines": lines,
        "requirement_kinds": REQUIREMENT_KIND_CHOICES,
        "revision": revision,
        "saved": saved,
    }


@editor_fragment
def _show(request: HttpRequest, organization: Organization, pk: int) -> HttpResponse:
    role = ROLES.node(organization, pk)
    form = RoleForm(initial=_initial(role), departments=_departments(organization))
    context = _context(organization, role, form, _saved_lines(role), organization.revision)
    return render(request, FORM_TEMPLATE, context)


@editor_action
def _save(request: HttpRequest, organization: Organization, revision: int, pk: int) -> HttpResponse:
    role = ROLES.node(organization, pk)
    form = RoleForm(request.POST, departments=_departments(organization))
    rows = posted_line_rows(request.POST)

    def refused(lines_of_error: list[str]) -> HttpResponse:
        # The form again, as the user left it, with its errors, and the summary in the alert.
        if not is_htmx(request):
            return alert(request, organization, lines_of_error, 400)
        context = _context(organization, role, form, _lines_as_posted(rows), revision)
        context["alert_lines"] = lines_of_error
        html = render_to_string("departments/editor/_role_form_failed.html", context, request)
        return HttpResponse(html, status=400)

    if not form.is_valid():
        return refused(form_messages(form))
    data = form.cleaned_data
    language = content_language()
    changes = {
        "department": DEPARTMENTS.node(organization, data["department"]),
        "level": data["level"],
        "employment_type": data["employment_type"],
        "hiring_priority": data["hiring_priority"],
        "pay_structure": data["pay_structure"],
        "salary_min": data["salary_min"],
        "salary_max": data["salary_max"],
        f"title_{language}": data["title"],
        f"pay_note_{language}": data["pay_note"],
        f"summary_{language}": data["summary"],
    }
    try:
        role = role_replace_lines(
            role=role,
            lines_by_kind=rows,
            language=language,
            expected_revision=revision,
            role_changes=changes,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return refused(validation_messages(error))
    message = _("Saved “%(name)s”.") % {"name": role.title}
    fresh = RoleForm(initial=_initial(role), departments=_departments(organization))
    panel_context = _context(
        organization, role, fresh, _saved_lines(role), refresh_revision(organization), saved=True
    )
    panel = render_to_string(FORM_TEMPLATE, panel_context, request)
    return changed(request, organization, message, role_panel=panel, main="role")


editor_role = form_and_action(_show, _save)
