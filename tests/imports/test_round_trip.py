"""Export each template as the design sheet (XLSX and CSV), import it into a new organization:
the tree API gives the same design, ids aside."""

import pytest

from departments.models import Organization
from departments.services import organization_create
from roles.imports.apply import import_apply
from roles.imports.export import design_csv, design_xlsx
from roles.imports.services import import_preview
from roles.services import role_update
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


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_roles_own_location_and_offers_come_back(loaded_templates, user, file_format):
    """The candidate job description's fields of a role (its work location and what it offers)
    travel through the sheet like every other text, in both languages."""
    template = Organization.objects.get(slug="startup")
    source = organization_create(name_zh="源", owner=user)
    sheet, _resolution = import_preview(
        organization=source, name="startup.csv", content=design_csv(template), mapping={}
    )
    import_apply(organization=source, sheet=sheet, expected_revision=source.revision)
    role = source.roles.order_by("pk").first()
    role_update(
        role=role,
        location_zh="杭州市余杭区",
        location_en="Yuhang, Hangzhou",
        offers_zh="五险一金\n年终奖",
        offers_en="Social insurance and housing fund\nYear-end bonus",
    )
    content = WRITERS[file_format](source)
    target = organization_create(name_zh="导入", owner=user)
    sheet, resolution = import_preview(
        organization=target, name=f"copy.{file_format}", content=content, mapping={}
    )
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=target, sheet=sheet, expected_revision=target.revision)
    copied = target.roles.get(code=role.code)
    assert (copied.location_zh, copied.location_en) == ("杭州市余杭区", "Yuhang, Hangzhou")
    assert copied.offers_zh == "五险一金\n年终奖"
    assert copied.offers_en == "Social insurance and housing fund\nYear-end bonus"
    assert design_without_ids(target) == design_without_ids(source)
