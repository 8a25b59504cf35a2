"""Long exports as background jobs, nested under an organization:

- `POST /organizations/{slug}/exports/` `{"kind": …, "options": {…}}` → 202 with the job and
  its URL in `Location`; a job already queued, running or done for the same revision and
  options is joined (the same id);
- `GET /organizations/{slug}/exports/`: recent jobs, newest first;
- `GET /organizations/{slug}/exports/{id}/`: state, step, progress and, once done, `result`;
- `GET /organizations/{slug}/exports/{id}/download/`: the file.

Anyone who may read the organization may export it. The jobs themselves are
`roles.exports`.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from departments.models import Organization
from roles.api.common import SLUG_PARAMETER, ApiViewMixin, NestedUnderOrganizationMixin
from roles.exports import selectors, services
from roles.exports.files import file_response
from roles.exports.kinds import KINDS
from roles.models import ExportJob, ExportState

JOB_PARAMETER = OpenApiParameter(
    "job", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The export job's id."
)


class ExportRequestSerializer(serializers.Serializer):
    # Not a ChoiceField: a requirement's `kind` already names an enum in the schema. The
    # service refuses an unknown kind with the choices.
    kind = serializers.CharField(
        max_length=40,
        help_text=_(
            "One of: %(kinds)s. handbook: every charter and job description in one PDF; "
            "chart_print: the org chart on A4 or A3, one page per part of the tree; plan_xlsx: "
            "the head-count plan."
        )
        % {"kinds": ", ".join(KINDS)},
    )
    options = serializers.DictField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        required=False,
        default=dict,
        help_text=_(
            "lang (zh-hans or en) for every kind; chart_print also takes the print options of "
            "/orgs/{slug}/chart-print.pdf: view, phase, root, orient, span, paper, landscape."
        ),
    )


class ExportJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField(help_text=_("This job in the API."))
    page = serializers.CharField(help_text=_("This job's page, with its progress bar."))
    kind = serializers.CharField()
    options = serializers.DictField(child=serializers.CharField())
    revision = serializers.IntegerField(help_text=_("The design revision it exports."))
    state = serializers.ChoiceField(choices=ExportState.choices)
    step = serializers.CharField(help_text=_("What it is doing now."))
    done = serializers.IntegerField(help_text=_("Items (pages) done of `total`."))
    total = serializers.IntegerField(help_text=_("0 while not known yet."))
    percent = serializers.IntegerField()
    error = serializers.CharField(help_text=_("Why it failed; empty otherwise."))
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    time_limit_seconds = serializers.IntegerField()
    queued_seconds = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "While queued: how long it has waited for a worker, in seconds; null otherwise. "
            "Past TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS (600 by default) without a worker it fails."
        ),
    )
    result = serializers.CharField(
        allow_null=True, help_text=_("The file's download URL once done, else null.")
    )
    filename = serializers.CharField()
    size = serializers.IntegerField(help_text=_("The file's size in bytes once done."))


def job_representation(job: ExportJob, slug: str) -> dict:
    api_url = reverse("organization-export", kwargs={"slug": slug, "job": job.pk})
    done = job.state == ExportState.DONE
    return {
        "id": job.pk,
        "url": api_url,
        "page": reverse("exports:job", kwargs={"slug": slug, "job": job.pk}),
        "kind": job.kind,
        "options": job.options,
        "revision": job.revision,
        "state": job.state,
        "step": selectors.step_label(job),
        "done": job.done,
        "total": job.total,
        "percent": selectors.progress_percent(job),
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "time_limit_seconds": job.time_limit_seconds,
        "queued_seconds": selectors.queued_seconds(job),
        "result": api_url + "download/" if done else None,
        "filename": job.filename,
        "size": job.size if done else 0,
    }


class OrganizationExportViewSet(
    ApiViewMixin, NestedUnderOrganizationMixin, viewsets.GenericViewSet
):
    queryset = ExportJob.objects.none()  # tells the schema the model; reads use selectors
    filter_backends = []

    def job(self, organization: Organization) -> ExportJob:
        services.expire_stale_jobs(organization)
        job = selectors.export_job(organization, self.kwargs["job"])
        if job is None:
            raise Http404(_("No such export."))
        return job

    def _serialized(self, job: ExportJob) -> dict:
        return ExportJobSerializer(job_representation(job, self.kwargs["slug"])).data

    @extend_schema(
        tags=["exports"],
        parameters=[SLUG_PARAMETER],
        request=ExportRequestSerializer,
        responses={202: ExportJobSerializer},
        summary="Start (or join) a background export",
        description="Readers may export. 202 with the job; `Location` is its URL. The same "
        "kind and options for the same revision give the job already queued, running or done "
        "(a finished one is the cached file). Poll the job for progress.",
    )
    def create(self, request, *args, **kwargs):
        organization = self.organization()
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job, _created = services.request_export(
            user=request.user,
            organization=organization,
            kind=body.validated_data["kind"],
            params=body.validated_data["options"],
        )
        data = self._serialized(job)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(
        tags=["exports"],
        parameters=[SLUG_PARAMETER],
        responses=ExportJobSerializer(many=True),
        summary="Recent exports of an organization",
        description="Newest first, paged like every list.",
    )
    def list(self, request, *args, **kwargs):
        organization = self.organization()
        services.expire_stale_jobs(organization)
        page = self.paginate_queryset(selectors.recent_export_jobs(organization))
        return self.get_paginated_response([self._serialized(job) for job in page])

    @extend_schema(
        tags=["exports"],
        parameters=[SLUG_PARAMETER, JOB_PARAMETER],
        responses=ExportJobSerializer,
        summary="An export job: state, progress, result",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialized(self.job(self.organization())))

    @extend_schema(
        tags=["exports"],
        parameters=[SLUG_PARAMETER, JOB_PARAMETER],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The PDF or XLSX file."
            )
        },
        summary="The file of a finished export",
        description="404 until the job is done.",
    )
    def download(self, request, *args, **kwargs):
        organization = self.organization()
        job = selectors.finished_file(organization, self.kwargs["job"])
        if job is None:
            raise Http404(_("This export has no file (yet)."))
        return file_response(job, attachment=True)
