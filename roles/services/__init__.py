"""Writes to whole designs: roles and their lines and head count, collaboration lines, clone,
organization and department deletes, template loading. Each module's public functions are
listed here so callers write `from roles import services` and `services.role_create(...)`."""

from roles.services.collaborations import (
    COLLABORATION_FIELDS,
    collaboration_create,
    collaboration_delete,
    collaboration_update,
)
from roles.services.designs import (
    SubtreeDeleted,
    department_delete,
    department_delete_subtree,
    organization_clone,
    organization_delete,
    role_delete_subtree,
)
from roles.services.headcount import headcount_clear, headcount_set
from roles.services.phases import phase_delete_with_targets
from roles.services.role_lines import LineRow, role_lines_from_rows, role_replace_lines
from roles.services.roles import (
    ROLE_FIELDS,
    role_create,
    role_delete,
    role_move,
    role_set_headcount,
    role_update,
)

__all__ = [
    "phase_delete_with_targets",
    "LineRow",
    "headcount_clear",
    "headcount_set",
    "role_lines_from_rows",
    "role_replace_lines",
    "COLLABORATION_FIELDS",
    "ROLE_FIELDS",
    "collaboration_create",
    "collaboration_delete",
    "collaboration_update",
    "department_delete",
    "department_delete_subtree",
    "role_delete_subtree",
    "SubtreeDeleted",
    "organization_clone",
    "organization_delete",
    "role_create",
    "role_delete",
    "role_move",
    "role_set_headcount",
    "role_update",
]
