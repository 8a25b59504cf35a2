"""Job descriptions (岗位说明书), department charters (部门职能说明书) and the handbook.

The one module that gathers what each document shows and renders PDFs with WeasyPrint. Pages and
PDFs share the same template partials (`templates/roles/partials/`); only the frame differs
(`base.html` for the browser, `roles/print/base.html` with `static/print/documents.css` for
paper). Data always comes from one `organization_design()` read, so a handbook of hundreds of roles
costs the same few queries as one job description.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, HeadcountTarget, Requirement, RequirementKind, Role
from roles.selectors import Design, organization_design

logger = logging.getLogger(__name__)

# Relative links in our print templates resolve against this. The `.invalid` TLD never resolves,
# and the URL fetcher below answers every request itself, so nothing leaves the process.
BASE_URL = "https://teamorg.invalid/"
# Bumped when templates or print CSS change in a way that must not be served from the cache.
DOCUMENTS_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60


# --- what the documents show ------------------------------------------------------------------


@dataclass
class HeadcountCell:
    phase: HeadcountPhase
    min_count: int | None = None
    max_count: int | None = None

    @property
    def is_set(self) -> bool:
        return self.min_count is not None

    def __str__(self) -> str:
        if self.min_count is None:
            return "—"
        if self.min_count == self.max_count:
            return str(self.min_count)
        return f"{self.min_count}–{self.max_count}"


@dataclass
class RequirementGroup:
    kind: str
    label: str
    lines: list[Requirement]


@dataclass
class RoleDocument:
    """Everything a job description shows; empty sections are empty lists or blank strings."""

    organization: Organization
    role: Role
    department: Department
    reports_to: Role | None
    direct_reports: list[Role]
    headcount: list[HeadcountCell]
    duties: list
    requirement_groups: list[RequirementGroup]
    kpis: list
    combinable_with: list[Role]
    salary_band: str
    anchor: str

    @property
    def title(self) -> str:
        return self.role.title

    @property
    def has_headcount(self) -> bool:
        return any(cell.is_set for cell in self.headcount)

    @property
    def has_pay(self) -> bool:
        return bool(self.role.pay_structure or self.salary_band or self.role.pay_note)


@dataclass
class CharterPosition:
    role: Role
    headcount: list[HeadcountCell]


@dataclass
class CollaborationLine:
    counterpart: str
    description: str
    outgoing: bool


@dataclass
class DepartmentDocument:
    """A department charter in the seeds' format: 直接上级, 下属部门, 职责概述, 岗位设置/人员编制,
    工作职能, plus the collaboration lines (对接)."""

    organization: Organization
    department: Department
    superior: str
    sub_departments: list[Department]
    positions: list[CharterPosition]
    totals: list[HeadcountCell]
    functions: list[str]
    collaborations: list[CollaborationLine]
    anchor: str
    roles: list[RoleDocument] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.department.name

    @property
    def has_headcount(self) -> bool:
        return any(cell.is_set for cell in self.totals)


@dataclass
class Handbook:
    organization: Organization
    charters: list[DepartmentDocument]
    chart_svg: bytes | None

    @property
    def role_count(self) -> int:
        return sum(len(charter.roles) for charter in self.charters)


def _headcount_cells(design: Design, role: Role) -> list[HeadcountCell]:
    cells = []
    for phase in design.phases:
        target = design.headcount.get((role.pk, phase.pk))
        if target is None:
            cells.append(HeadcountCell(phase))
        else:
            cells.append(HeadcountCell(phase, target.min_count, target.max_count))
    return cells


def _salary_band(role: Role) -> str:
    low, high = role.salary_min, role.salary_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        band = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    elif low is not None:
        band = pgettext("document", "from %(amount)s") % {"amount": f"{low:,}"}
    else:
        band = pgettext("document", "up to %(amount)s") % {"amount": f"{high:,}"}
    return pgettext("document", "%(band)s CNY per month") % {"band": band}


def role_document(design: Design, role: Role) -> RoleDocument:
    """The job description of `role`, a role of `design` (no query: all of it is prefetched)."""
    requirements = list(role.requirements.all())
    groups = []
    for kind, label in RequirementKind.choices:
        lines = [line for line in requirements if line.kind == kind]
        if lines:
            groups.append(RequirementGroup(kind=kind, label=str(label), lines=lines))
    return RoleDocument(
        organization=design.organization,
        role=role,
        department=design.department(role.department_id),
        reports_to=design.role(role.reports_to_id) if role.reports_to_id else None,
        direct_reports=list(role.get_children()),
        headcount=_headcount_cells(design, role),
        duties=list(role.duties.all()),
        requirement_groups=groups,
        kpis=list(role.kpis.all()),
        combinable_with=sorted(role.combinable_with.all(), key=lambda other: other.title),
        salary_band=_salary_band(role),
        anchor=f"role-{role.pk}",
    )


def _superior(design: Design, department: Department) -> str:
    """直接上级: the parent department, or for a top department the role its head reports to."""
    if department.parent_id:
        return design.department(department.parent_id).name
    own = {role.pk for role in design.roles_by_department.get(department.pk, [])}
    for role in design.roles_by_department.get(department.pk, []):
        if role.reports_to_id and role.reports_to_id not in own:
            return design.role(role.reports_to_id).title
    return ""


def _collaboration_lines(design: Design, department: Department) -> list[CollaborationLine]:
    own_roles = {role.pk for role in design.roles_by_department.get(department.pk, [])}
    lines = []
    for line in design.collaborations:
        line: Collaboration
        if line.from_department_id is not None:
            ends = (line.from_department_id, line.to_department_id)
            if department.pk not in ends:
                continue
            outgoing = line.from_department_id == department.pk
            other = design.department(ends[1] if outgoing else ends[0]).name
        else:
            ends = (line.from_role_id, line.to_role_id)
            if not own_roles.intersection(ends):
                continue
            outgoing = line.from_role_id in own_roles
            here, there = (ends[0], ends[1]) if outgoing else (ends[1], ends[0])
            other = f"{design.role(here).title} ↔ {design.role(there).title}"
        lines.append(
            CollaborationLine(counterpart=other, description=line.description, outgoing=outgoing)
        )
    return lines


def department_document(
    design: Design, department: Department, *, with_roles: bool = False
) -> DepartmentDocument:
    """The charter of `department`; with the job descriptions of its roles when `with_roles`."""
    roles = design.roles_by_department.get(department.pk, [])
    positions = [CharterPosition(role, _headcount_cells(design, role)) for role in roles]
    totals = []
    for index, phase in enumerate(design.phases):
        cells = [position.headcount[index] for position in positions]
        set_cells = [cell for cell in cells if cell.is_set]
        if set_cells:
            totals.append(
                HeadcountCell(
                    phase,
                    sum(cell.min_count for cell in set_cells),
                    sum(cell.max_count for cell in set_cells),
                )
            )
        else:
            totals.append(HeadcountCell(phase))
    return DepartmentDocument(
        organization=design.organization,
        department=department,
        superior=_superior(design, department),
        sub_departments=list(department.get_children()),
        positions=positions,
        totals=totals,
        functions=department.function_lines,
        collaborations=_collaboration_lines(design, department),
        anchor=f"department-{department.pk}",
        roles=[role_document(design, role) for role in roles] if with_roles else [],
    )


def handbook(design: Design) -> Handbook:
    """Every charter, each followed by the job descriptions of its roles, in tree order."""
    return Handbook(
        organization=design.organization,
        charters=[
            department_document(design, department, with_roles=True)
            for department in design.departments
        ],
        chart_svg=department_chart_svg(design),
    )


# --- reading the design ------------------------------------------------------------------------


class DocumentNotFound(LookupError):
    """No such role or department in this organization (the views answer 404)."""


def load_lines(design: Design, roles: list[Role]) -> None:
    """Fetch duties, requirements, KPIs, head count and combinable roles for `roles` only: five
    queries, however many roles the organization has. For one job description this is ten
    times faster than reading every role's lines (0.05 s instead of 0.6 s at 500 roles)."""
    if not roles:
        return
    prefetch_related_objects(
        roles,
        "duties",
        "requirements",
        "kpis",
        Prefetch("headcount", queryset=HeadcountTarget.objects.order_by("phase__order")),
        Prefetch("combinable_with", queryset=Role.objects.only("pk", "title_zh", "title_en")),
    )
    for role in roles:
        for target in role.headcount.all():
            design.headcount[(role.pk, target.phase_id)] = target


