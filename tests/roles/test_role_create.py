import pytest
from django.core.exceptions import ValidationError

from roles.models import Role
from roles.services import role_create, role_update
from tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(organization):
    return DepartmentFactory(organization=organization, name_zh="运营部")


def test_creates_a_role_with_its_lines_and_head_count(organization, department):
    launch, growth, _ = organization.phases.all()
    role = role_create(
        organization=organization,
        department=department,
        title_zh="运营专员",
        title_en="Operations specialist",
        duties=[{"text_zh": "上架商品"}, {"text_zh": "策划活动", "text_en": "Plan promotions"}],
        requirements=[{"kind": "education", "text_zh": "大专以上"}],
        kpis=[{"text_zh": "转化率"}],
        headcount=[
            {"phase": launch.pk, "min": 1, "max": 2},
            {"phase": growth.pk, "min": 3, "max": 3},
        ],
    )

    assert [d.text_zh for d in role.duties.all()] == ["上架商品", "策划活动"]
    assert role.requirements.get().kind == "education"
    assert role.kpis.get().text_zh == "转化率"
    assert [(t.phase.order, t.min_count, t.max_count) for t in role.headcount.all()] == [
        (1, 1, 2),
        (2, 3, 3),
    ]
    assert role.code == "operations-specialist"


@pytest.mark.parametrize(
    ("headcount", "code"),
    [
        ([{"phase": "PHASE", "min": -1, "max": 2}], "negative_headcount"),
        ([{"phase": "PHASE", "min": 5, "max": 2}], "inverted_headcount"),
        ([{"phase": "PHASE", "min": "two", "max": 2}], "invalid"),
        ([{"phase": "PHASE", "min": True, "max": 2}], "invalid"),
        ([{"phase": 999999, "min": 1, "max": 2}], "unknown_phase"),
        ([{"phase": "PHASE", "min": 1}, {"phase": "PHASE", "min": 2}], "duplicate_phase"),
    ],
)
def test_bad_head_count_is_refused_and_nothing_is_written(
    organization, department, headcount, code
):
    phase = organization.phases.first()
    headcount = [
        {**t, "phase": phase.pk if t["phase"] == "PHASE" else t["phase"]} for t in headcount
    ]
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_create(
            organization=organization, department=department, title_zh="客服", headcount=headcount
        )
    assert error.value.error_dict["headcount"][0].code == code
    assert error.value.messages[0]
    assert database_snapshot() == before


def test_a_phase_of_another_organization_is_refused(organization, department):
    foreign_phase = OrganizationFactory().phases.first()
    with pytest.raises(ValidationError) as error:
        role_create(
            organization=organization,
            department=department,
            title_zh="客服",
            headcount=[{"phase": foreign_phase.pk, "min": 1, "max": 1}],
        )
    assert error.value.error_dict["headcount"][0].code == "unknown_phase"


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ({"duties": [{"text_zh": " ", "text_en": ""}]}, "blank_line"),
        ({"duties": [{"text_zh": "ok", "colour": "red"}]}, "unknown_field"),
        ({"duties": "not a list"}, "invalid"),
        ({"duties": ["not an object"]}, "invalid"),
        ({"requirements": [{"kind": "astrology", "text_zh": "星座"}]}, "invalid"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(organization, department, lines, code):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_create(organization=organization, department=department, title_zh="客服", **lines)
    field = next(iter(lines))
    assert error.value.error_dict[field][0].code == code
    assert database_snapshot() == before


def test_department_and_manager_must_belong_to_the_organization(organization, department):
    other = OrganizationFactory()
    foreign_department = DepartmentFactory(organization=other)
    foreign_manager = RoleFactory(department=foreign_department)
    before = database_snapshot()

    with pytest.raises(ValidationError) as error:
        role_create(organization=organization, department=foreign_department, title_zh="客服")
    assert error.value.error_dict["department"][0].code == "cross_organization"

    with pytest.raises(ValidationError) as error:
        role_create(
            organization=organization,
            department=department,
            reports_to=foreign_manager,
            title_zh="客服",
        )
    assert error.value.error_dict["reports_to"][0].code == "cross_organization"
    assert database_snapshot() == before


def test_a_role_needs_a_title_and_valid_choices(organization, department):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_create(organization=organization, department=department, title_zh="", title_en="")
    assert "__all__" in error.value.error_dict or "title_zh" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        role_create(organization=organization, department=department, title_zh="x", level="god")
    assert "level" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        role_create(
            organization=organization,
            department=department,
            title_zh="x",
            salary_min=9000,
            salary_max=5000,
        )
    with pytest.raises(ValidationError) as error:
        role_create(
            organization=organization, department=department, title_zh="x", hiring_priority=0
        )
    assert database_snapshot() == before


def test_update_replaces_lines_and_combinable_roles(organization, department):
    shop_manager = RoleFactory(department=department, title_zh="店长")
    role = RoleFactory(department=department, title_zh="运营", duties=[{"text_zh": "旧职责"}])

    role_update(
        role=role,
        duties=[{"text_zh": "新职责一"}, {"text_zh": "新职责二"}],
        combinable_with=[shop_manager],
    )

    role = Role.objects.get(pk=role.pk)
    assert [d.text_zh for d in role.duties.all()] == ["新职责一", "新职责二"]
    assert list(role.combinable_with.all()) == [shop_manager]
    assert list(shop_manager.combinable_with.all()) == [role]  # symmetrical


def test_a_role_cannot_be_combined_with_a_role_of_another_organization(organization, department):
    role = RoleFactory(department=department)
    stranger = RoleFactory()
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_update(role=role, combinable_with=[stranger])
    assert error.value.error_dict["combinable_with"][0].code == "cross_organization"
    assert database_snapshot() == before


def test_templates_cannot_be_edited(organization, department):
    from departments.models import Organization

    Organization.objects.filter(pk=organization.pk).update(is_template=True)
    organization.refresh_from_db()
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        role_create(organization=organization, department=department, title_zh="客服")
    assert error.value.code == "template_readonly"
    assert database_snapshot() == before
