"""One place where errors become API responses.

Services raise Django's `ValidationError` (with a field and a stable `code`); DRF's serializers
raise their own. Both become one DRF error here and are written by one formatter: a 400 whose
body names each field, a readable message and the code:

    {"detail": "…", "errors": {"parent": [{"message": "…", "code": "cycle"}]}}

`StaleRevision` (the organization changed since the caller read it) becomes 412; its subclass
`EditConflict` (the write changed a field someone else changed since) also lists the fields:

    {"code": "edit_conflict", "detail": "…", "current_revision": 14,
     "conflicts": [{"kind": "role", "id": 7, "field": "title_zh", "theirs": "…", "yours": "…",
                    "deleted": false, "revision": 14, "user": {"id": 3, "username": "li"}}]}

The names a client sees (`kind`, `field`) are the API's: the app that owns the API registers
them with `name_design_tables` (this module imports no app). A missing
object is a 404 wherever it is noticed: in the view (`Http404`, which DRF handles) or in a
service that re-reads under the tree lock what another writer has deleted in the meantime
(`ObjectDoesNotExist`).
"""

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from teamorg.errors import EditConflict, FieldConflict, StaleRevision

NON_FIELD_ERRORS_KEY = "non_field_errors"

# (table, column) → (kind, field) as the API names them; database names until an app registers.
PublicNames = Callable[[str, str], tuple[str, str]]
_public_names: list[PublicNames] = []


def name_design_tables(naming: PublicNames) -> None:
    """Give the API's names of a design table and column (called by the API's module)."""
    _public_names[:] = [naming]


def public_names(table: str, column: str) -> tuple[str, str]:
    return _public_names[0](table, column) if _public_names else (table, column)


def conflict_item(conflict: FieldConflict) -> dict:
    kind, field = public_names(conflict.table, conflict.column)
    user = None
    if conflict.user_id is not None or conflict.user_name:
        user = {"id": conflict.user_id, "username": conflict.user_name}
    return {
        "kind": kind,
        "id": conflict.row_id,
        "field": field,
        "theirs": conflict.theirs,
        "yours": conflict.yours,
        "deleted": conflict.deleted_by_them,
        "revision": conflict.revision_number,
        "user": user,
    }


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


def as_drf_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """The same errors (messages with their parameters filled in, codes, fields) as DRF's
    error, so both kinds take the one formatter below."""
    detail = get_error_detail(error)
    if isinstance(detail, dict):
        detail = {
            (NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): errors
            for field, errors in detail.items()
        }
    else:
        detail = {NON_FIELD_ERRORS_KEY: detail}
    return exceptions.ValidationError(detail)


def validation_error_body(error: exceptions.ValidationError) -> dict:
    """`{"detail": first message, "errors": {field: [{"message", "code"}]}}`."""
    detail, codes = error.detail, error.get_codes()
    if not isinstance(detail, dict):
        detail, codes = {NON_FIELD_ERRORS_KEY: detail}, {NON_FIELD_ERRORS_KEY: codes}
    errors = {
        field: _flatten(value, codes.get(field, "invalid")) for field, value in detail.items()
    }
    first = next(iter(errors.values()))[0]["message"] if errors else _("Invalid input.")
    return {"detail": first, "errors": errors}


def exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        return Response(
            {
                "detail": str(exc),
                "code": "edit_conflict",
                "current_revision": exc.current,
                "conflicts": [conflict_item(conflict) for conflict in exc.conflicts],
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, StaleRevision):
        return Response(
            {"detail": str(exc), "code": "stale_revision", "current_revision": exc.current},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = validation_error_body(exc)
    return response


# --- Django's own error pages, for URLs under /api/ -------------------------------------------
# A URL no API route matches ("/api/v1/departments/abc/", "/api/v1/nothing/"), or an error that
# escaped every view, is answered by Django's handlers, not DRF's: under /api/ they answer in
# the API's JSON shape too, so a client never has to parse an HTML page.


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side."), "code": "server_error"},
            status=500,
        )
    return defaults.server_error(request)
