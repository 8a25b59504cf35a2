"""A write made on an older revision: refused only where it changes a field that someone changed
since (`EditConflict`, naming the field, both values and who), otherwise saved; refused wholesale
(`StaleRevision`) when the history does not reach back to the revision it was made on."""

import pytest
from django.utils import translation

from departments import services as department_services
from departments.history.recording import Actor, acting
from departments.models import Channel, Department, Organization, Revision
from roles import services as role_services
from roles.models import Role
from teamorg.errors import EditConflict, StaleRevision
from tests.factories import department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def design(organization):
    operations = department_services.department_create(organization=organization, name_zh="运营部")
    ceo = role_services.role_create(
        organization=organization, department=operations, title_zh="CEO"
    )
    clerk = role_services.role_create(
        organization=organization, department=operations, reports_to=ceo, title_zh="客服"
    )
    return {"operations": operations, "ceo": ceo, "clerk": clerk}


def revision(organization) -> int:
    return Organization.objects.get(pk=organization.pk).revision


def test_different_roles_from_one_stale_revision_are_both_saved(organization, design):
    read = revision(organization)
    role_services.role_update(role=design["ceo"], title_zh="总经理", expected_revision=read)
    role_services.role_update(role=design["clerk"], title_zh="客服专员", expected_revision=read)

    assert Role.objects.get(pk=design["ceo"].pk).title_zh == "总经理"
    assert Role.objects.get(pk=design["clerk"].pk).title_zh == "客服专员"
    assert revision(organization) == read + 2


def test_different_kinds_of_objects_from_one_stale_revision_are_both_saved(organization, design):
    read = revision(organization)
    department_services.department_update(
        department=design["operations"], name_zh="运营中心", expected_revision=read
    )
    role_services.role_move(role=design["clerk"], target=None, expected_revision=read)

    assert Role.objects.get(pk=design["clerk"].pk).reports_to_id is None
    assert Department.objects.get(pk=design["operations"].pk).name_zh == "运营中心"


def test_different_fields_of_one_role_are_both_saved(organization, design):
    read = revision(organization)
    role_services.role_update(role=design["clerk"], title_zh="客服专员", expected_revision=read)
    role_services.role_update(
        role=design["clerk"], salary_min=6000, salary_max=8000, expected_revision=read
    )

    clerk = Role.objects.get(pk=design["clerk"].pk)
    assert (clerk.title_zh, clerk.salary_min, clerk.salary_max) == ("客服专员", 6000, 8000)


def test_the_same_field_is_refused_naming_who_changed_it_and_saves_nothing(
    organization, design, user, other_user
):
    read = revision(organization)
    with acting(Actor(other_user, "api")):
        role_services.role_update(role=design["clerk"], title_zh="客服专员", expected_revision=read)
    before = database_snapshot()

    with (
        acting(Actor(user, "editor")),
        translation.override("en"),
        pytest.raises(EditConflict) as refused,
    ):
        # The title clashes; the salary alone would have gone through, but the write is one.
        role_services.role_update(
            role=design["clerk"],
            title_zh="售后专员",
            salary_min=5000,
            salary_max=7000,
            expected_revision=read,
        )

    (conflict,) = refused.value.conflicts
    assert (conflict.table, conflict.row_id, conflict.column) == (
        "roles_role",
        design["clerk"].pk,
        "title_zh",
    )
    assert (conflict.theirs, conflict.yours) == ("客服专员", "售后专员")
    assert conflict.label == "title (Chinese)"
    assert conflict.user_name == "someone-else" and conflict.user_id == other_user.pk
    assert conflict.revision_number == read + 1
    assert conflict.by_you is False and conflict.deleted_by_them is False
    assert refused.value.current == read + 1
    assert "someone-else changed title (Chinese)" in str(refused.value)
    assert database_snapshot() == before


def test_the_same_field_changed_in_another_tab_is_your_own_conflict(organization, design, user):
    read = revision(organization)
    with acting(Actor(user, "editor")):
        role_services.role_update(role=design["clerk"], level="manager", expected_revision=read)
        before = database_snapshot()
        with translation.override("en"), pytest.raises(EditConflict) as refused:
            role_services.role_update(
                role=design["clerk"], level="assistant", expected_revision=read
            )

    (conflict,) = refused.value.conflicts
    assert (conflict.column, conflict.theirs, conflict.yours) == ("level", "manager", "assistant")
    assert conflict.by_you is True and conflict.user_name == "hr-manager"
    assert "in another tab" in str(refused.value)
    assert database_snapshot() == before


