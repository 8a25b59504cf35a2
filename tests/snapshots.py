"""Proof that a refused change changed nothing: every row of every model of ours, before and
after."""

from django.apps import apps


def database_snapshot() -> dict[str, list[tuple]]:
    snapshot = {}
    for app_label in ("departments", "roles"):
        for model in apps.get_app_config(app_label).get_models():
            snapshot[model._meta.label] = sorted(model.objects.values_list(), key=repr)
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                snapshot[through._meta.label] = sorted(through.objects.values_list(), key=repr)
    return snapshot
