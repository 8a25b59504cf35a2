from django.core.exceptions import ValidationError


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A `ValidationError` about one field, with the stable code the API and UI show."""
    return ValidationError({field: ValidationError(message, code=code)})