def test_deleting_a_role_someone_renamed_since_is_refused(organization, design, other_user):
    read = revision(organization)
    with acting(Actor(other_user, "editor")):
        role_services.role_update(role=design["clerk"], title_zh="客服专员", expected_revision=read)
    before = database_snapshot()

    with pytest.raises(EditConflict) as refused:
        role_services.role_delete(role=design["clerk"], expected_revision=read)

    columns = {c.column for c in refused.value.conflicts if c.row_id == design["clerk"].pk}
    assert "title_zh" in columns
    title = next(c for c in refused.value.conflicts if c.column == "title_zh")
    assert (title.theirs, title.yours, title.user_name) == ("客服专员", None, "someone-else")
    assert Role.objects.filter(pk=design["clerk"].pk).exists()
    assert database_snapshot() == before


def test_renaming_a_role_someone_deleted_since_finds_no_role(organization, design, other_user):
    read = revision(organization)
    clerk = design["clerk"]
    with acting(Actor(other_user, "editor")):
        role_services.role_delete(role=clerk, expected_revision=read)
    before = database_snapshot()

    with pytest.raises(Role.DoesNotExist):
        # The role is gone: the service cannot even read it, nothing is written.
        role_services.role_update(role=clerk, title_zh="客服专员", expected_revision=read)
    assert database_snapshot() == before


def test_a_stale_write_from_before_the_history_began_is_refused_wholesale(organization, design):
    read = revision(organization)
    role_services.role_update(role=design["ceo"], title_zh="总经理")
    role_services.role_update(role=design["ceo"], summary_zh="负责全局")
    # The history begins after `read`: what the next revision changed is unknown.
    Revision.objects.filter(organization=organization, number__lte=read + 1).delete()
    before = database_snapshot()

    with pytest.raises(StaleRevision) as refused:
        # A different role: the field-level check would let it through, had it the history.
        role_services.role_update(role=design["clerk"], title_zh="客服专员", expected_revision=read)

    assert not isinstance(refused.value, EditConflict)
    assert (refused.value.expected, refused.value.current) == (read, read + 2)
    assert database_snapshot() == before


def test_a_write_from_a_revision_that_does_not_exist_yet_is_refused(organization, design):
    before = database_snapshot()
    with pytest.raises(StaleRevision):
        role_services.role_update(
            role=design["clerk"], title_zh="客服专员", expected_revision=revision(organization) + 1
        )
    assert database_snapshot() == before


def test_a_field_posted_back_as_it_was_read_keeps_the_newer_value(organization, user, other_user):
    """A form posts every field: the one the user left alone is written back as they read it.
    That is no conflict; the colleague's newer value stays and the user's own field is saved."""
    department = department_path(organization, "客服部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="客服", summary_zh="旧概述"
    )
    organization.refresh_from_db()
    read = organization.revision
    with acting(Actor(other_user, Channel.EDITOR)):
        role_services.role_update(role=role, summary_zh="新概述")
    with acting(Actor(user, Channel.EDITOR)):
        role_services.role_update(
            role=role, title_zh="客服专员", summary_zh="旧概述", expected_revision=read
        )
    role.refresh_from_db()
    assert (role.title_zh, role.summary_zh) == ("客服专员", "新概述")
    mine = Revision.objects.filter(organization=organization).order_by("-number").first()
    assert [(c.table, c.changed_columns()) for c in mine.changes.all()] == [
        ("roles_role", {"title_zh"})
    ]
    # The same field typed differently is still a conflict.
    with acting(Actor(user, Channel.EDITOR)), pytest.raises(EditConflict) as refused:
        role_services.role_update(role=role, summary_zh="我的概述", expected_revision=read)
    assert [(c.column, c.theirs, c.yours) for c in refused.value.conflicts] == [
        ("summary_zh", "新概述", "我的概述")
    ]


def test_a_tabs_own_earlier_writes_are_never_a_conflict_for_it(organization, user):
    """A form rendered before the tab's own last save says the older revision: the tab's own
    change since is no conflict; the same person's other tab is one, told it was them."""
    department = department_path(organization, "客服部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="客服"
    )
    organization.refresh_from_db()
    read = organization.revision
    with acting(Actor(user, Channel.EDITOR, "tab-a")):
        role_services.role_update(role=role, title_zh="客服一", expected_revision=read)
        role_services.role_update(role=role, title_zh="客服二", expected_revision=read)
    role.refresh_from_db()
    assert role.title_zh == "客服二"
    with acting(Actor(user, Channel.EDITOR, "tab-b")), pytest.raises(EditConflict) as refused:
        role_services.role_update(role=role, title_zh="客服三", expected_revision=read)
    assert [(c.theirs, c.yours, c.by_you) for c in refused.value.conflicts] == [
        ("客服二", "客服三", True)
    ]
