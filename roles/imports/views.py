"""The import's pages: upload a sheet (onto an organization, or into a new one), its preview
with every problem and the column-mapping step, apply, and the design as a sheet to download.
Thin: the work is `roles.imports.services`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from departments.models import Organization
from departments.selectors import EDIT, READ, organization_for
from departments.services import organization_create
from roles.imports import columns, selectors
from roles.imports.export import design_csv, design_xlsx
from roles.imports.models import ImportJob, ImportState
from roles.imports.services import (
    import_job_create,
    import_job_for,
    import_job_remap,
    import_job_start,
    import_jobs_expire_stale,
)
from teamorg.errors import validation_messages
from teamorg.limits import IMPORT_FILE_MAX_BYTES, IMPORT_ROWS_MAX, NAME_MAX_LENGTH

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPT = ".xlsx,.csv,.txt,text/csv," + XLSX_TYPE


def _limits() -> dict:
    return {
        "max_mb": IMPORT_FILE_MAX_BYTES // 1024 // 1024,
        "max_rows": IMPORT_ROWS_MAX,
        "accept": ACCEPT,
    }


def _upload(request: HttpRequest) -> tuple[str, bytes]:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": _("Choose an XLSX or CSV file.")}, code="required")
    if upload.size > IMPORT_FILE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file has %(size)s MB; at most %(limit)s MB can be imported.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": IMPORT_FILE_MAX_BYTES // 1024 // 1024,
                }
            },
            code="file_too_large",
        )
    return upload.name or "upload", upload.read()


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_start(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, EDIT)
    errors: list[str] = []
    if request.method == "POST":
        try:
            name, content = _upload(request)
            job = import_job_create(
                organization=organization, user=request.user, filename=name, content=content
            )
        except ValidationError as error:
            errors = validation_messages(error)
        else:
            return redirect("imports:job", slug=organization.slug, job=job.pk)
    context = {
        "organization": organization,
        "errors": errors,
        "empty": not organization.roles.exists() and not organization.departments.exists(),
        **_limits(),
    }
    return render(request, "imports/start.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    """A new organization made from a sheet: created with the upload, in one transaction, so a
    refused file leaves no empty organization behind."""
    errors: list[str] = []
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:NAME_MAX_LENGTH]
        language = "en" if (get_language() or "").startswith("en") else "zh"
        try:
            with transaction.atomic():
                filename, content = _upload(request)
                organization = organization_create(owner=request.user, **{f"name_{language}": name})
                job = import_job_create(
                    organization=organization,
                    user=request.user,
                    filename=filename,
                    content=content,
                )
        except ValidationError as error:
            errors = validation_messages(error)
        else:
            return redirect("imports:job", slug=organization.slug, job=job.pk)
    context = {"errors": errors, "name": name, "name_max": NAME_MAX_LENGTH, **_limits()}
    return render(request, "imports/new.html", context, status=400 if errors else 200)


def _job(organization: Organization, job_id: str) -> ImportJob:
    # Every look at an import notices one whose worker never came or died (the page's poll
    # too, so a person watching sees it fail).
    import_jobs_expire_stale(organization=organization)
    try:
        return import_job_for(organization, job_id)
    except (ImportJob.DoesNotExist, ValidationError) as error:
        raise Http404(_("No such import.")) from error


def _job_context(organization: Organization, job: ImportJob, errors=()) -> dict:
    preview = job.preview or {}
    choices = columns.mapping_choices()
    problems = preview.get("problems", [])
    return {
        "organization": organization,
        "job": job,
        "preview": preview,
        "counts": preview.get("counts", {}),
        "problems": problems,
        "unknown": preview.get("unknown_columns", []),
        "choices": choices,
        "items": preview.get("items", [])[:2000],
        "items_total": preview.get("items_total", 0),
        "applied": job.state == ImportState.APPLIED,
        "running": job.state in (ImportState.QUEUED, ImportState.RUNNING),
        # Queued past the exports' notice threshold: say so, how long, and whom to ask.
        "waited": selectors.waiting_notice(job),
        "failed": job.state == ImportState.FAILED,
        "percent": int(100 * job.done / job.total) if job.total else 0,
        "stale": job.state != ImportState.APPLIED and job.revision != organization.revision,
        "errors": list(errors),
        "kinds": [
            ("phase", _("Growth phases")),
            ("department", _("Departments")),
            ("role", _("Roles")),
            ("collaboration", _("Collaboration lines")),
        ],
    }


@require_safe
@login_required
def import_job(request: HttpRequest, slug: str, job: str) -> HttpResponse:
    organization = organization_for(request.user, slug, EDIT)
    context = _job_context(organization, _job(organization, job))
    # The page polls its status part (`?part=status`) every second while the job runs.
    if request.GET.get("part") == "status":
        return render(request, "imports/_status.html", context)
    return render(request, "imports/job.html", context)


@require_POST
@login_required
def import_mapping(request: HttpRequest, slug: str, job: str) -> HttpResponse:
    organization = organization_for(request.user, slug, EDIT)
    import_job = _job(organization, job)
    mapping = dict(import_job.mapping)
    for item in import_job.preview.get("unknown_columns", []):
        value = request.POST.get(f"column-{item['index']}")
        if value is not None:
            mapping[item["header"]] = value
    try:
        import_job_remap(job=import_job, mapping=mapping)
    except ValidationError as error:
        context = _job_context(organization, import_job, validation_messages(error))
        return render(request, "imports/job.html", context, status=400)
    return redirect("imports:job", slug=organization.slug, job=import_job.pk)


@require_POST
@login_required
def import_apply_view(request: HttpRequest, slug: str, job: str) -> HttpResponse:
    organization = organization_for(request.user, slug, EDIT)
    import_job = _job(organization, job)
    try:
        import_job_start(job=import_job)
    except ValidationError as error:
        import_job.refresh_from_db()
        organization.refresh_from_db()
        context = _job_context(organization, import_job, validation_messages(error))
        return render(request, "imports/job.html", context, status=400)
    return redirect("imports:job", slug=organization.slug, job=import_job.pk)


@require_safe
@login_required
def design_sheet(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    if file_format == "csv":
        content, content_type = design_csv(organization), "text/csv; charset=utf-8"
    else:
        content = design_xlsx(organization)
        content_type = XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{organization.slug}-design.{file_format}"'
    )
    return response
