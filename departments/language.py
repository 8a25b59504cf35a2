"""The interface language follows the signed-in user, on every device.

Django's `set_language` keeps the choice in a cookie of one browser. We also store it on the
account (`UserPreferences`) and copy it into the session at sign-in, so a new browser opens in
the user's language. The middleware reads only the session, which authentication has loaded
anyway: no query per request.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from departments.models import UserPreferences

SESSION_KEY = "teamorg_language"


def user_language_set(*, user, language: str) -> None:
    """Remember `language` (a code of settings.LANGUAGES) for `user`."""
    UserPreferences.objects.update_or_create(user=user, defaults={"language": language})


@require_POST
def language_switch(request):
    """Django's set_language (cookie, redirect to `next`), plus the user's own preference."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(language):
        user_language_set(user=request.user, language=language)
        request.session[SESSION_KEY] = language
    return response


@receiver(user_logged_in)
def restore_language_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = UserPreferences.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[SESSION_KEY] = language


class UserLanguageMiddleware:
    """After LocaleMiddleware and authentication: the signed-in user's language wins over the
    browser's Accept-Language and cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.get(SESSION_KEY) if session is not None else None
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
