"""Bounded waits: with the tree lock held by another connection, a write answers 503 with
Retry-After within the configured bound, changes nothing and leaves the tree intact; SQLite
(the database write lock) and PostgreSQL (the advisory tree lock, under lock_timeout)."""

import sqlite3
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.test import Client

from departments.models import Department
from teamorg.locking import tree_lock_key
from teamorg.trees import tree_integrity_errors
from tests.api.conftest import client_for
from tests.factories import department_path

pytestmark = pytest.mark.django_db(transaction=True)

BOUND = 0.5  # seconds, instead of the default 10 s, so the test is quick


@contextmanager
def tree_lock_held_elsewhere():
    """Another connection takes the lock a tree write needs and holds it."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        other = psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname=settings["NAME"],
        )
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [tree_lock_key(Department)])
        try:
            yield
        finally:
            other.rollback()
            other.close()
    else:
        other = sqlite3.connect(settings["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()


@contextmanager
def short_bound():
    """The same bound the settings give, shortened for this connection."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(BOUND * 1000)}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    else:
        options = connection.settings_dict["OPTIONS"]
        before = options["timeout"]
        connection.close()
        options["timeout"] = BOUND
        try:
            yield
        finally:
            connection.close()
            options["timeout"] = before


def test_an_api_write_behind_a_held_tree_lock_answers_503_in_time(user, organization):
    center = department_path(organization, "运营中心")
    api = client_for(user)
    count = Department.objects.count()
    with short_bound(), tree_lock_held_elsewhere():
        start = time.monotonic()
        response = api.post(
            "/api/v1/departments/",
            {"organization": "acme", "parent": center.pk, "name_zh": "售后组"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        waited = time.monotonic() - start
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "busy" and "try again" in response.json()["detail"]
    assert waited < BOUND + 3
    assert Department.objects.count() == count
    assert tree_integrity_errors(Department) == []
    # Once the lock is free, the same write goes through.
    again = api.post(
        "/api/v1/departments/",
        {"organization": "acme", "parent": center.pk, "name_zh": "售后组"},
        format="json",
    )
    assert again.status_code == 201, again.content


def test_an_editor_write_behind_a_held_tree_lock_says_why(user, organization):
    center = department_path(organization, "运营中心")
    client = Client()
    client.force_login(user)
    organization.refresh_from_db()
    count = Department.objects.count()
    with short_bound(), tree_lock_held_elsewhere():
        response = client.post(
            "/orgs/acme/edit/departments/add/",
            {"name": "售后组", "parent": center.pk, "revision": organization.revision},
            HTTP_HX_REQUEST="true",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 503
    assert response["X-TeamOrg-Busy"] == "1" and response["Retry-After"] == "5"
    assert "try again in a few seconds" in response.content.decode()
    assert Department.objects.count() == count
    assert tree_integrity_errors(Department) == []
