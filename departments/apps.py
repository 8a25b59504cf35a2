from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Organizations and departments")

    def ready(self):
        from departments import (
            language,  # noqa: F401 - connects the sign-in signal
            tracked,
        )

        tracked.connect(self)
