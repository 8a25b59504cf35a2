import pytest
from django.core.management import call_command


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organizations/{slug}/tree/",
        "/api/v1/organizations/{slug}/clone/",
        "/api/v1/departments/{id}/move/",
        "/api/v1/roles/{id}/move/",
        "/api/v1/organizations/{slug}/members/{username}/",
    ):
        assert path in paths
    assert client.get("/api/v1/docs/").status_code == 200


def test_every_custom_action_is_documented():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        if path.endswith(("/move/", "/clone/", "/tree/")) or "/members/" in path:
            for operation in methods.values():
                assert operation.get("summary") and operation.get("description"), path


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
