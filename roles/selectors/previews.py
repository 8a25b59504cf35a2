"""Template previews on the dashboard."""

from dataclasses import dataclass, field

from django.db.models import Sum

from departments.models import Department, Organization
from roles.models import HeadcountTarget, Role
from teamorg.i18n import content_language, translated_columns, translated_text


@dataclass
class PhaseTotal:
    name: str
    min_count: int
    max_count: int


@dataclass
class Preview:
    """What an HR manager needs to pick a template: its top departments, head count per phase
    and who is hired first."""

    departments: list[str] = field(default_factory=list)
    phases: list[PhaseTotal] = field(default_factory=list)
    hiring_order: list[str] = field(default_factory=list)


def organization_previews(organizations: list[Organization], *, first_hires: int = 6) -> dict:
    """Previews of several organizations in three queries, whatever their number and size."""

    language = content_language()
    ids = [organization.pk for organization in organizations]
    previews = {pk: Preview() for pk in ids}
    top = Department.objects.filter(organization_id__in=ids, parent__isnull=True).order_by(
        "organization_id", "tree_id"
    )
    for department in top.only("organization_id", *translated_columns("name")):
        previews[department.organization_id].departments.append(department.name)
    totals = (
        HeadcountTarget.objects.filter(role__organization_id__in=ids)
        .values(
            "phase__organization_id",
            "phase__order",
            *(f"phase__{column}" for column in translated_columns("name")),
        )
        .annotate(low=Sum("min_count"), high=Sum("max_count"))
        .order_by("phase__organization_id", "phase__order")
    )
    for row in totals:
        name = translated_text(row["phase__name_zh"], row["phase__name_en"], language)
        previews[row["phase__organization_id"]].phases.append(
            PhaseTotal(name, row["low"], row["high"])
        )
    ordered = Role.objects.filter(organization_id__in=ids, hiring_priority__isnull=False).order_by(
        "organization_id", "hiring_priority", "tree_id", "lft"
    )
    for role in ordered.only("organization_id", *translated_columns("title")):
        hires = previews[role.organization_id].hiring_order
        if len(hires) < first_hires:
            hires.append(role.title)
    return previews
