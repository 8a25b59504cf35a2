"""System checks of the deployment settings (`manage.py check`, `check --deploy`), registered by
`departments.apps`: a setting that names something this installation cannot use fails here,
with what to do, instead of as a 500 on the first chart."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


def cache_configuration(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """CACHE_URL names Redis (or nothing), and the cache backend and its client import."""
    problems: list[checks.CheckMessage] = []
    url = getattr(settings, "CACHE_URL", "")
    if url and not url.startswith(settings.REDIS_CACHE_SCHEMES):
        problems.append(
            checks.Error(
                f"CACHE_URL={url.split(':', 1)[0]}:… is not a cache TeamOrg can use.",
                hint="Set CACHE_URL to redis://host:6379/0 (or rediss://, unix://), "
                "or leave it empty for the per-process memory cache.",
                id="teamorg.E001",
            )
        )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    try:
        import_string(backend)
        if "redis" in backend:
            import_string("redis.Redis")
    except ImportError as error:
        problems.append(
            checks.Error(
                f"The cache backend {backend} cannot be imported: {error}.",
                hint="Install the project's dependencies (make setup, or pip install -e .): "
                "they include django-redis and the redis client.",
                id="teamorg.E002",
            )
        )
    return problems
