"""What a chart shows (`ChartOptions`), read from query parameters, and the URLs a chart links to.

Links are built here from the organization slug and integer ids only: user text never becomes
part of a URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from departments.models import Organization

VIEW_DEPARTMENTS = "departments"
VIEW_REPORTING = "reporting"
VIEWS = (VIEW_DEPARTMENTS, VIEW_REPORTING)

FORMATS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    # format: (content type, dot arguments). PNG at 144 dpi so a chart pasted into a slide stays
    # sharp; PNG and PDF go through cairo/pango, which finds the CJK font via fontconfig.
    "svg": ("image/svg+xml", ("-Tsvg",)),
    "png": ("image/png", ("-Tpng:cairo", "-Gdpi=144")),
    "pdf": ("application/pdf", ("-Tpdf:cairo",)),
}

MAX_DEPTH = 50

# Orientation: top-down (the default) or left-right, Graphviz's `rankdir`.
ORIENT_TOP_DOWN = "tb"
ORIENT_LEFT_RIGHT = "lr"
ORIENTS = (ORIENT_TOP_DOWN, ORIENT_LEFT_RIGHT)
# A parent with more children than this stacks them in rows of this many (roles.charts.boxes),
# so that a manager with 20 reports fits a landscape page instead of one endless row.
DEFAULT_SPAN = 6
SPAN_RANGE = (2, 30)


@dataclass(frozen=True)
class ChartOptions:
    """What to draw. `phase` is a HeadcountPhase id (None: the organization's first phase),
    `root` a department id (departments view) or role id (reporting view), `depth` the number
    of levels below and including the root level (None: as deep as fits), `orient` top-down
    (`tb`) or left-right (`lr`), `span` the most children drawn side by side under one parent.
    `full` draws every box and every role line however large the chart (an export to print
    or zoom into; PNG has a size limit, `roles.charts.render.MAX_PNG_PIXELS`); without it a
    chart too big to read on a screen is collapsed to the levels that fit."""

    view: str = VIEW_DEPARTMENTS
    phase: int | None = None
    root: int | None = None
    depth: int | None = None
    orient: str = ORIENT_TOP_DOWN
    span: int = DEFAULT_SPAN
    full: bool = False

    def query(self) -> dict[str, str | int]:
        """The query parameters of these options; the defaults of `orient` and `span` are left
        out, so that a chart URL stays as short as it was before they existed."""
        params: dict[str, str | int] = {"view": self.view}
        for name in ("phase", "root", "depth"):
            if getattr(self, name) is not None:
                params[name] = getattr(self, name)
        if self.orient != ORIENT_TOP_DOWN:
            params["orient"] = self.orient
        if self.span != DEFAULT_SPAN:
            params["span"] = self.span
        if self.full:
            params["full"] = 1
        return params


def parse_chart_options(params: Mapping[str, str]) -> ChartOptions:
    """Options from query parameters (`view`, `phase`, `root`, `depth`, `orient`, `span`,
    `full`); a
    ValidationError naming the field for anything malformed. Whether the phase and root exist is
    checked when drawing."""
    errors: dict[str, ValidationError] = {}
    view = (params.get("view") or VIEW_DEPARTMENTS).strip()
    if view not in VIEWS:
        errors["view"] = ValidationError(
            _("Choose the view “departments” or “reporting”."), code="invalid_choice"
        )
    orient = (params.get("orient") or ORIENT_TOP_DOWN).strip().lower()
    if orient not in ORIENTS:
        errors["orient"] = ValidationError(
            _("Choose the orientation “tb” (top-down) or “lr” (left-right)."),
            code="invalid_choice",
        )
    full = (params.get("full") or "0").strip().lower()
    if full not in ("0", "1", "true", "false"):
        errors["full"] = ValidationError(_("“full” must be 1 or 0."), code="invalid")
    numbers: dict[str, int | None] = {}
    for name, low, high in (
        ("phase", 1, None),
        ("root", 1, None),
        ("depth", 1, MAX_DEPTH),
        ("span", *SPAN_RANGE),
    ):
        raw = (params.get(name) or "").strip()
        numbers[name] = None
        if not raw:
            continue
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            errors[name] = ValidationError(
                _("“%(name)s” must be a whole number.") % {"name": name}, code="invalid"
            )
            continue
        value = int(raw)
        if value < low or (high is not None and value > high):
            errors[name] = ValidationError(
                _("“%(name)s” must be between %(low)s and %(high)s.")
                % {"name": name, "low": low, "high": high or "∞"},
                code="out_of_range",
            )
            continue
        numbers[name] = value
    if errors:
        raise ValidationError(errors)
    span = numbers.pop("span")
    return ChartOptions(
        view=view,
        orient=orient,
        span=DEFAULT_SPAN if span is None else span,
        full=full in ("1", "true"),
        **numbers,
    )


def options_error_text(error: ValidationError) -> str:
    """The plain-text answer to malformed chart or print options: one "field: message" line
    per problem."""
    if hasattr(error, "error_dict"):
        return "\n".join(
            f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "\n".join(error.messages)


def _reverse_or(name: str, kwargs: dict, fallback: str) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


def department_url(slug: str, pk: int) -> str:
    """The department page. Built from the validated slug and an integer id only."""
    pk = int(pk)
    return _reverse_or(
        "roles:department-detail",
        {"slug": slug, "pk": pk},
        f"/orgs/{_safe_slug(slug)}/departments/{pk}/",
    )


def role_url(slug: str, pk: int) -> str:
    """The role (job description) page. Built from the validated slug and an integer id only."""
    pk = int(pk)
    return _reverse_or(
        "roles:role-detail", {"slug": slug, "pk": pk}, f"/orgs/{_safe_slug(slug)}/roles/{pk}/"
    )


def chart_url(
    organization: Organization, fmt: str = "svg", options: ChartOptions | None = None
) -> str:
    """The URL of a chart file, e.g. for a download link or to refresh the inline chart."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    base = reverse("charts:chart-file", kwargs={"slug": organization.slug, "fmt": fmt})
    return f"{base}?{urlencode((options or ChartOptions()).query())}"


def _safe_slug(slug: str) -> str:
    # Slugs are validated by a SlugField; refusing anything else keeps a URL from ever carrying
    # text that was not checked.
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise ValueError("organization slug is not a slug")
    return slug
