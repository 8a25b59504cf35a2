"""Synthetic organizations of any size, built through the services (for tests and benchmarks)."""

from departments.models import Organization
from departments.services import department_create, organization_create
from roles.services import collaboration_create, role_create


def build_design(
    *, roles: int, owner=None, slug: str | None = None, fan_out: int = 6
) -> Organization:
    """An organization with `roles` roles in a balanced reporting tree, departments of about
    ten roles each (two levels), lines, head count in every phase, combinable pairs and
    collaboration lines."""
    organization = organization_create(
        name_zh=f"合成公司{roles}", name_en=f"Synthetic {roles}", slug=slug, owner=owner
    )
    phases = list(organization.phases.all())
    top = department_create(organization=organization, name_zh="总经办", name_en="Head office")
    departments = [top]
    for index in range(max(1, roles // 10)):
        parent = departments[(index // fan_out)] if index >= fan_out else top
        departments.append(
            department_create(
                organization=organization,
                parent=parent,
                name_zh=f"部门{index}",
                name_en=f"Department {index}",
                summary_zh="负责一项业务",
                functions_zh="职能一\n职能二",
            )
        )
    created = []
    for index in range(roles):
        manager = created[(index - 1) // fan_out] if index else None
        role = role_create(
            organization=organization,
            department=departments[index % len(departments)],
            reports_to=manager,
            title_zh=f"岗位{index}",
            title_en=f"Role {index}",
            level="specialist",
            hiring_priority=1 + index % 9,
            duties=[
                {"text_zh": f"职责{index}-{n}", "text_en": f"Duty {index}-{n}"} for n in range(3)
            ],
            requirements=[{"kind": "education", "text_zh": "大专以上", "text_en": "College"}],
            kpis=[{"text_zh": "转化率", "text_en": "Conversion rate"}],
            headcount=[
                {"phase": phase.pk, "min": index % 3, "max": index % 3 + phase.order}
                for phase in phases
            ],
            combinable_with=created[-1:] if index % 7 == 0 else None,
        )
        created.append(role)
    for left, right in zip(departments[1:], departments[2:], strict=False):
        collaboration_create(
            organization=organization,
            from_department=left,
            to_department=right,
            description_zh="交接工作",
            description_en="Hands work over",
        )
    return organization
