"""Spreadsheet import in the API, nested under an organization (editors and owners):

- `POST /organizations/{slug}/import/` (multipart: `file`, optional `mapping` as JSON text,
  optional `apply=1`) → 201 with the import: its preview (what will be created, changed and
  left alone; every problem with its sheet, row and column). With `apply=1` and no problems it is
  applied at once; with problems, 400 and nothing written;
- `GET /organizations/{slug}/import/{id}/`: the import and its preview;
- `POST /organizations/{slug}/import/{id}/mapping/` `{"mapping": {header: field}}`: preview again
  with the columns mapped;
- `POST /organizations/{slug}/import/{id}/apply/`: apply it as one revision (undo takes it back).

The import itself is `roles.imports`.
"""

import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from departments.selectors import EDIT
from roles.api.common import SLUG_PARAMETER, ApiViewMixin, NestedUnderOrganizationMixin
from roles.imports import columns, selectors
from roles.imports.models import ImportJob, ImportState
from roles.imports.services import (
    import_job_apply,
    import_job_create,
    import_job_for,
    import_job_remap,
    import_job_start,
    import_jobs_expire_stale,
)
from teamorg.limits import IMPORT_FILE_MAX_BYTES, IMPORT_ROWS_MAX
from teamorg.nul_guard import StrictJSONParser

IMPORT_PARAMETER = OpenApiParameter(
    "job", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The import's id."
)
TRUE_VALUES = {"1", "true", "yes", "on"}


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "An XLSX or CSV file (UTF-8 with or without BOM, or GBK/GB18030), at most "
            "%(size)s MB and %(rows)s rows."
        )
        % {"size": IMPORT_FILE_MAX_BYTES // 1024 // 1024, "rows": f"{IMPORT_ROWS_MAX:,}"}
    )
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20_000,
        help_text=_(
            "JSON object: a header the import does not recognise → the field it holds, "
            "“phase” (head count of the phase named in the header) or “” (leave it out)."
        ),
    )
    apply = serializers.CharField(
        required=False,
        max_length=5,
        help_text=_("1: apply at once when the preview has no problems."),
    )


class ImportMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=40))


class ImportProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(help_text=_("Letter and header, e.g. “C (汇报对象)”."))
    message = serializers.CharField()
    code = serializers.CharField(
        help_text=_(
            "Stable: unknown_column, unknown_manager, ambiguous_manager, cycle, duplicate_code, "
            "duplicate_title, min_above_max, bad_number, bad_choice, required, invalid, …"
        )
    )


class ImportItemSerializer(serializers.Serializer):
    # Plain strings: `kind` already names other enums in the schema.
    kind = serializers.CharField(help_text=_("phase, department, role or collaboration."))
    action = serializers.CharField(help_text=_("create, change or same (left alone)."))
    name = serializers.CharField()
    code = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    changes = serializers.ListField(child=serializers.CharField())


class ImportJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    page = serializers.CharField(help_text=_("This import's page in the editor."))
    filename = serializers.CharField()
    state = serializers.ChoiceField(choices=ImportState.choices)
    revision = serializers.IntegerField(help_text=_("The revision the preview was made at."))
    applied_revision = serializers.IntegerField(allow_null=True)
    sheet = serializers.CharField()
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    problems = ImportProblemSerializer(many=True)
    unknown_columns = serializers.ListField(child=serializers.DictField())
    columns = serializers.ListField(child=serializers.DictField())
    items = ImportItemSerializer(many=True)
    items_total = serializers.IntegerField()
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True))
    mapping_choices = serializers.ListField(child=serializers.ListField())
    step = serializers.CharField(help_text=_("What a background import is doing now."))
    percent = serializers.IntegerField()
    queued_seconds = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "While queued: how long the apply has waited for a worker, in seconds; null "
            "otherwise. Past TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS (600 by default) without a "
            "worker it fails."
        ),
    )
    error = serializers.CharField(help_text=_("Why a background import failed; else empty."))


def import_representation(job: ImportJob, slug: str) -> dict:
    preview = job.preview or {}
    return {
        "id": job.pk,
        "url": reverse("organization-import", kwargs={"slug": slug, "job": job.pk}),
        "page": reverse("imports:job", kwargs={"slug": slug, "job": job.pk}),
        "filename": job.filename,
        "state": job.state,
        "revision": job.revision,
        "applied_revision": job.applied_revision,
        "sheet": preview.get("sheet", ""),
        "counts": preview.get("counts", {}),
        "problems": preview.get("problems", []),
        "unknown_columns": preview.get("unknown_columns", []),
        "columns": preview.get("columns", []),
        "items": preview.get("items", []),
        "items_total": preview.get("items_total", 0),
        "mapping": job.mapping,
        "mapping_choices": [list(choice) for choice in columns.mapping_choices()],
        "step": job.step,
        "percent": int(100 * job.done / job.total) if job.total else 0,
        "queued_seconds": selectors.queued_seconds(job),
        "error": job.error,
    }


