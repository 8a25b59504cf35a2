"""What job descriptions (岗位说明书), department charters (部门职能说明书) and the handbook show.

Pages and PDFs share the same template partials (`templates/roles/partials/`); only the frame
differs (`base.html` for the browser, `roles/print/base.html` with `static/print/documents.css`
for paper; rendering in `roles.documents.pdf`). Data always comes from one
`organization_design()` read, so a handbook of hundreds of roles costs the same few queries as one
job description.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import pgettext, pgettext_lazy

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, HeadcountTarget, Requirement, RequirementKind, Role
from roles.selectors import Design, organization_design
from roles.selectors.department_headcount import DepartmentPhase, department_headcount
from teamorg.i18n import ShownText, shown_value

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
class RequirementSection:
    """The requirements a candidate must meet (任职要求), or those that are nice to have
    (优先条件), each grouped by kind."""

    preferred: bool
    groups: list[RequirementGroup]


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
    requirement_sections: list[RequirementSection]
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


# --- the two versions of a job description ------------------------------------------------------
# The candidate version is what a candidate may be handed (the default of "download for
# hiring"); the internal one shows everything, for HR and managers (and the handbook). The
# `?version=` of the role page and of its PDF names one; without it, both show the internal
# version, as they always did.
CANDIDATE = "candidate"
INTERNAL = "internal"
VERSIONS = {
    CANDIDATE: pgettext_lazy("document", "For candidates"),
    INTERNAL: pgettext_lazy("document", "Internal (HR and managers)"),
}


@dataclass
class CandidateDocument:
    """A job description a candidate may read: the role's title, department, manager, summary,
    duties and requirements, where the work is, what the organization and the role offer, how
    to apply and who the organization is. Nothing of the plan (head count, hiring order), of
    pay internals (bands, notes), of grading or of where a text came from.

    Profile parts the organization has not filled in are empty: the documents leave them out
    (a template describes no company), and the web page says which ones are missing."""

    organization: Organization
    role: Role
    department: Department
    reports_to: Role | None
    duties: list
    requirement_sections: list[RequirementSection]
    company_intro: ShownText
    locations: list[ShownText]
    offers: list[ShownText]
    how_to_apply: ShownText
    anchor: str

    @property
    def title(self) -> str:
        return self.role.title

    @property
    def missing_profile(self) -> list[str]:
        """Names of the profile parts this document lacks (for the page's notice)."""
        parts = (
            (self.company_intro.text, pgettext("document", "company introduction")),
            (self.locations, pgettext("document", "location")),
            (self.offers, pgettext("document", "what we offer")),
            (self.how_to_apply.text, pgettext("document", "how to apply")),
        )
        return [name for present, name in parts if not present]


def shown_lines(shown: ShownText) -> list[ShownText]:
    """A one-per-line text as its non-blank lines, each keeping the language it is shown in."""
    return [
        ShownText(line.strip(), shown.fell_back, shown.language)
        for line in shown.text.splitlines()
        if line.strip()
    ]


@dataclass
class CharterPosition:
    role: Role
    headcount: list[HeadcountCell]


@dataclass
class CollaborationLine:
    counterpart: str
    description: ShownText  # marked on the page when shown in the other language
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
    # The functions' text as shown (its language, and whether it fell back to the other one).
    functions_shown: ShownText = ShownText("", False, "")
    roles: list[RoleDocument] = field(default_factory=list)
    # Per phase: the department's own head count (部门定编, None where unset) and the sum of the
    # roles in it and its sub-departments (issue 20).
    department_headcount: list[DepartmentPhase] = field(default_factory=list)

    @property
    def has_department_headcount(self) -> bool:
        return any(cell.planned is not None for cell in self.department_headcount)

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


def requirement_sections(requirements: list[Requirement]) -> list[RequirementSection]:
    """The required requirements, then the preferred ones (优先), each grouped by kind in the
    kinds' order and in the role's order within a kind; a section without lines is left out."""
    sections = []
    for preferred in (False, True):
        groups = []
        for kind, label in RequirementKind.choices:
            lines = [
                line for line in requirements if line.kind == kind and line.preferred == preferred
            ]
            if lines:
                groups.append(RequirementGroup(kind=kind, label=str(label), lines=lines))
        if groups:
            sections.append(RequirementSection(preferred=preferred, groups=groups))
    return sections


def role_document(design: Design, role: Role) -> RoleDocument:
    """The job description of `role`, a role of `design` (no query: all of it is prefetched)."""
    return RoleDocument(
        organization=design.organization,
        role=role,
        department=design.department(role.department_id),
        reports_to=design.role(role.reports_to_id) if role.reports_to_id else None,
        direct_reports=list(role.get_children()),
        headcount=_headcount_cells(design, role),
        duties=list(role.duties.all()),
        requirement_sections=requirement_sections(list(role.requirements.all())),
        kpis=list(role.kpis.all()),
        combinable_with=sorted(role.combinable_with.all(), key=lambda other: other.title),
        salary_band=_salary_band(role),
        anchor=f"role-{role.pk}",
    )


def candidate_document(design: Design, role: Role) -> CandidateDocument:
    """The candidate version of the job description of `role` (no query beyond the design)."""
    internal = role_document(design, role)
    organization = design.organization
    own_location = shown_value(role, "location")
    locations = own_location if own_location.text else shown_value(organization, "locations")
    return CandidateDocument(
        organization=organization,
        role=role,
        department=internal.department,
        reports_to=internal.reports_to,
        duties=internal.duties,
        requirement_sections=internal.requirement_sections,
        company_intro=shown_value(organization, "company_intro"),
        locations=shown_lines(locations),
        offers=[
            *shown_lines(shown_value(organization, "benefits")),
            *shown_lines(shown_value(role, "offers")),
        ],
        how_to_apply=shown_value(organization, "how_to_apply"),
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
            CollaborationLine(
                counterpart=other,
                description=shown_value(line, "description"),
                outgoing=outgoing,
            )
        )
    return lines


def _department_counts(design: Design):
    """The departments' head count beside their roles' sums: three queries, once per design."""
    if design.department_counts is None:
        design.department_counts = department_headcount([design.organization.pk])
    return design.department_counts


def department_document(
    design: Design, department: Department, *, with_roles: bool = False
) -> DepartmentDocument:
    """The charter of `department`; with the job descriptions of its roles when `with_roles`."""
    roles = design.roles_by_department.get(department.pk, [])
    counts = _department_counts(design).row(department.pk, [phase.pk for phase in design.phases])
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
        functions_shown=shown_value(department, "functions"),
        collaborations=_collaboration_lines(design, department),
        anchor=f"department-{department.pk}",
        roles=[role_document(design, role) for role in roles] if with_roles else [],
        department_headcount=counts,
    )


