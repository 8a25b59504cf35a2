from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from teamorg.checks import cache_configuration


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Organizations and departments")

    def ready(self):
        from departments import (
            language,  # noqa: F401 - connects the sign-in signal
            tracked,
        )

        tracked.connect(self)
        checks.register(cache_configuration, checks.Tags.caches)
