"""The head-count plan export (roles/planning/exports.py) imports back: into a new organization
it gives the same departments, roles and head count (the plan has no reporting lines or texts);
onto the organization it came from it changes nothing and makes no revision."""

import pytest

from departments.models import Department, HeadcountPhase, Organization
from departments.services import organization_create
from roles.imports.apply import import_apply
from roles.imports.services import import_preview
from roles.models import Role
from roles.planning.exports import plan_download
from roles.services import organization_clone


def plan_design(organization):
    phases = {p.pk: p.order for p in HeadcountPhase.objects.filter(organization=organization)}
    departments = {
        d.code: (d.name_zh, d.parent.code if d.parent else None)
        for d in Department.objects.filter(organization=organization).select_related("parent")
    }
    roles = {}
    for role in Role.objects.filter(organization=organization).select_related("department"):
        roles[role.code] = (
            role.title_zh,
            role.department.code,
            role.level,
            role.hiring_priority,
            role.salary_min,
            role.salary_max,
            sorted((phases[t.phase_id], t.min_count, t.max_count) for t in role.headcount.all()),
        )
    return departments, roles


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_plan_imports_into_a_new_organization(loaded_templates, user, file_format):
    template = Organization.objects.get(slug="direct-sales")
    download = plan_download(template, file_format)
    target = organization_create(name_zh="计划导入", owner=user)
    sheet, resolution = import_preview(
        organization=target, name=download.filename, content=download.read(), mapping={}
    )
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=target, sheet=sheet, expected_revision=target.revision)
    assert plan_design(target) == plan_design(template)
    assert [p.name_zh for p in target.phases.order_by("order")] == [
        p.name_zh for p in template.phases.order_by("order")
    ]


def test_the_plan_onto_its_own_organization_changes_nothing(loaded_templates, user):
    copy = organization_clone(source=Organization.objects.get(slug="platform"), owner=user)
    content = plan_download(copy, "xlsx").read()
    copy.refresh_from_db()
    sheet, resolution = import_preview(
        organization=copy, name="plan.xlsx", content=content, mapping={}
    )
    assert resolution.problems == []
    counts = resolution.counts()
    assert counts["roles"]["create"] == counts["roles"]["change"] == 0
    assert counts["departments"]["create"] == counts["departments"]["change"] == 0
    revision = copy.revision
    import_apply(organization=copy, sheet=sheet, expected_revision=revision)
    copy.refresh_from_db()
    assert copy.revision == revision
