"""Errors every channel reports the same way: the error types the services raise, and the one
formatter that turns a `ValidationError` into the lines a page shows (the API's JSON body is
made by `teamorg.api_errors`)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleRevision(Exception):
    """The organization moved on since the caller read it."""

    def __init__(self, *, expected: int, current: int):
        self.expected = expected
        self.current = current
        super().__init__(
            _(
                "Someone else changed this design (now revision %(current)s, you edited "
                "revision %(expected)s). Reload to see their change."
            )
            % {"current": current, "expected": expected}
        )


@dataclass
class FieldConflict:
    """One column of one row that the writer changed and someone else changed first."""

    table: str
    row_id: int
    column: str
    theirs: Any
    yours: Any
    deleted_by_them: bool
    revision_number: int
    user_id: int | None
    user_name: str
    label: str = ""  # the field's name for people, filled in by the history
    by_you: bool = False  # the same person (in another tab, or another tool)
    channel: str = ""  # where their change came from (editor, api, …)


class EditConflict(StaleRevision):
    """The write changed a field that someone else changed since the writer read the design.
    A `StaleRevision`, so every channel that refuses a stale write refuses this one, with a
    message that names the fields and who changed them."""

    def __init__(self, conflicts: list[FieldConflict], *, current: int):
        self.conflicts = conflicts
        self.expected = None
        self.current = current
        Exception.__init__(self, " ".join(conflict_sentence(c) for c in conflicts))


def conflict_sentence(conflict: FieldConflict) -> str:
    if conflict.deleted_by_them:
        if conflict.by_you and conflict.channel == "editor":
            return _("You deleted this in another tab (revision %(revision)s).") % {
                "revision": conflict.revision_number
            }
        return _("%(user)s deleted this (revision %(revision)s).") % {
            "user": conflict.user_name or _("Someone"),
            "revision": conflict.revision_number,
        }
    values = {
        "field": conflict.label or conflict.column,
        "revision": conflict.revision_number,
        "user": conflict.user_name or _("Someone"),
    }
    if conflict.by_you and conflict.channel == "editor":
        return _("You changed %(field)s in another tab (revision %(revision)s).") % values
    if conflict.by_you:
        return _("You changed %(field)s earlier (revision %(revision)s).") % values
    return _("%(user)s changed %(field)s (revision %(revision)s).") % values


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A `ValidationError` about one field, with the stable code the API and UI show."""
    return ValidationError({field: ValidationError(message, code=code)})


def validation_messages(error: ValidationError) -> list[str]:
    """The lines a page shows for a `ValidationError`: every message, field by field in the
    order the service raised them, without field names (the page's form marks the fields)."""
    # `messages` flattens both shapes: a dict of field errors and a plain list.
    return list(error.messages)
