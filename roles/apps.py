from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Roles")

    def ready(self):
        from roles import tracked  # noqa: F401 - registers the tables the history records
