"""The entry point of a background import: a fresh process (multiprocessing's spawn) that sets
Django up, opens the database its parent uses and applies one import job.

Imports nothing of the project at the top: unpickling `run` imports this module before Django
is set up, and the project's models cannot be imported before that (as `roles.exports.child`).
"""

import os


def run(job_id: str, database_name: str) -> None:
    import django
    from django.conf import settings
    from django.utils.module_loading import import_string

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")
    settings.DATABASES["default"]["NAME"] = database_name
    django.setup()
    import_string("roles.imports.services.import_job_run")(job_id)
