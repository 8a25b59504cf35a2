"""Deleting a growth phase together with a decision about its head-count targets.

A phase belongs to `departments`, its targets to `roles`, so the delete that keeps targets by
moving them onto another phase lives here. One transaction, one revision."""

from django.utils.translation import gettext as _

from departments.history.recording import design_write
from departments.models import DepartmentHeadcount, HeadcountPhase
from departments.services import begin_write
from roles.models import HeadcountTarget
from teamorg.errors import field_error

DELETE_TARGETS = "delete"
MOVE_TARGETS = "move"


@design_write
def phase_delete_with_targets(
    *,
    phase: HeadcountPhase,
    targets: str = DELETE_TARGETS,
    move_to: HeadcountPhase | None = None,
    expected_revision: int | None = None,
) -> int:
    """Delete `phase`. Its head-count targets are deleted with it (`targets="delete"`) or moved
    onto `move_to` (`"move"`), where a role that already has a target in `move_to` keeps that
    one. Returns how many targets were moved. A department's head count (部门定编) in `phase`
    goes the same way as the roles' (a department with its own in `move_to` keeps that one)."""
    if targets not in (DELETE_TARGETS, MOVE_TARGETS):
        raise field_error("targets", _("Choose what happens to the head count."), "invalid_choice")
    if targets == MOVE_TARGETS:
        if move_to is None or move_to.pk == phase.pk:
            raise field_error(
                "move_to", _("Choose another phase to move the head count to."), "required"
            )
        if move_to.organization_id != phase.organization_id:
            raise field_error(
                "move_to",
                _("That phase is not a phase of this organization."),
                "cross_organization",
            )
    begin_write(phase.organization, expected_revision=expected_revision)
    moved = 0
    if targets == MOVE_TARGETS:
        taken = HeadcountTarget.objects.filter(phase_id=move_to.pk).values("role_id")
        moved = (
            HeadcountTarget.objects.filter(phase_id=phase.pk)
            .exclude(role_id__in=taken)
            .update(phase_id=move_to.pk)
        )
        taken_departments = DepartmentHeadcount.objects.filter(phase_id=move_to.pk).values(
            "department_id"
        )
        DepartmentHeadcount.objects.filter(phase_id=phase.pk).exclude(
            department_id__in=taken_departments
        ).update(phase_id=move_to.pk)
    HeadcountPhase.objects.filter(pk=phase.pk).delete()  # cascades to the targets left on it
    return moved
