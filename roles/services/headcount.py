"""Writes to one cell of the head-count grid: how many people a role needs in one phase.

The editor's grid saves a cell at a time. `headcount_set` takes the cell as the user left it
(either bound may be empty), `headcount_clear` removes the role's target in that phase and leaves
its other phases alone. Both are one transaction that bumps the organization's revision and
refuses a stale `expected_revision`.
"""

from django.utils.translation import gettext as _

from departments.history.recording import design_write
from departments.models import HeadcountPhase
from departments.services import begin_write
from roles.models import HeadcountTarget, Role
from roles.services.roles import role_set_headcount
from teamorg.errors import field_error


def _check_phase_of(role: Role, phase: HeadcountPhase) -> None:
    if phase.organization_id != role.organization_id:
        message = _("Phase %(phase)s is not a phase of this organization.") % {"phase": phase.pk}
        raise field_error("headcount", message, "unknown_phase")


@design_write
def headcount_clear(
    *, role: Role, phase: HeadcountPhase, expected_revision: int | None = None
) -> None:
    """The role needs nobody in `phase`: remove its target there, keep its other phases.

    A cell that is already empty is still a write (the revision goes up), as every save of the
    grid is."""
    _check_phase_of(role, phase)
    begin_write(role.organization, expected_revision=expected_revision)
    HeadcountTarget.objects.filter(role_id=role.pk, phase_id=phase.pk).delete()


def headcount_set(
    *,
    role: Role,
    phase: HeadcountPhase,
    min_count: int | None,
    max_count: int | None,
    expected_revision: int | None = None,
) -> HeadcountTarget | None:
    """Save one cell of the grid as the user left it and return its target (None once cleared).

    Both bounds empty clears the cell; only "at least" means exactly that many; only "at most"
    means from none up to it. Bounds are checked by `role_set_headcount` (0 <= min <= max)."""
    if min_count is None and max_count is None:
        headcount_clear(role=role, phase=phase, expected_revision=expected_revision)
        return None
    low = 0 if min_count is None else min_count
    high = low if max_count is None else max_count
    return role_set_headcount(
        role=role, phase=phase, min_count=low, max_count=high, expected_revision=expected_revision
    )
