"""Where each function line of a department comes from (`functions_origin`) and where a phase
comes from: stored, kept while a line's text is unchanged, the user's once changed, checked in
shape and length, copied with the design and taken back by the history."""

import pytest
from django.core.exceptions import ValidationError

from departments import services
from departments.history import restore
from departments.history.recording import Actor, acting
from departments.models import Department, HeadcountPhase
from roles.services import organization_clone
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db

SEED = {"origin": "seed", "source_note": "000 客服部职能"}
FILL = {"origin": "fill", "source_note": "fill: standard function"}
USER = {"origin": "user", "source_note": ""}


@pytest.fixture
def service(organization):
    """A seed department with one seed line and one line TeamOrg filled in, as a template's."""
    department = services.department_create(
        organization=organization,
        name_zh="客服部",
        name_en="Customer Service",
        functions_zh="售前咨询\n售后服务",
        functions_en="Pre-sales questions\nAfter-sales service",
        origin="seed",
    )
    Department.objects.filter(pk=department.pk).update(functions_origin=[SEED, FILL])
    return Department.objects.get(pk=department.pk)


def sources(department):
    return Department.objects.get(pk=department.pk).function_sources


def test_a_new_departments_lines_take_its_origin(organization):
    department = services.department_create(
        organization=organization, name_zh="仓储部", functions_zh="收货\n\n发货\n"
    )
    # blank lines are no lines
    assert department.functions_origin == [USER, USER]


def test_unchanged_lines_keep_their_origin_wherever_they_move(service):
    services.department_update(
        department=service,
        functions_zh="售后服务\n投诉处理\n售前咨询",
        functions_en="After-sales service\nComplaints\nPre-sales questions",
    )
    assert sources(service) == [FILL, USER, SEED]


def test_a_line_changed_in_one_language_is_the_users(service):
    services.department_update(
        department=service, functions_en="Pre-sales enquiries\nAfter-sales service"
    )
    assert sources(service) == [USER, FILL]


def test_texts_posted_back_unchanged_leave_the_origins_alone(service, organization):
    organization.refresh_from_db()
    revision = organization.revision
    services.department_update(
        department=service,
        functions_zh="  售前咨询\n\n售后服务  ",  # other blank lines and spaces
        functions_en=service.functions_en,
        summary_zh="客服",
    )
    assert Department.objects.get(pk=service.pk).functions_origin == [SEED, FILL]
    organization.refresh_from_db()
    assert organization.revision == revision + 1


def test_a_department_without_line_origins_reads_as_its_own_origin(service):
    Department.objects.filter(pk=service.pk).update(functions_origin=[])
    assert sources(service) == [
        {"origin": "seed", "source_note": ""},
        {"origin": "seed", "source_note": ""},
    ]
    services.department_update(department=service, functions_zh="售前咨询\n售后服务\n回访")
    assert [source["origin"] for source in sources(service)] == ["seed", "seed", "user"]


@pytest.mark.parametrize(
    ("origins", "message"),
    [
        ([SEED], "do not match the function lines"),
        ([SEED, {"origin": "invented", "source_note": ""}], "entry 2"),
        ([SEED, {"origin": "fill"}], "entry 2"),
        ("seed", "entry 1"),
        ([SEED, {"origin": "fill", "source_note": "x" * 301}], "longer than 300"),
    ],
)
def test_a_wrong_origin_list_is_refused(service, origins, message):
    service.functions_origin = origins
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert message in " ".join(refused.value.message_dict["functions_origin"])


def test_a_copy_keeps_line_and_phase_origins(service, organization, user):
    phase = organization.phases.order_by("order").first()
    HeadcountPhase.objects.filter(pk=phase.pk).update(origin="seed", source_note="000 前6个月")
    copy = organization_clone(source=organization, owner=user, name_zh="副本")
    assert Department.objects.get(organization=copy, code=service.code).functions_origin == [
        SEED,
        FILL,
    ]
    copied = copy.phases.order_by("order").first()
    assert (copied.origin, copied.source_note) == ("seed", "000 前6个月")


def test_undo_gives_the_lines_their_origins_back(service, organization, user):
    with acting(Actor(user, "editor")):
        services.department_update(department=service, functions_zh="售前咨询\n退换货")
    assert sources(service) == [SEED, USER]
    organization.refresh_from_db()
    restore.undo(organization=organization, user=user)
    # the history keeps the list as a list (SQLite stores JSON as text), not as its JSON text
    assert Department.objects.get(pk=service.pk).functions_origin == [SEED, FILL]


def test_a_phase_keeps_its_origin_through_an_edit_and_takes_one_from_the_user(organization):
    phase = organization.phases.order_by("order").first()
    services.phase_update(phase=phase, origin="seed", source_note="000 前6个月")
    services.phase_update(phase=phase, name_en="First six months")
    phase.refresh_from_db()
    assert (phase.origin, phase.source_note) == ("seed", "000 前6个月")
    added = services.phase_create(organization=organization, name_zh="稳定期")
    assert (added.origin, added.source_note) == ("user", "")


def test_a_phase_with_an_unknown_origin_is_refused_with_nothing_changed(organization):
    phase = organization.phases.order_by("order").first()
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        services.phase_update(phase=phase, origin="article")
    assert "origin" in refused.value.message_dict
    assert database_snapshot() == before
