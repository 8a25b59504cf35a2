"""A finished export's file as an HTTP response (pages and API alike)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from roles.models import ExportJob


def file_response(job: ExportJob, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(bytes(job.result), content_type=job.content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, job.filename)
    # Private to the organization's members; the job's id changes with every revision.
    response["Cache-Control"] = "private, no-cache"
    return response