def handbook(design: Design) -> Handbook:
    """Every charter, each followed by the job descriptions of its roles, in tree order (the
    chart pages are drawn by the caller: this module only gathers data)."""
    return Handbook(
        organization=design.organization,
        charters=[
            department_document(design, department, with_roles=True)
            for department in design.departments
        ],
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


def role_with_design(organization: Organization, pk: int) -> tuple[Design, Role]:
    design = organization_design(organization, with_lines=False)
    try:
        role = design.role(pk)
    except KeyError:
        raise DocumentNotFound(pk) from None
    load_lines(design, [role])
    return design, role


def department_with_design(organization: Organization, pk: int) -> tuple[Design, Department]:
    design = organization_design(organization, with_lines=False)
    try:
        department = design.department(pk)
    except KeyError:
        raise DocumentNotFound(pk) from None
    load_lines(design, design.roles_by_department.get(department.pk, []))
    return design, department


def role_page(organization: Organization, pk: int) -> RoleDocument:
    """The job description of role `pk` of `organization`; DocumentNotFound if it has none."""
    design, role = role_with_design(organization, pk)
    return role_document(design, role)


def candidate_page(organization: Organization, pk: int) -> CandidateDocument:
    """The candidate version of the job description of role `pk`; DocumentNotFound if the
    organization has no such role."""
    design, role = role_with_design(organization, pk)
    return candidate_document(design, role)


def department_page(organization: Organization, pk: int) -> DepartmentDocument:
    design, department = department_with_design(organization, pk)
    return department_document(design, department)
