"""The entry point of an embedded worker: a fresh process (multiprocessing's spawn) that sets
Django up, opens the database its parent uses and runs one job (an export, or a large import:
`function` is the dotted path of what runs it).

Imports nothing of the project at the top: unpickling `run` imports this module before Django
is set up, and the project's models cannot be imported before that.
"""

import os


def run(function: str, job_id: str, database_name: str) -> None:
    import django
    from django.conf import settings
    from django.utils.module_loading import import_string

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")
    # Before Django is set up (its apps' `ready` may open the connection): the parent's
    # database, which in tests is the test database.
    settings.DATABASES["default"]["NAME"] = database_name
    django.setup()
    import_string(function)(job_id)
