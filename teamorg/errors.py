"""Errors every channel reports the same way (the API handler and the pages format them)."""

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


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A `ValidationError` about one field, with the stable code the API and UI show."""
    return ValidationError({field: ValidationError(message, code=code)})
