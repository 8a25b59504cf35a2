"""Chart files: /orgs/{slug}/chart.svg|png|pdf?view=departments|reporting&phase=&root=&depth=.

Thin: access through `organization_for`, the chart from `roles.charts`. Malformed options and an
unknown phase are a 400 naming the field; a root that is not a node of this organization (missing,
or another organization's) is a 404, as a missing page is everywhere else."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from departments.selectors import READ, organization_for
from roles import charts

_NO_DEPARTMENT = gettext_noop("This organization has no department %(id)s.")
_NO_ROLE = gettext_noop("This organization has no role %(id)s.")


@login_required
@require_safe
def chart_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A chart file, inline (or as an attachment with `?download=1`), from the revision cache."""
    organization = organization_for(request.user, slug, READ)
    try:
        options = charts.parse_chart_options(request.GET)
    except ValidationError as error:
        return charts.chart_error_response(error)
    language = get_language()
    etag = charts.chart_etag(organization, options, fmt, language)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        try:
            chart = charts.chart_file(organization, options, fmt, language=language)
        except ObjectDoesNotExist:
            # A node of another organization looks exactly like a missing one.
            missing = _NO_ROLE if options.view == charts.VIEW_REPORTING else _NO_DEPARTMENT
            raise Http404(_(missing) % {"id": options.root}) from None
        except (ValidationError, charts.ChartError) as error:
            return charts.chart_error_response(error)
        response = HttpResponse(chart.content, content_type=chart.content_type)
        response["Content-Disposition"] = content_disposition_header(
            request.GET.get("download") == "1", chart.filename
        )
        # A chart opened on its own must not run anything, even if an escaping bug let markup in.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    # The browser revalidates every time; an unchanged revision answers 304 without a body.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Accept-Language"
    return response