class OrganizationImportViewSet(
    ApiViewMixin, NestedUnderOrganizationMixin, viewsets.GenericViewSet
):
    queryset = ImportJob.objects.none()
    filter_backends = []
    pagination_class = None

    # The upload is multipart; the mapping is JSON (the strict parser of every other view).
    parser_classes = [MultiPartParser, FormParser, StrictJSONParser]

    def _job(self, organization) -> ImportJob:
        # Every look notices an import whose worker never came or died (as the page's poll).
        import_jobs_expire_stale(organization=organization)
        try:
            return import_job_for(organization, self.kwargs["job"])
        except (ImportJob.DoesNotExist, ValidationError) as error:
            raise Http404(_("No such import.")) from error

    def _data(self, job: ImportJob) -> dict:
        return ImportJobSerializer(import_representation(job, self.kwargs["slug"])).data

    def _problems_response(self, job: ImportJob, error: ValidationError) -> Response:
        return Response(
            {
                "detail": " ".join(error.messages),
                "code": getattr(error, "code", None) or "import_problems",
                "import": self._data(job),
            },
            status=status.HTTP_400_BAD_REQUEST,
        )

    @extend_schema(
        tags=["imports"],
        parameters=[SLUG_PARAMETER],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportJobSerializer},
        summary="Upload a spreadsheet: preview (and apply) an import",
        description="Editors and owners. Nothing is written to the design until it is applied; "
        "a file over the size or row limit, with a formula cell, or an XLSX that would unpack "
        "to more than the limit is refused (400 on `file`).",
    )
    def create(self, request, *args, **kwargs):
        organization = self.organization(EDIT)
        body = ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
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
        mapping_text = body.validated_data.get("mapping") or "{}"
        try:
            mapping = json.loads(mapping_text)
        except ValueError as error:
            raise ValidationError(
                {"mapping": _("The column mapping is not valid JSON.")}, code="invalid"
            ) from error
        job = import_job_create(
            organization=organization,
            user=request.user,
            filename=upload.name or "upload",
            content=upload.read(),
            mapping=mapping,
        )
        if (body.validated_data.get("apply") or "").strip().lower() in TRUE_VALUES:
            try:
                job = import_job_apply(job=job)
            except ValidationError as error:
                job.refresh_from_db()
                return self._problems_response(job, error)
        data = self._data(job)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    @extend_schema(
        tags=["imports"],
        parameters=[SLUG_PARAMETER, IMPORT_PARAMETER],
        responses=ImportJobSerializer,
        summary="An import and its preview",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self._job(self.organization(EDIT))))

    @extend_schema(
        tags=["imports"],
        parameters=[SLUG_PARAMETER, IMPORT_PARAMETER],
        request=ImportMappingSerializer,
        responses=ImportJobSerializer,
        summary="Map unknown columns and preview again",
    )
    def mapping(self, request, *args, **kwargs):
        job = self._job(self.organization(EDIT))
        body = ImportMappingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = import_job_remap(job=job, mapping=body.validated_data["mapping"])
        return Response(self._data(job))

    @extend_schema(
        tags=["imports"],
        parameters=[SLUG_PARAMETER, IMPORT_PARAMETER],
        request=None,
        responses={200: ImportJobSerializer, 202: ImportJobSerializer},
        summary="Apply an import as one revision",
        description="200 when applied; 202 when a large sheet (over 1,000 rows) is applied by a "
        "background job: poll the import for `state`, `step` and `percent`. 400 with the new "
        "preview when the sheet has problems or the design changed since the preview; nothing is "
        "written then. Undo (history) takes the whole import back.",
    )
    def apply(self, request, *args, **kwargs):
        job = self._job(self.organization(EDIT))
        try:
            job = import_job_start(job=job)
        except ValidationError as error:
            job.refresh_from_db()
            return self._problems_response(job, error)
        running = job.state in (ImportState.QUEUED, ImportState.RUNNING)
        return Response(
            self._data(job), status=status.HTTP_202_ACCEPTED if running else status.HTTP_200_OK
        )