def _role_design(organization: Organization, pk: int) -> tuple[Design, Role]:
    design = organization_design(organization, with_lines=False)
    try:
        role = design.role(pk)
    except KeyError:
        raise DocumentNotFound(pk) from None
    load_lines(design, [role])
    return design, role


def _department_design(organization: Organization, pk: int) -> tuple[Design, Department]:
    design = organization_design(organization, with_lines=False)
    try:
        department = design.department(pk)
    except KeyError:
        raise DocumentNotFound(pk) from None
    load_lines(design, design.roles_by_department.get(department.pk, []))
    return design, department


def role_page(organization: Organization, pk: int) -> RoleDocument:
    """The job description of role `pk` of `organization`; DocumentNotFound if it has none."""
    design, role = _role_design(organization, pk)
    return role_document(design, role)


def department_page(organization: Organization, pk: int) -> DepartmentDocument:
    design, department = _department_design(organization, pk)
    return department_document(design, department)


# --- org chart for the handbook ------------------------------------------------------------------


def department_chart_svg(design: Design) -> bytes | None:
    """The department chart (drawn and cached by `departments.charts`), or None when there is
    nothing to draw or it cannot be drawn: the handbook is still useful without it."""
    from roles.charts import build as charts

    if not design.departments:
        return None
    options = charts.ChartOptions(view=charts.VIEW_DEPARTMENTS)
    try:
        return charts.chart_file(design.organization, options, "svg").content
    except (charts.ChartError, ValidationError) as error:
        logger.warning("handbook of %s without a chart: %s", design.organization.slug, error)
        return None


