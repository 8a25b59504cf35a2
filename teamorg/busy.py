"""Bounded waits: a write that waited too long for a lock, or a statement that ran too long,
answers 503 with Retry-After and a message, never a 500 after the worker's timeout.

The bounds are the database's own (teamorg/settings.py): PostgreSQL's `lock_timeout` (the tree
lock is an advisory lock, which it covers) and `statement_timeout`, SQLite's busy timeout.
Either aborts the statement; the transaction is rolled back, so nothing is half-written. This
middleware turns that error into the answer the caller can act on: JSON for the API, the plain
message for the editor's htmx requests (editor.js shows it), a short page otherwise.
"""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5
# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout).
_BUSY_SQLSTATES = {"55P03", "57014"}


def is_busy(error: BaseException) -> bool:
    """Whether `error` is the database giving up a wait, not a fault."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    # SQLite: "database is locked" once the busy timeout ran out, "database table is locked"
    # when a shared-cache connection holds the table.
    return str(error).startswith("database") and str(error).endswith("is locked")


def busy_message() -> str:
    return _(
        "The design is being changed by someone else, or the database is busy. Nothing was "
        "changed: try again in a few seconds."
    )


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_busy(exception):
            return None
        message = busy_message()
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "code": "busy"}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
            response["X-TeamOrg-Busy"] = "1"
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
