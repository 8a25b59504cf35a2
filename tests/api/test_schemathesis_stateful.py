"""Stateful run of the API (schemathesis): sequences of calls linked by what earlier answers
returned (an id from a create feeds the next read, update, move or delete; links inferred from
the schema), not single calls. No 5xx, every answer matches the schema (an HTML error page on
a JSON endpoint is a content-type failure), a created resource can be read back, and a deleted
one is gone.

The same signed-in owner and clone as the stateless run; bounded and derandomized.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ensure_resource_availability,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from tests.api.test_schemathesis import owned_clone, schema, wsgi_keeps_the_test_connection

__all__ = ["owned_clone", "wsgi_keeps_the_test_connection"]  # fixtures used here

# Not `positive_data_acceptance`: the schema cannot say that `organization` must name an
# organization the caller may write, so a schema-valid request is often a correct 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ensure_resource_availability,
    use_after_free,
]

Workflow = schema.as_state_machine()
ORGANIZATION_PATH = "/api/v1/organizations/{slug}/"


@pytest.mark.django_db
def test_linked_api_calls_never_fail_the_server_or_the_schema(owned_clone):
    headers = owned_clone["headers"]
    slug = owned_clone["path"]["slug"]
    answered = []  # (method, path template, status) of every call

    class SignedInWorkflow(Workflow):
        def setup(self):
            # Every scenario starts from the same database: a scenario's choices depend on what
            # earlier answers returned, and hypothesis replays them, so objects left by the
            # previous scenario would make the same choices behave differently (it says
            # "Inconsistent data generation" and fails).
            super().setup()
            self.start = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.start)
            super().teardown()

        def before_call(self, case):
            # A generated slug or organization names no organization the caller may write, so
            # every create and every /organizations/{slug}/ call would be a 400 or 404 and the
            # run would never get past single calls. Point them at the caller's own copy; ids
            # still come from earlier answers (the links) or are generated.
            # Deleting the copy itself is left to generated slugs: it would end the run early.
            super().before_call(case)
            deletes_the_copy = (case.method, case.path) == ("DELETE", ORGANIZATION_PATH)
            if case.path_parameters and "slug" in case.path_parameters and not deletes_the_copy:
                case.path_parameters["slug"] = slug
            if isinstance(case.body, dict) and "organization" in case.body:
                case.body["organization"] = slug

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            super().after_call(response, case)  # the recorder the stateful checks read
            answered.append((case.method, case.path, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    assert Workflow.bundles, "schemathesis found no links between the API's operations"
    SignedInWorkflow.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=8,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The run reached past single calls: things were created, and ids taken from answers
    # were read or changed successfully.
    assert any(status == 201 for _method, _path, status in answered), answered
    linked = [
        (method, path)
        for method, path, status in answered
        if "{id}" in path and 200 <= status < 300
    ]
    assert linked, answered
