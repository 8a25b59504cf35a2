"""Export each template as the design sheet (XLSX and CSV), import it into a new organization:
the tree API gives the same design, ids aside."""

import pytest

from departments.models import Organization
from departments.services import organization_create
from roles.imports.apply import import_apply
from roles.imports.export import design_csv, design_xlsx
from roles.imports.services import import_preview
from tests.conftest import TEMPLATE_SLUGS
from tests.imports.helpers import design_without_ids

WRITERS = {"xlsx": design_xlsx, "csv": design_csv}


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_a_template_comes_back_as_it_was(loaded_templates, user, slug, file_format):
    template = Organization.objects.get(slug=slug)
    content = WRITERS[file_format](template)
    target = organization_create(name_zh="导入", owner=user)
    sheet, resolution = import_preview(
        organization=target, name=f"{slug}.{file_format}", content=content, mapping={}
    )
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=target, sheet=sheet, expected_revision=target.revision)
    assert design_without_ids(target) == design_without_ids(template)
