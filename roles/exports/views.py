"""The pages of export jobs: start (or join) one from a button, watch its progress bar (the
page polls its status part while the job runs, and a reload finds the same job), download the
file, or try again after a failure. Thin: jobs are `roles.exports.services`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from departments.models import Organization
from departments.selectors import READ, organization_for
from roles.exports import selectors, services
from roles.exports.files import file_response
from roles.exports.kinds import KINDS
from roles.models import ExportJob, ExportState
from teamorg.errors import validation_messages

# The form fields a button may send besides `kind`: the options of every kind.
OPTION_FIELDS = ("lang", "view", "phase", "root", "orient", "span", "paper", "landscape")


@require_POST
@login_required
def export_create(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    params = {key: request.POST[key] for key in OPTION_FIELDS if request.POST.get(key)}
    try:
        job, _created = services.request_export(
            user=request.user,
            organization=organization,
            kind=request.POST.get("kind", ""),
            params=params,
        )
    except ValidationError as error:
        context = {"organization": organization, "errors": validation_messages(error)}
        return render(request, "exports/refused.html", context, status=400)
    return redirect("exports:job", slug=organization.slug, job=job.pk)


def _job_or_404(organization: Organization, job_id: str) -> ExportJob:
    services.expire_stale_jobs(organization)
    job = selectors.export_job(organization, job_id)
    if job is None:
        raise Http404(_("No such export."))
    return job


def _job_context(organization: Organization, job: ExportJob) -> dict:
    kind = KINDS.get(job.kind)
    waited = selectors.queued_seconds(job)
    return {
        "organization": organization,
        "job": job,
        "label": kind.label if kind else job.kind,
        "percent": selectors.progress_percent(job),
        "step": selectors.step_label(job),
        "running": job.state in (ExportState.QUEUED, ExportState.RUNNING),
        # Queued past the notice threshold: say so, how long, and whom to ask.
        "waited": (
            selectors.waited_label(waited)
            if waited is not None and waited >= selectors.QUEUE_NOTICE_SECONDS
            else ""
        ),
        "stale_design": job.revision != organization.revision,
        "retry_fields": sorted(job.options.items()),
    }


@require_safe
@login_required
def export_job(request: HttpRequest, slug: str, job: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    context = _job_context(organization, _job_or_404(organization, job))
    # The page polls its status part (`?part=status`) every second while the job runs.
    if request.GET.get("part") == "status":
        return render(request, "exports/_status.html", context)
    return render(request, "exports/job.html", context)


@require_safe
@login_required
def export_download(request: HttpRequest, slug: str, job: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    finished = selectors.finished_file(organization, job)
    if finished is None:
        raise Http404(_("This export has no file (yet)."))
    return file_response(finished, attachment=request.GET.get("inline") != "1")
