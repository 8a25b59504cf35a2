"""The cache of rendered charts and PDFs with a real Redis, with Redis down, and the system check
that refuses a CACHE_URL this installation cannot use."""

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from roles.models import Role
from teamorg.checks import cache_configuration
from tests.documents.support import sample_design
from tests.redis_support import REDIS, needs_redis

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1.0,
            },
        }
    }


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free again once closed: nothing listens there


def document_urls(organization) -> list[str]:
    role = Role.objects.filter(organization=organization).first()
    department = role.department
    slug = organization.slug
    return [
        reverse("charts:chart-file", kwargs={"slug": slug, "fmt": fmt})
        for fmt in ("svg", "png", "pdf")
    ] + [
        reverse("roles:role-jd-pdf", args=[slug, role.pk]),
        reverse("roles:department-pdf", args=[slug, department.pk]),
        reverse("roles:handbook-pdf", args=[slug]),
        reverse("roles:chart-print-pdf", args=[slug]),
    ]


@needs_redis
def test_charts_and_pdfs_are_shared_through_a_real_redis(client, user, organization):
    sample_design(organization)
    client.force_login(user)
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/15")):
        cache.clear()
        for url in document_urls(organization):
            assert client.get(url).status_code == 200, url
        keys = redis.Redis(host=REDIS[0], port=REDIS[1], db=15).keys("*")
        names = b" ".join(keys)
        assert b"teamorg:chart" in names and b"teamorg:pdf" in names
        assert len(keys) >= 7
        cache.clear()


def test_with_redis_down_every_chart_and_pdf_is_still_served(client, user, organization, caplog):
    sample_design(organization)
    client.force_login(user)
    down = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    with override_settings(CACHES=down, DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True):
        with caplog.at_level(logging.ERROR, logger="django_redis"):
            for url in document_urls(organization):
                response = client.get(url)
                assert response.status_code == 200, url
                assert response.content
    # The outage is logged, not hidden.
    assert any(record.name.startswith("django_redis") for record in caplog.records)


def test_a_cache_url_that_is_not_redis_fails_the_system_check():
    env = {**os.environ, "CACHE_URL": "memcached://127.0.0.1:11211", "DJANGO_DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "teamorg.E001" in done.stderr and "redis://" in done.stderr


def test_a_backend_that_cannot_be_imported_fails_the_system_check():
    caches = {"default": {"BACKEND": "django_redis_is_not_installed.RedisCache", "LOCATION": ""}}
    with override_settings(CACHES=caches, CACHE_URL=""):
        problems = cache_configuration()
    assert [problem.id for problem in problems] == ["teamorg.E002"]
    assert "make setup" in problems[0].hint
