"""One place where service errors become API responses.

Services raise Django's `ValidationError` (with a field and a stable `code`); DRF only knows its
own. Here both become a 400 whose body names each field, a readable message and the code:

    {"detail": "…", "errors": {"parent": [{"message": "…", "code": "cycle"}]}}

`StaleRevision` (the organization changed since the caller read it) becomes 412.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from teamorg.errors import StaleRevision


def _flatten(detail, codes) -> list[dict]:
    if isinstance(detail, dict):
        return [
            item
            for key, value in detail.items()
            for item in _flatten(value, codes.get(key, {}) if isinstance(codes, dict) else codes)
        ]
    if isinstance(detail, list):
        code_list = codes if isinstance(codes, list) else [codes] * len(detail)
        return [item for d, c in zip(detail, code_list, strict=False) for item in _flatten(d, c)]
    return [{"message": str(detail), "code": codes if isinstance(codes, str) else "invalid"}]


def validation_error_body(error: DjangoValidationError) -> dict:
    errors: dict[str, list[dict]] = {}
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            key = "non_field_errors" if field == NON_FIELD_ERRORS else field
            for item in field_errors:
                errors.setdefault(key, []).append(
                    {"message": " ".join(item.messages), "code": item.code or "invalid"}
                )
    else:
        for item in error.error_list:
            errors.setdefault("non_field_errors", []).append(
                {"message": " ".join(item.messages), "code": item.code or "invalid"}
            )
    first = next(iter(errors.values()))[0]["message"] if errors else _("Invalid input.")
    return {"detail": first, "errors": errors}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleRevision):
        return Response(
            {"detail": str(exc), "code": "stale_revision", "current_revision": exc.current},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors: dict[str, list[dict]] = {}
        detail, codes = exc.detail, exc.get_codes()
        if not isinstance(detail, dict):
            detail, codes = {"non_field_errors": detail}, {"non_field_errors": codes}
        for field, value in detail.items():
            errors[field] = _flatten(value, codes.get(field, "invalid"))
        first = next(iter(errors.values()))[0]["message"] if errors else _("Invalid input.")
        response.data = {"detail": first, "errors": errors}
    return response
