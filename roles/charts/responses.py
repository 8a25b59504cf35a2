"""How a chart that could not be made answers over HTTP, shared by the chart files and the
printed chart: a plain-text message the user can act on, with the status that says why."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from roles.charts.options import options_error_text
from roles.charts.process import ChartError, ChartTimeout, ChartTooLarge


def plain_response(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def chart_error_response(error: ValidationError | ChartError) -> HttpResponse:
    """400 for bad options or an unknown phase (naming the field), 422 for a chart too large
    for the format, 503 with Retry-After for one that took too long, 503 when `dot` failed."""
    if isinstance(error, ValidationError):
        return plain_response(options_error_text(error), 400)
    if isinstance(error, ChartTooLarge):
        return plain_response(str(error), 422)
    response = plain_response(str(error), 503)
    if isinstance(error, ChartTimeout):
        response["Retry-After"] = "60"
    return response