# --- PDF rendering -----------------------------------------------------------------------------


def _static_path(url: str) -> str | None:
    """The file behind a URL under STATIC_URL, found by the staticfiles finders, else None."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    relative = unquote(urlsplit(url[len(prefix) :]).path)
    if not relative or relative.startswith("/"):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return found if isinstance(found, str) else None


def fetch_local(url: str) -> tuple[bytes, str]:
    """Bytes and MIME type of one resource a document links to.

    Only our own static files and inline `data:` URLs; everything else (http, file, ftp,
    anything outside the static dirs) is refused, so a document never reaches the network or
    reads a file it was not meant to.
    """
    if url.startswith("data:"):
        header, _sep, payload = url[5:].partition(",")
        mime = header.split(";")[0] or "text/plain"
        data = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload)
        return (data if isinstance(data, bytes) else data.encode("utf-8")), mime
    path = _static_path(url)
    if path is None:
        raise ValueError(f"Documents may only load local static files, not {url!r}.")
    with open(path, "rb") as handle:
        data = handle.read()
    return data, mimetypes.guess_type(path)[0] or "application/octet-stream"


def _url_fetcher():
    """Recent WeasyPrint (70 here) takes a URLFetcher object; older ones a plain function."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:

        def fetch(url):
            data, mime = fetch_local(url)
            return {"string": data, "mime_type": mime, "redirected_url": url}

        return fetch

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            data, mime = fetch_local(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})

    return LocalOnlyFetcher()


def render_pdf(template_name: str, context: dict, *, tagged: bool = True) -> bytes:
    """Render one of our print templates to PDF bytes in the active language."""
    return html_to_pdf(render_to_string(template_name, context), tagged=tagged)


