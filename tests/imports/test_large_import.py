"""A 5,000-role design exported and imported into a new organization: the trees are valid and
the design is the same (the time and query count are in tests/benchmarks/imports.py)."""

import time

from departments.models import Department
from departments.services import organization_create
from roles.imports.apply import import_apply
from roles.imports.export import design_xlsx
from roles.imports.services import import_preview
from roles.models import Role
from teamorg.trees import tree_integrity_errors
from tests.benchmarks.synthetic import bulk_design
from tests.imports.helpers import design_without_ids


def test_five_thousand_roles_import_into_a_new_organization(user):
    source = bulk_design(roles=5000, owner=user, slug="large-source")
    content = design_xlsx(source)
    target = organization_create(name_zh="大型导入", owner=user)
    start = time.perf_counter()
    sheet, resolution = import_preview(
        organization=target, name="large.xlsx", content=content, mapping={}
    )
    previewed = time.perf_counter()
    assert resolution.problems == []
    import_apply(organization=target, sheet=sheet, expected_revision=target.revision)
    applied = time.perf_counter()
    print(f"read+preview {previewed - start:.2f}s apply {applied - previewed:.2f}s")
    assert tree_integrity_errors(Role, organization=target) == []
    assert tree_integrity_errors(Department, organization=target) == []
    assert design_without_ids(target) == design_without_ids(source)
