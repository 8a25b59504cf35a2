"""What every editor endpoint does around its own work: sign-in, the HTTP method, edit rights on
the organization, the revision the page was rendered with, and the one error path.

A write (`editor_action`) that the services refuse answers 400 with the messages
(`teamorg.errors.validation_messages`), a stale revision 409, a missing or invisible node or
phase 404 (also one the view found but another writer deleted before the service re-read it
under the tree lock: the service raises the model's `DoesNotExist`); in each case nothing
changed. A form fragment (`editor_fragment`) answers the same
way. `form_and_action` serves an inline form and its submission from one URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from departments.selectors import EDIT, organization_for
from roles.editor.responses import alert, not_found, stale
from teamorg.errors import StaleRevision, validation_messages


def page_revision(request: HttpRequest) -> int:
    """The revision the page was rendered with. Required: without it a stale page could
    overwrite someone else's change."""
    try:
        value = int(request.POST.get("revision", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError(
            _(
                "The form did not say which version of the design it was made from. "
                "Reload the page."
            ),
            code="missing_revision",
        )
    return value


def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return alert(request, None, [str(error) or _("You may not change this.")], 403)


def editor_action(view: Callable) -> Callable:
    """An editor write: `view(request, organization, revision, ...)`, called signed in, by POST,
    with edit rights and the page's revision."""

    @login_required
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        try:
            organization = organization_for(request.user, slug, EDIT)
        except PermissionDenied as error:
            return _forbidden(request, error)
        except Http404 as error:
            return not_found(request, None, error)
        try:
            revision = page_revision(request)
            return view(request, organization, revision, *args, **kwargs)
        except StaleRevision as error:
            return stale(request, organization, error)
        except ValidationError as error:
            return alert(request, organization, validation_messages(error), 400)
        except Http404 as error:
            return not_found(request, organization, error)
        except ObjectDoesNotExist as error:
            return not_found(request, organization, Http404(str(error)))

    return wrapper


def editor_fragment(view: Callable) -> Callable:
    """A form fragment the editor loads into a node (rename, move, delete, add, role form):
    `view(request, organization, ...)`, called signed in, by GET, with edit rights."""

    @login_required
    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        try:
            organization = organization_for(request.user, slug, EDIT)
        except PermissionDenied as error:
            return _forbidden(request, error)
        except Http404 as error:
            return not_found(request, None, error)
        try:
            return view(request, organization, *args, **kwargs)
        except ValidationError as error:
            return alert(request, organization, validation_messages(error), 400)
        except Http404 as error:
            return not_found(request, organization, error)
        except ObjectDoesNotExist as error:
            return not_found(request, organization, Http404(str(error)))

    return wrapper


def form_and_action(show: Callable, save: Callable) -> Callable:
    """One URL for an inline form: GET shows it (`show`), POST submits it (`save`)."""

    @login_required
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            return save(request, *args, **kwargs)
        return show(request, *args, **kwargs)

    return view
