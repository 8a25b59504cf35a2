"""From a design to a chart file: the DOT source (`build_chart`, `organization_chart`), `dot` run
on it (`render_dot`), and the rendered files cached by organization revision (`chart_file`).

Rendered files are cached under a key holding the organization revision, so an unchanged chart is
served without reading the design or running `dot`, and any write (which bumps the revision)
makes a new key.

Speed (target: at most 25 % over `dot` itself at 100 roles, tests/benchmarks/charts.py): a chart
reads only the part of the design it draws, in a fixed number of queries, and writes the DOT text
directly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from departments.models import Organization
from roles.charts import process
from roles.charts.boxes import Chart, draw
from roles.charts.data import drawing_from_design, read_drawing
from roles.charts.options import FORMATS, ChartOptions
from roles.selectors import Design
from teamorg.i18n import content_language

CACHE_SECONDS = 7 * 24 * 3600  # the key holds the revision, so an entry never goes stale
# 2: wide spans stacked in rows, collaboration lines numbered with their descriptions in the
# legend; files drawn before for the same revision are drawn again.
CACHE_VERSION = 2
# A PNG is at most this many pixels (at 144 dpi, two pixels per point): beyond it a full export
# is refused with a message pointing to the PDF print and the SVG, which have no such limit.
MAX_PNG_PIXELS = 60_000_000
MAX_PNG_SIDE = 32_000  # what cairo and most image viewers take
_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


@dataclass
class ChartFile:
    content: bytes
    content_type: str
    filename: str


def build_chart(design: Design, options: ChartOptions) -> Chart:
    """The chart of a whole design already in memory (no query).

    Raises ValidationError for a phase that is not part of the design, `Department.DoesNotExist`
    / `Role.DoesNotExist` for a root that is not."""
    return draw(drawing_from_design(design, options), options)


def organization_chart(organization: Organization, options: ChartOptions) -> Chart:
    """The chart of a stored organization, reading only the part it draws (as `chart_file`).

    Raises ValidationError for a phase that is not one of the organization's,
    `Department.DoesNotExist` / `Role.DoesNotExist` for a root that is not its node."""
    return draw(read_drawing(organization, options), options)


def chart_source(organization: Organization, options: ChartOptions) -> str:
    """The DOT source for a stored organization, as `chart_file` draws it."""
    return organization_chart(organization, options).source


def chart_cache_key(
    organization: Organization, options: ChartOptions, fmt: str, language: str | None = None
) -> str:
    parts = (
        organization.pk,
        organization.revision,
        options.view,
        options.phase,
        options.root,
        options.depth,
        options.orient,
        options.span,
        int(options.full),
        fmt,
        content_language(language),
    )
    return "teamorg:chart:" + ":".join("-" if p is None else str(p) for p in parts)


def chart_etag(
    organization: Organization, options: ChartOptions, fmt: str, language: str | None = None
) -> str:
    key = chart_cache_key(organization, options, fmt, language)
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def chart_file(
    organization: Organization,
    options: ChartOptions,
    fmt: str,
    *,
    language: str | None = None,
) -> ChartFile:
    """The rendered chart, from the cache when this revision was drawn before.

    Raises ValidationError (unknown format or phase), `Department.DoesNotExist` /
    `Role.DoesNotExist` (unknown root), ChartTimeout or ChartError."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ValidationError(_("Unknown format."), code="invalid")})
    language = language or translation.get_language()
    key = chart_cache_key(organization, options, fmt, language)
    cached = cache.get(key, version=CACHE_VERSION)
    if cached is not None:
        return ChartFile(*cached)
    if fmt == "png" and options.full:
        _check_png_size(chart_file(organization, options, "svg", language=language).content)
    with translation.override(language):
        chart = organization_chart(organization, options)
        content = render_dot(chart.source, fmt)
    result = ChartFile(content, FORMATS[fmt][0], f"{chart.file_stem}.{fmt}")
    cache.set(
        key,
        (result.content, result.content_type, result.filename),
        CACHE_SECONDS,
        version=CACHE_VERSION,
    )
    return result


def _check_png_size(svg: bytes) -> None:
    """Raise ChartTooLarge when the PNG of this chart (drawn as `svg`) would be too large."""
    found = _SVG_SIZE.search(svg[:2000])
    if found is None:
        return
    width, height = (round(float(value) * 2) for value in found.groups())
    if width * height > MAX_PNG_PIXELS or max(width, height) > MAX_PNG_SIDE:
        raise process.ChartTooLarge(
            _(
                "This chart would be a PNG of %(width)s × %(height)s pixels, more than an image "
                "can hold. Download the print PDF (every part on pages of its own) or the SVG."
            )
            % {"width": f"{width:,}", "height": f"{height:,}"}
        )


def render_dot(source: str, fmt: str, *, timeout: float | None = None) -> bytes:
    """Run the real `dot` on `source` with a timeout (settings.TEAMORG_DOT_TIMEOUT_SECONDS) and
    return the file in `fmt` (svg, png or pdf). Raises ChartTimeout or ChartError."""
    content_type, arguments = FORMATS[fmt]
    output = process.run_dot(source, arguments, timeout=timeout)
    if fmt == "svg":
        output = _fix_svg_links(output)
    return output


# The "&" between the parameters of a chart URL ("?view=…&phase=…&root=…&orient=…"), the only
# URLs built here with more than one parameter.
_RAW_QUERY_AMPERSAND = re.compile(rb"&(?=(?:view|phase|root|depth|orient|span|full)=)")


def _fix_svg_links(svg: bytes) -> bytes:
    # Graphviz 2.4x writes the "&" between query parameters of a URL raw into the SVG, which is
    # not well-formed XML. Everywhere else in the SVG (text, tooltips) an "&" is written as an
    # entity, so a raw "&" followed by one of our parameter names can only be in such a URL;
    # newer Graphviz versions already write "&amp;", which this leaves alone. One scan of the
    # file for "&", instead of a pattern over every attribute.
    return _RAW_QUERY_AMPERSAND.sub(b"&amp;", svg)
