"""Errors every channel reports the same way: the error types the services raise, and the one
formatter that turns a `ValidationError` into the lines a page shows (the API's JSON body is
made by `teamorg.api_errors`)."""

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


def validation_messages(error: ValidationError) -> list[str]:
    """The lines a page shows for a `ValidationError`: every message, field by field in the
    order the service raised them, without field names (the page's form marks the fields)."""
    # `messages` flattens both shapes: a dict of field errors and a plain list.
    return list(error.messages)
