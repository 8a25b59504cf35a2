"""Large synthetic organizations for scale tests and benchmarks, fast: bulk inserts inside one
locked tree write, with django-mptt's `partial_rebuild` computing the tree fields. Building
5,000 roles one service call at a time would take minutes (every line is `full_clean`ed); this
takes seconds. Every tree it writes passes `tree_integrity_errors`
(tests/benchmarks/test_synthetic.py)."""

from django.db.models import Max

from departments.models import Department, Organization
from departments.revisions import organization_bump_revision
from departments.services import organization_create
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from teamorg.locking import tree_write


def _bulk_tree(model, organization, count, fan_out, make):
    """Insert `count` nodes as one tree (node i reports to node (i - 1) // fan_out), one bulk
    insert per depth so every parent has its id before its children, then let django-mptt's own
    `partial_rebuild` compute lft/rght/depth. The caller holds the tree lock."""
    tree_id = (model.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
    parent_attr = model._mptt_meta.parent_attr
    depth = [0] * count
    for index in range(1, count):
        depth[index] = depth[(index - 1) // fan_out] + 1
    nodes: list = [None] * count
    for level in range(max(depth) + 1):
        indexes = [index for index in range(count) if depth[index] == level]
        batch = []
        for index in indexes:
            node = make(index)
            node.organization = organization
            setattr(node, parent_attr, nodes[(index - 1) // fan_out] if index else None)
            # partial_rebuild orders siblings by (tree_id, lft): a provisional lft keeps the
            # insertion order on every database.
            node.lft = node.rght = index + 1
            node.depth = 0
            node.tree_id = tree_id
            batch.append(node)
        for index, node in zip(
            indexes, model.objects.bulk_create(batch, batch_size=500), strict=True
        ):
            nodes[index] = node
    model._tree_manager.partial_rebuild(tree_id)
    return nodes


def bulk_design(
    *, roles: int, owner=None, slug: str | None = None, fan_out: int = 8
) -> Organization:
    """An organization with `roles` roles (3 duties, 2 requirements, 1 KPI, head count in three
    phases each), one department per ten roles, and a collaboration line per department."""
    organization = organization_create(
        name_zh=f"合成公司{roles}", name_en=f"Synthetic {roles}", slug=slug, owner=owner
    )
    phases = list(organization.phases.all())
    department_count = max(1, roles // 10)
    with tree_write(Department, Role):
        departments = _bulk_tree(
            Department,
            organization,
            department_count,
            fan_out,
            lambda i: Department(
                code=f"department-{i}",
                name_zh=f"部门{i}",
                name_en=f"Department {i}",
                summary_zh="负责一项业务，并与相关部门对接。",
                summary_en="Runs one line of business and works with the related teams.",
                functions_zh="职能一\n职能二\n职能三",
                functions_en="Function one\nFunction two\nFunction three",
                function_group=("front-line", "operations-support", "logistics-support")[i % 3],
            ),
        )
        created = _bulk_tree(
            Role,
            organization,
            roles,
            fan_out,
            lambda i: Role(
                code=f"role-{i}",
                department=departments[i % department_count],
                title_zh=f"岗位{i}",
                title_en=f"Role {i}",
                summary_zh="岗位概述",
                summary_en="Role summary",
                level="specialist" if i else "executive",
                employment_type=("full-time", "part-time", "shared", "outsourced")[i % 4],
                hiring_priority=1 + i % 9,
                pay_structure="base-bonus",
                salary_min=6000,
                salary_max=9000,
            ),
        )
        Duty.objects.bulk_create(
            (
                Duty(role=role, order=n, text_zh=f"职责{role.code}-{n}", text_en=f"Duty {n}")
                for role in created
                for n in range(1, 4)
            ),
            batch_size=500,
        )
        Requirement.objects.bulk_create(
            (
                Requirement(role=role, order=n, kind=kind, text_zh="要求", text_en="Requirement")
                for role in created
                for n, kind in ((1, "education"), (2, "experience"))
            ),
            batch_size=500,
        )
        KPI.objects.bulk_create(
            (
                KPI(role=role, order=1, text_zh="转化率", text_en="Conversion rate")
                for role in created
            ),
            batch_size=500,
        )
        HeadcountTarget.objects.bulk_create(
            (
                HeadcountTarget(
                    role=role, phase=phase, min_count=i % 3, max_count=i % 3 + phase.order
                )
                for i, role in enumerate(created)
                for phase in phases
            ),
            batch_size=500,
        )
        Collaboration.objects.bulk_create(
            Collaboration(
                organization=organization,
                from_department=left,
                to_department=right,
                order=n,
                description_zh="交接工作",
                description_en="Hands work over",
            )
            for n, (left, right) in enumerate(zip(departments, departments[1:], strict=False))
        )
        organization_bump_revision(organization_id=organization.pk)
        through = Role.combinable_with.through
        through.objects.bulk_create(
            pair
            for left, right in zip(created[1::7], created[2::7], strict=False)
            for pair in (
                through(from_role_id=left.pk, to_role_id=right.pk),
                through(from_role_id=right.pk, to_role_id=left.pk),
            )
        )
    organization.refresh_from_db()
    return organization
