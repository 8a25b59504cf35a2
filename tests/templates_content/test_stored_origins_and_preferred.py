"""What the loader now stores of the specs (issue 20): each phase's origin and source note, each
department function line's own origin (a line TeamOrg filled in inside a seed department is a
fill, not a seed), and which requirements are preferred (「…者优先」)."""

import pytest

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Requirement
from roles.services.template_loading import read_spec, template_load
from tests.conftest import TEMPLATE_SLUGS
from tests.templates_content.lookups import dept, role

pytestmark = pytest.mark.django_db


def spec_departments(items):
    for item in items:
        yield item
        yield from spec_departments(item.get("children") or [])


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_phases_are_stored_with_their_origin(loaded_templates, slug):
    organization = Organization.objects.get(slug=slug)
    stored = list(
        HeadcountPhase.objects.filter(organization=organization)
        .order_by("order")
        .values_list("origin", "source_note")
    )
    spec = [(phase["origin"], phase["source_note"]) for phase in read_spec(slug)["phases"]]
    assert stored == spec and stored


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_function_lines_are_stored_with_their_origin(loaded_templates, slug):
    organization = Organization.objects.get(slug=slug)
    checked = 0
    for item in spec_departments(read_spec(slug)["departments"]):
        department = Department.objects.get(organization=organization, code=item["code"])
        lines = item.get("functions", {}).get("zh", [])
        own = item.get("functions_origin")
        expected = own or [
            {"origin": item.get("origin", "seed"), "source_note": item.get("source_note", "")}
        ] * len(lines)
        assert department.functions_origin == expected, item["code"]
        assert len(department.functions_origin) == len(department.function_lines)
        checked += len(lines)
    assert checked


def test_filled_in_lines_of_a_seed_department_are_fills(loaded_templates):
    # 004 lists 研发部 with no functions of its own: the unit is the article's, its lines are not
    rnd = dept(Organization.objects.get(slug="cross-border"), "rnd")
    assert rnd.origin == "seed"
    assert {source["origin"] for source in rnd.function_sources} == {"fill"}


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_the_requirements_the_articles_call_preferred_are_preferred(loaded_templates, slug):
    requirements = Requirement.objects.filter(role__organization__slug=slug)
    for line in requirements:
        nice = "优先" in line.text_zh or line.text_zh.startswith("最好")
        assert line.preferred == nice, line.text_zh
    assert requirements.filter(preferred=True).exists()


def test_known_preferred_lines(loaded_templates):
    direct = Organization.objects.get(slug="direct-sales")
    # 000 广告投放专员: 「有淘宝经验者优先」; 客服代表: 「中专以上学历,营销相关专业优先」 is two
    # lines, the diploma required and the major preferred
    ad = {line.text_zh: line.preferred for line in role(direct, "ad-specialist").requirements.all()}
    assert ad["有淘宝经验者优先"] is True
    agent = [
        (line.text_zh, line.preferred)
        for line in role(direct, "order-seat-rep").requirements.all()[:3]
    ]
    assert agent[1:] == [("营销相关专业优先", True), ("有销售或淘宝客服工作经历者优先", True)]
    assert agent[0][0].startswith("中专以上") and agent[0][1] is False
    # 004 团队招募与晋升: 「优先通过内部晋升提拔」 - an insider is preferred
    startup = Organization.objects.get(slug="startup")
    promotion = role(startup, "shop-manager").requirements.get(text_zh__startswith="优先通过")
    assert promotion.preferred and promotion.text_en.startswith("Internal promotion preferred")


def test_reloading_a_template_changes_nothing(loaded_templates):
    organization = Organization.objects.get(slug="cross-border")
    _organization, changed = template_load(read_spec("cross-border"))
    assert changed is False
    organization.refresh_from_db()
    assert organization.revision == _organization.revision
