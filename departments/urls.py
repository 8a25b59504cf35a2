"""The language switch, which also stores the choice with the user's account."""

from django.urls import path

from departments.language import language_switch

urlpatterns = [
    path("i18n/setlang/", language_switch, name="set_language"),
]
