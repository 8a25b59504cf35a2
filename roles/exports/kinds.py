"""What can be exported in the background, the options each kind takes, and how it is built.

Each kind parses its options into a normalized dict (the language included), so that equal
requests get equal keys and join the same job, and builds the file from the organization as it
is now, reporting progress as it goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from departments.models import Organization
from roles import charts, documents
from roles.documents.pdf import ProgressCallback
from roles.planning.exports import XLSX, plan_download


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: object  # a lazy translation: shown in the language of whoever looks
    parse: Callable[[Mapping[str, str]], dict]
    build: Callable[[Organization, dict, ProgressCallback], Built]


def _language(params: Mapping[str, str]) -> str:
    """The document language: `lang` when given, else the language of the request."""
    wanted = (params.get("lang") or translation.get_language() or settings.LANGUAGE_CODE).strip()
    codes = {code for code, _name in settings.LANGUAGES}
    if wanted not in codes:
        raise ValidationError(
            {"lang": _("Choose the language %(choices)s.") % {"choices": " / ".join(sorted(codes))}}
        )
    return wanted


def _handbook_options(params: Mapping[str, str]) -> dict:
    return {"lang": _language(params)}


def _build_handbook(organization: Organization, options: dict, progress) -> Built:
    with translation.override(options["lang"]):
        pdf = documents.handbook_pdf(organization, use_cache=False, progress=progress)
    return Built(pdf.content, pdf.filename, "application/pdf")


_PRINT_PARAMS = ("view", "phase", "root", "orient", "span", "paper", "landscape")


def _chart_print_options(params: Mapping[str, str]) -> dict:
    """The chart's print options, normalized: parsed (a ValidationError naming the field for
    anything malformed), then written back as the query parameters that give the same print."""
    language = _language(params)
    given = {key: str(params[key]) for key in _PRINT_PARAMS if params.get(key) not in (None, "")}
    parsed = charts.parse_print_options(given)
    normalized = {
        "view": parsed.chart.view,
        "orient": parsed.chart.orient,
        "span": str(parsed.chart.span),
        "paper": parsed.paper,
        "landscape": "1" if parsed.landscape else "0",
        "lang": language,
    }
    if parsed.chart.phase is not None:
        normalized["phase"] = str(parsed.chart.phase)
    if parsed.chart.root is not None:
        normalized["root"] = str(parsed.chart.root)
    return normalized


def _build_chart_print(organization: Organization, options: dict, progress) -> Built:
    with translation.override(options["lang"]):
        pdf = documents.chart_print_pdf(
            organization,
            charts.parse_print_options(options),
            time_limit=settings.TEAMORG_EXPORT_TIME_LIMIT_SECONDS,
            use_cache=False,
            progress=progress,
        )
    return Built(pdf.content, pdf.filename, "application/pdf")


def _plan_xlsx_options(params: Mapping[str, str]) -> dict:
    return {"lang": _language(params)}


def _build_plan_xlsx(organization: Organization, options: dict, progress) -> Built:
    with translation.override(options["lang"]):
        progress("spreadsheet", 0, 1)
        download = plan_download(organization, XLSX)
        # The sheets are written as the chunks are read: still in the document's language.
        content = download.read()
    return Built(content, download.filename, download.content_type)


KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind(
            "handbook",
            pgettext_lazy("export", "Team handbook (PDF)"),
            _handbook_options,
            _build_handbook,
        ),
        ExportKind(
            "chart_print",
            pgettext_lazy("export", "Printed org chart (PDF)"),
            _chart_print_options,
            _build_chart_print,
        ),
        ExportKind(
            "plan_xlsx",
            pgettext_lazy("export", "Head-count plan (XLSX)"),
            _plan_xlsx_options,
            _build_plan_xlsx,
        ),
    )
}


def export_kind(name: str) -> ExportKind:
    """The kind called `name`; a ValidationError on `kind` naming the choices otherwise."""
    kind = KINDS.get(name or "")
    if kind is None:
        raise ValidationError(
            {"kind": _("Choose the kind %(choices)s.") % {"choices": ", ".join(KINDS)}},
            code="invalid_choice",
        )
    return kind
