"""A requirement is required or preferred (优先, a nice-to-have): the services write the flag,
the editor's rule keeps a line's origin when only its mark changes, a bad value is refused with
nothing changed, a copy keeps it and the history takes it back."""

import pytest
from django.core.exceptions import ValidationError

from departments.history import restore
from departments.history.recording import Actor, acting
from roles.models import Requirement, Role
from roles.services import organization_clone, role_update
from roles.services.role_lines import LineRow, role_replace_lines
from tests.factories import RoleFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(organization):
    role = RoleFactory(department__organization=organization, title_zh="客服专员", code="agent")
    return role_update(
        role=role,
        requirements=[
            {"kind": "education", "text_zh": "中专以上学历", "text_en": "Secondary vocational"},
            {
                "kind": "experience",
                "text_zh": "有淘宝经验者优先",
                "text_en": "Taobao experience preferred",
                "preferred": True,
                "origin": "seed",
                "source_note": "000 客服代表",
            },
        ],
    )


def marks(role):
    return [
        (line.text_zh, line.preferred, line.origin)
        for line in Role.objects.get(pk=role.pk).requirements.all()
    ]


def test_a_requirement_is_required_unless_marked_preferred(role):
    assert marks(role) == [("中专以上学历", False, "user"), ("有淘宝经验者优先", True, "seed")]


def test_marking_a_line_preferred_keeps_its_text_and_origin(role):
    education, taobao = role.requirements.order_by("order")
    role_replace_lines(
        role=role,
        lines_by_kind={
            "requirements": [
                LineRow(education.pk, education.text_zh, education.text_en, "education", True),
                LineRow(taobao.pk, taobao.text_zh, taobao.text_en, "experience", False),
            ]
        },
    )
    # the origin is the text's: a seed line made required is still the article's line
    assert marks(role) == [("中专以上学历", True, "user"), ("有淘宝经验者优先", False, "seed")]


def test_a_preferred_mark_that_is_no_yes_or_no_is_refused_with_nothing_changed(role):
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_update(
            role=role,
            requirements=[{"kind": "skill", "text_zh": "打字快", "preferred": "maybe"}],
        )
    assert "requirements" in refused.value.message_dict
    assert "Line 1" in refused.value.message_dict["requirements"][0]
    assert database_snapshot() == before


def test_only_a_requirement_has_the_mark(role):
    with pytest.raises(ValidationError) as refused:
        role_update(role=role, duties=[{"text_zh": "接待咨询", "preferred": True}])
    assert "preferred" in refused.value.message_dict["duties"][0]


def test_a_copy_keeps_the_marks(role, user):
    copy = organization_clone(source=role.organization, owner=user, name_zh="副本")
    copied = Role.objects.get(organization=copy, code="agent")
    assert marks(copied) == marks(role)


def test_undo_takes_a_changed_mark_back(role, user):
    organization = role.organization
    with acting(Actor(user, "editor")):
        role_update(
            role=role,
            requirements=[
                {"kind": "education", "text_zh": "中专以上学历", "preferred": True},
                {"kind": "experience", "text_zh": "有淘宝经验者优先", "preferred": False},
            ],
        )
    assert [line[1] for line in marks(role)] == [True, False]
    organization.refresh_from_db()
    restore.undo(organization=organization, user=user)
    assert [line[1] for line in marks(role)] == [False, True]
    assert Requirement.objects.filter(role=role, preferred=True).count() == 1
