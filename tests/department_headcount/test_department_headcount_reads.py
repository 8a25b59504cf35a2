"""The readers of a department's head count beside its roles' sum agree with each other and
count sub-departments' roles towards their department."""

import pytest

from departments.services import department_set_headcount
from roles import services as role_services
from roles.planning.data import plan_data
from roles.selectors import organization_design
from roles.selectors.department_headcount import (
    Span,
    department_headcount,
    department_headcount_in_phase,
    department_headcount_of_design,
)
from tests.factories import department_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def design(organization):
    launch, growth, _mature = organization.phases.order_by("order")
    centre = department_path(organization, "运营中心")
    service = department_path(organization, "运营中心 > 客服部")
    team = department_path(organization, "运营中心 > 客服部 > 客服运营组")
    department_path(organization, "运营中心 > 仓储部")
    for department, title, counts in (
        (service, "客服部经理", [(launch, 1, 1), (growth, 1, 1)]),
        (team, "订购坐席代表", [(launch, 2, 2), (growth, 6, 7)]),
        (team, "用户服务代表", [(launch, 2, 2)]),
    ):
        role_services.role_create(
            organization=organization,
            department=department,
            title_zh=title,
            title_en=title,
            headcount=[{"phase": p.pk, "min": low, "max": high} for p, low, high in counts],
        )
    department_set_headcount(
        department=service,
        headcount=[{"phase": launch.pk, "min": 7}, {"phase": growth.pk, "min": 17, "max": 20}],
    )
    return organization, centre, service, team, launch, growth


def test_sums_roll_up_the_department_tree(design):
    organization, centre, service, team, launch, growth = design
    counts = department_headcount([organization.pk])
    assert counts.get(service.pk, launch.pk).roles == Span(5, 5)
    assert counts.get(service.pk, launch.pk).planned == Span(7, 7)
    assert counts.get(service.pk, launch.pk).differs
    assert counts.get(team.pk, growth.pk).roles == Span(6, 7)
    assert counts.get(team.pk, growth.pk).planned is None
    assert not counts.get(team.pk, growth.pk).differs
    assert counts.get(centre.pk, growth.pk).roles == Span(7, 8)


def test_every_reader_gives_the_same_numbers(design):
    organization = design[0]
    whole = department_headcount([organization.pk])
    data = plan_data(organization)
    of_design = department_headcount_of_design(data.design, data.counts)
    departments = organization_design(organization, with_lines=False).departments
    for phase in organization.phases.all():
        in_phase = department_headcount_in_phase(organization.pk, phase.pk)
        for department in departments:
            expected = whole.get(department.pk, phase.pk)
            assert of_design.get(department.pk, phase.pk) == expected
            assert in_phase.get(department.pk, phase.pk) == expected