_thread_state = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread: building it (fontconfig, Pango font map)
    is about a third of a one-page render. Our CSS declares no @font-face, so nothing from one
    document is left in it for the next; per thread because Pango objects are not thread-safe."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_thread_state, "font_config", None)
    if config is None:
        config = _thread_state.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str, *, tagged: bool = True) -> bytes:
    """PDF bytes of `html`; linked resources come only through `fetch_local`.

    Fonts are embedded as subsets (WeasyPrint's default). `tagged` adds the structure tree
    screen readers use; it costs about a fifth of the rendering time, which matters only for
    the handbook. Title, author and language are written either way.
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher())
    return document.write_pdf(pdf_tags=tagged, font_config=_font_config())


def _print_context(title: str, organization: Organization, **extra) -> dict:
    return {
        "document_title": title,
        "organization": organization,
        "author": organization.name,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        **extra,
    }


@dataclass
class PDF:
    content: bytes
    filename: str


def _cached(kind: str, organization: Organization, pk, build) -> PDF:
    """A PDF is a pure function of the design revision and the language: cache it under both, so
    a repeated download skips reading the design as well as rendering. The organization's
    revision is read before the design, so the content is at least as new as its key."""
    key = ":".join(
        str(part)
        for part in (
            "teamorg:pdf",
            DOCUMENTS_VERSION,
            kind,
            organization.pk,
            organization.revision,
            translation.get_language(),
            pk,
        )
    )
    cached = cache.get(key)
    if cached is not None:
        return PDF(*cached)
    pdf = build()
    cache.set(key, (pdf.content, pdf.filename), CACHE_SECONDS)
    return pdf


def role_pdf(organization: Organization, pk: int, *, use_cache: bool = True) -> PDF:
    """The job description of role `pk` as PDF; DocumentNotFound if the organization has none."""

    def build() -> PDF:
        design, role = _role_design(organization, pk)
        doc = role_document(design, role)
        content = render_pdf(
            "roles/print/role.html", _print_context(doc.title, organization, doc=doc)
        )
        return PDF(content, pdf_filename(pgettext("document", "Job description"), doc.title))

    return _cached("role", organization, pk, build) if use_cache else build()


def department_pdf(organization: Organization, pk: int, *, use_cache: bool = True) -> PDF:
    """The charter of department `pk` as PDF; DocumentNotFound if the organization has none."""

    def build() -> PDF:
        design, department = _department_design(organization, pk)
        doc = department_document(design, department)
        context = _print_context(doc.title, organization, doc=doc)
        content = render_pdf("roles/print/department.html", context)
        return PDF(content, pdf_filename(pgettext("document", "Department charter"), doc.title))

    return _cached("department", organization, pk, build) if use_cache else build()


def handbook_title(organization: Organization) -> str:
    return pgettext("document", "%(organization)s · Team handbook") % {
        "organization": organization.name
    }


def handbook_plots(organization: Organization) -> list[tuple[str, str]]:
    """The head-count plots of the plan page as (title, data URI), for the handbook."""
    from roles.planning.data import organization_plan
    from roles.planning.plots import plan_svgs

    svgs = plan_svgs(organization_plan(organization))
    titles = {
        "headcount_by_department": pgettext("document", "Head count by department and phase"),
        "cumulative_hires": pgettext("document", "Cumulative hires along the hiring roadmap"),
    }
    return [
        (titles[key], "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode())
        for key, svg in svgs.items()
    ]


def handbook_pdf(organization: Organization, *, use_cache: bool = True) -> PDF:
    """Cover, contents, org chart, head-count plots, then every charter followed by its job
    descriptions."""

    def build() -> PDF:
        book = handbook(organization_design(organization))
        chart = None
        if book.chart_svg:
            chart = "data:image/svg+xml;base64," + base64.b64encode(book.chart_svg).decode()
        title = handbook_title(organization)
        context = _print_context(
            title, organization, book=book, chart_src=chart, plots=handbook_plots(organization)
        )
        content = render_pdf("roles/print/handbook.html", context, tagged=False)
        return PDF(content, pdf_filename(organization.name, pgettext("document", "Team handbook")))

    return _cached("handbook", organization, "", build) if use_cache else build()


_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def pdf_filename(*parts: str) -> str:
    """A download name that keeps Chinese and drops what file systems refuse."""
    name = " - ".join(part for part in parts if part)
    name = _UNSAFE_FILENAME.sub(" ", name).strip() or "document"
    return f"{name[:120]}.pdf"
