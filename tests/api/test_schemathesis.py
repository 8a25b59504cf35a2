"""Property-based run of the whole API against its own OpenAPI schema (schemathesis): no 5xx,
and every answer matches the schema (status code, content type, body).

Signed in as the owner of a clone of a template. Path parameters are pointed at real objects of
that clone (generated ids would almost all be 404s and never reach the serializers or the
services); bodies, query strings and headers are generated. Bounded and derandomized, so a run
is repeatable and takes well under a minute.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from departments.invitations import member_add
from departments.models import Organization
from departments.services import organization_create
from roles.exports.services import request_export
from roles.models import Collaboration, Role
from roles.services import collaboration_create, organization_clone
from teamorg.wsgi import application
from tests.api.conftest import client_for
from tests.factories import UserFactory

# Generated cases only (positive and negative), seeded; schemathesis' coverage phase adds
# hundreds of boundary cases per operation and would take minutes: the boundaries it probes
# (lengths, types, ranges) have their own tests in test_bad_input.py.
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20240601,
        "phases": {"coverage": {"enabled": False}},
        "generation": {"mode": "all", "max-examples": 12, "deterministic": True},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Calling the WSGI application directly fires request_started/finished, whose handler
    closes the database connection: that would end the test's transaction on PostgreSQL. The
    test client disconnects the handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def owned_clone(loaded_templates, wsgi_keeps_the_test_connection):
    owner = UserFactory(username="schemathesis-owner")
    template = Organization.objects.filter(is_template=True).order_by("slug").first()
    assert template is not None, "no template loaded"
    copy = organization_clone(source=template, owner=owner, name_zh="模糊测试", slug="fuzz")
    if not Collaboration.objects.filter(organization=copy).exists():
        first, second = copy.departments.order_by("tree_id", "lft")[:2]
        collaboration_create(organization=copy, from_department=first, to_department=second)
    role = Role.objects.filter(organization=copy, reports_to__isnull=False).order_by("pk").last()
    # A queued export (no worker runs inside the test's transaction): its status is real, its
    # download a documented 404 until it is done.
    job, _created = request_export(
        user=owner, organization=copy, kind="handbook", params={"lang": "en"}
    )
    # An invitation waiting for the owner (from someone else's organization), and one the
    # owner sent: the ids of both invitation paths.
    inviter = UserFactory(username="schemathesis-inviter")
    elsewhere = organization_create(name_zh="邀请方", slug="inviting", owner=inviter)
    waiting = member_add(
        organization=elsewhere, address=owner.username, role="viewer", invited_by=inviter
    ).invitation
    sent = member_add(
        organization=copy, address="nobody@example.com", role="viewer", invited_by=owner
    ).invitation
    token = client_for(owner)._credentials["HTTP_AUTHORIZATION"]
    return {
        "headers": {"Authorization": token},
        "path": {
            "slug": copy.slug,
            "username": owner.username,
            "departments": copy.departments.order_by("-pk").first().pk,
            "roles": role.pk,
            "phases": copy.phases.order_by("-pk").first().pk,
            "collaborations": Collaboration.objects.filter(organization=copy).first().pk,
            "revision": copy.revision,
            "job": str(job.pk),
            "invitations": waiting.pk,
            "invitation": sent.pk,
        },
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, owned_clone):
    known = owned_clone["path"]
    for name in case.path_parameters or {}:
        if name == "id":
            collection = case.path.split("/")[3]  # /api/v1/<collection>/{id}/...
            case.path_parameters[name] = known[collection]
        else:
            case.path_parameters[name] = known[name]
    case.call_and_validate(
        headers=owned_clone["headers"],
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
