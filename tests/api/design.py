"""Synthetic designs of any size for the API's scale tests and benchmark.

Built with bulk inserts, not one `role_create` per role: the services validate every line with
`full_clean` (about 45 ms per role with its lines on SQLite), so a 5,000-role design would take
minutes. The nested-set columns are then computed by django-mptt's own `partial_rebuild`, under
the same tree lock the services take, and `build_design` checks the result with
`tree_integrity_errors`: the trees are exactly what the services would have built.
"""

from django.db import transaction
from django.db.models import Max

from departments.models import Collaboration, Department, Organization
from departments.services import organization_create
from roles.models import KPI, Duty, HeadcountTarget, Requirement, Role
from teamorg.locking import tree_write
from teamorg.revisions import organization_bump_revision
from teamorg.trees import tree_integrity_errors

FAN_OUT = 6


def _next_tree_id(model) -> int:
    return (model.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1


def build_design(*, roles: int, owner=None, slug: str | None = None) -> Organization:
    """An organization with `roles` roles reporting in one tree of fan-out 6, spread over
    departments of about ten roles each under one head office; every role has three duties, a
    requirement, a KPI and head count in every phase; a few collaboration lines."""
    organization = organization_create(
        name_zh=f"合成公司{roles}", name_en=f"Synthetic {roles}", slug=slug, owner=owner
    )
    phases = list(organization.phases.all())
    with tree_write(Department, Role):
        tree_id = _next_tree_id(Department)
        nested = {"tree_id": tree_id, "lft": 0, "rght": 0, "depth": 0}
        head_office = Department.objects.create(
            organization=organization, code="head-office", name_zh="总经办", name_en="Head office",
            **nested,
        )  # fmt: skip
        departments = [head_office] + Department.objects.bulk_create(
            Department(
                organization=organization,
                parent=head_office,
                code=f"department-{n}",
                name_zh=f"部门{n}",
                name_en=f"Department {n}",
                summary_zh="负责一项业务",
                functions_zh="职能一\n职能二",
                **nested,
            )
            for n in range(max(1, roles // 10))
        )
        Department._tree_manager.partial_rebuild(tree_id)

        tree_id = _next_tree_id(Role)
        depth = [0] * roles
        for n in range(1, roles):
            depth[n] = depth[(n - 1) // FAN_OUT] + 1
        by_index: dict[int, Role] = {}
        # Level by level, so every manager has its id before its reports are inserted.
        for level in range(max(depth) + 1):
            indexes = [n for n in range(roles) if depth[n] == level]
            batch = Role.objects.bulk_create(
                Role(
                    organization=organization,
                    department=departments[n % len(departments)],
                    reports_to=by_index[(n - 1) // FAN_OUT] if n else None,
                    code=f"role-{n}",
                    title_zh=f"岗位{n}",
                    title_en=f"Role {n}",
                    hiring_priority=1 + n % 9,
                    **{**nested, "tree_id": tree_id},
                )
                for n in indexes
            )
            by_index.update(zip(indexes, batch, strict=True))
        created = [by_index[n] for n in range(roles)]
        Role._tree_manager.partial_rebuild(tree_id)

        Duty.objects.bulk_create(
            Duty(role=role, order=k, text_zh=f"职责{n}-{k}", text_en=f"Duty {n}-{k}")
            for n, role in enumerate(created)
            for k in range(1, 4)
        )
        Requirement.objects.bulk_create(
            Requirement(role=role, order=1, kind="education", text_zh="大专以上", text_en="College")
            for role in created
        )
        KPI.objects.bulk_create(
            KPI(role=role, order=1, text_zh="转化率", text_en="Conversion rate") for role in created
        )
        HeadcountTarget.objects.bulk_create(
            HeadcountTarget(role=role, phase=phase, min_count=n % 3, max_count=n % 3 + phase.order)
            for n, role in enumerate(created)
            for phase in phases
        )
        through = Role.combinable_with.through
        pairs = [(created[n - 1], created[n]) for n in range(1, len(created), 7)]
        through.objects.bulk_create(
            [through(from_role=a, to_role=b) for a, b in pairs]
            + [through(from_role=b, to_role=a) for a, b in pairs]
        )
        Collaboration.objects.bulk_create(
            Collaboration(
                organization=organization,
                from_department=left,
                to_department=right,
                order=n,
                description_zh="交接工作",
                description_en="Hand over work",
            )
            for n, (left, right) in enumerate(zip(departments[1:6], departments[2:7], strict=False))
        )
        organization_bump_revision(organization_id=organization.pk)

    with transaction.atomic():
        errors = tree_integrity_errors(Role, organization=organization) + tree_integrity_errors(
            Department, organization=organization
        )
    assert not errors, errors[:5]
    assert Role.objects.filter(organization=organization).count() == roles
    organization.refresh_from_db()
    return organization
