"""Sign-in limits (django-axes, configured in teamorg/settings.py): which address a sign-in comes
from, and the answer once a user name or an address is over the limit.

The answer is a 429 with Retry-After: JSON like every other API error under /api/, the sign-in
page with the reason otherwise. It says how long the lock lasts and that an administrator can
lift it, never whether the user name exists.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

LOCKED_STATUS = 429


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted for.

    Behind the TLS proxy (DJANGO_BEHIND_PROXY) every request comes from the proxy, so counting
    REMOTE_ADDR would lock everybody out at once: the client is then the address the proxy
    appended last to X-Forwarded-For. Only that last entry: the ones before it are whatever the
    client sent and cost an attacker nothing to vary.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def cooloff_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    minutes = cooloff_minutes()
    return ngettext(
        "Too many failed sign-ins for this user name or from this address. Try again in "
        "%(minutes)d minute, or ask an administrator to unlock it.",
        "Too many failed sign-ins for this user name or from this address. Try again in "
        "%(minutes)d minutes, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: what a refused sign-in answers (the password was not checked)."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=LOCKED_STATUS)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": message},
            status=LOCKED_STATUS,
        )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
