"""Issue 14, item 7: a copy starts its own history — its first revision says what it was copied
from and at which revision — and the original's history is untouched."""

from django.test import Client

from departments.history import replay
from departments.models import Revision, RevisionKind
from roles import services as role_services
from tests.factories import department_path, role_chain


def test_a_copy_starts_its_own_history_naming_its_source_and_revision(organization, user):
    service = department_path(organization, "运营中心 > 客服部")
    role_chain(organization, service, "CEO > 客服主管")
    organization.refresh_from_db()
    source_revisions = Revision.objects.filter(organization=organization).count()

    copy = role_services.organization_clone(
        source=organization, owner=user, name_en="Copy", slug="copy"
    )

    (first,) = Revision.objects.filter(organization=copy)
    assert first.kind == RevisionKind.CREATED
    assert first.restored_number == organization.revision
    assert "Acme Shop" in first.note
    assert replay.history_start(copy.pk) == copy.revision
    assert Revision.objects.filter(organization=organization).count() == source_revisions

    client = Client()
    client.force_login(user)
    html = client.get("/orgs/copy/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"created as a copy of {first.note}, revision {organization.revision}" in html

    api = client.get("/api/v1/organizations/copy/history/").json()
    assert [(entry["kind"], entry["restored_number"]) for entry in api["results"]] == [
        ("created", organization.revision)
    ]
