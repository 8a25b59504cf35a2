import pytest

pytestmark = pytest.mark.django_db


def test_the_interactive_docs_load_swagger_ui_from_our_own_static_files(client, user):
    client.force_login(user)
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page
