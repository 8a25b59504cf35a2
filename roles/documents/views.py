"""Job-description and department-charter pages and their PDFs. Thin: access through
`organization_for`, data in `roles.documents.content`, PDFs in `roles.documents.pdf`."""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from departments.selectors import READ, organization_for
from roles import charts, documents
from roles.documents.candidate import candidate_pdf
from roles.documents.chart_print import PAGES_WHILE_YOU_WAIT, ROLES_WHILE_YOU_WAIT
from roles.documents.content import CANDIDATE, INTERNAL, VERSIONS, candidate_page
from roles.exports import services as export_services


@contextmanager
def _requested_language(request: HttpRequest):
    """`?lang=en` overrides the session / Accept-Language choice for one document."""
    wanted = request.GET.get("lang", "")
    if wanted in {code for code, _name in settings.LANGUAGES}:
        with translation.override(wanted):
            yield
    else:
        yield


@contextmanager
def _not_found_as_404(message: str):
    try:
        yield
    except documents.DocumentNotFound:
        # A role or department of another organization looks exactly like a missing one.
        raise Http404(message) from None


def _pdf_response(request: HttpRequest, pdf: documents.PDF) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    attachment = request.GET.get("download") in {"1", "true", "yes"}
    response["Content-Disposition"] = content_disposition_header(attachment, pdf.filename)
    # Private to the organization's members, and the design may change at any moment.
    response["Cache-Control"] = "private, no-cache"
    return response


def _version(request: HttpRequest) -> str | None:
    """The job description's `?version=` (candidate or internal; internal when absent, as
    the role page and its PDF always showed); None for anything else."""
    version = request.GET.get("version", "") or INTERNAL
    return version if version in VERSIONS else None


def _bad_version(request: HttpRequest) -> HttpResponse:
    with _requested_language(request):
        message = pgettext(
            "document", "Unknown version “%(version)s”: choose “candidate” or “internal”."
        ) % {"version": request.GET.get("version", "")[:40]}
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _version_links(request: HttpRequest, version: str) -> list[dict]:
    """The two versions of the page, the one shown marked; `lang` kept if given."""
    lang = request.GET.get("lang", "")
    suffix = f"&lang={lang}" if lang in {code for code, _name in settings.LANGUAGES} else ""
    return [
        {
            "version": key,
            "label": label,
            "query": f"?version={key}{suffix}",
            "current": key == version,
        }
        for key, label in VERSIONS.items()
    ]


@require_safe
@login_required
def role_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A job description page: `?version=candidate` what a candidate may read,
    `?version=internal` (the default) everything, for HR and managers."""
    version = _version(request)
    if version is None:
        return _bad_version(request)
    with _requested_language(request):
        organization = organization_for(request.user, slug, READ)
        with _not_found_as_404(pgettext("document", "No such role.")):
            if version == CANDIDATE:
                doc = candidate_page(organization, pk)
            else:
                doc = documents.role_page(organization, pk)
        context = {
            "doc": doc,
            "organization": organization,
            "link_mode": "web",
            "version": version,
            "versions": _version_links(request, version),
        }
        return render(request, "roles/role_detail.html", context)


@require_safe
@login_required
def role_jd_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The job description as PDF, in the version `?version=` names (internal by default)."""
    version = _version(request)
    if version is None:
        return _bad_version(request)
    with _requested_language(request):
        organization = organization_for(request.user, slug, READ)
        with _not_found_as_404(pgettext("document", "No such role.")):
            if version == CANDIDATE:
                pdf = candidate_pdf(organization, pk)
            else:
                pdf = documents.role_pdf(organization, pk)
        return _pdf_response(request, pdf)


@require_safe
@login_required
def department_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    with _requested_language(request):
        organization = organization_for(request.user, slug, READ)
        with _not_found_as_404(pgettext("document", "No such department.")):
            doc = documents.department_page(organization, pk)
        context = {"doc": doc, "organization": organization, "link_mode": "web"}
        return render(request, "roles/department_detail.html", context)


@require_safe
@login_required
def department_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    with _requested_language(request):
        organization = organization_for(request.user, slug, READ)
        with _not_found_as_404(pgettext("document", "No such department.")):
            pdf = documents.department_pdf(organization, pk)
        return _pdf_response(request, pdf)


# A handbook of more roles than this is not rendered while the request waits: the URL answers
# with the page of a background export job (roles.exports) that shows its progress.
HANDBOOK_ROLES_WHILE_YOU_WAIT = 80


def _export_job_page(request: HttpRequest, organization, kind: str, params: dict):
    """303 to the page of the background job that makes this export (started or joined)."""
    params = {**params, "lang": translation.get_language()}
    job, _created = export_services.request_export(
        user=request.user, organization=organization, kind=kind, params=params
    )
    return redirect("exports:job", slug=organization.slug, job=job.pk)


@require_safe
@login_required
def handbook_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The handbook PDF; for a design larger than HANDBOOK_ROLES_WHILE_YOU_WAIT roles, the page
    of the background job that makes it."""
    with _requested_language(request):
        organization = organization_for(request.user, slug, READ)
        if organization.roles.count() > HANDBOOK_ROLES_WHILE_YOU_WAIT:
            return _export_job_page(request, organization, "handbook", {})
        return _pdf_response(request, documents.handbook_pdf(organization))


@require_safe
@login_required
def chart_print_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole org chart on A4 or A3, one page per part of the tree. Bad options are a 400
    naming the field; a print of more than ROLES_WHILE_YOU_WAIT roles, or one too large to lay
    out within the dot time limit or longer than PAGES_WHILE_YOU_WAIT pages, becomes a
    background export job: the answer is its page."""
    with _requested_language(request):
        organization = organization_for(request.user, slug, READ)
        try:
            options = charts.parse_print_options(request.GET)
        except ValidationError as error:
            return charts.chart_error_response(error)
        try:
            if charts.printed_roles(organization, options) > ROLES_WHILE_YOU_WAIT:
                return _export_job_page(request, organization, "chart_print", request.GET.dict())
            pdf = documents.chart_print_pdf(
                organization,
                options,
                time_limit=settings.TEAMORG_DOT_TIMEOUT_SECONDS,
                max_pages=PAGES_WHILE_YOU_WAIT,
            )
        except ObjectDoesNotExist:
            raise Http404(pgettext("document", "No such department or role.")) from None
        except charts.ChartTimeout:
            # Too many pages, or `dot` too slow, to print while the request waits.
            return _export_job_page(request, organization, "chart_print", request.GET.dict())
        except (ValidationError, charts.ChartError) as error:
            return charts.chart_error_response(error)
        return _pdf_response(request, pdf)
