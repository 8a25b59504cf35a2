from django.urls import reverse

from departments.models import Organization
from departments.services import membership_set
from tests.factories import UserFactory


def post_limits(client, slug, span, layers, revision):
    return client.post(
        reverse("plan:health-limits", args=[slug]),
        {"span_of_control_limit": span, "layer_limit": layers, "revision": revision},
    )


def test_an_editor_changes_the_limits(client, organization):
    editor = UserFactory(username="editor")
    membership_set(organization=organization, user=editor, role="editor")
    client.force_login(editor)
    revision = Organization.objects.get(pk=organization.pk).revision
    response = post_limits(client, "acme", 8, 4, revision)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.span_of_control_limit, organization.layer_limit) == (8, 4)
    page = client.get(response["Location"]).content.decode()
    assert 'value="8"' in page


def test_bad_limits_are_refused_with_a_message_and_change_nothing(client, user, organization):
    client.force_login(user)
    revision = Organization.objects.get(pk=organization.pk).revision
    for span, layers in ((0, 5), (12, 0), (101, 5), ("many", 5)):
        response = post_limits(client, "acme", span, layers, revision)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    organization.refresh_from_db()
    assert (organization.span_of_control_limit, organization.layer_limit) == (12, 5)
    assert organization.revision == revision


def test_a_stale_form_is_refused(client, user, organization):
    client.force_login(user)
    revision = Organization.objects.get(pk=organization.pk).revision
    assert post_limits(client, "acme", 10, 5, revision).status_code == 302
    response = post_limits(client, "acme", 6, 3, revision)  # based on the old revision
    assert response.status_code == 409
    organization.refresh_from_db()
    assert organization.span_of_control_limit == 10


def test_viewers_and_templates_cannot_change_limits(client, organization, loaded_templates):
    viewer = UserFactory(username="viewer")
    membership_set(organization=organization, user=viewer, role="viewer")
    client.force_login(viewer)
    assert (
        'name="span_of_control_limit"'
        not in client.get(reverse("plan:health", args=["acme"])).content.decode()
    )
    revision = Organization.objects.get(pk=organization.pk).revision
    assert post_limits(client, "acme", 8, 4, revision).status_code == 403
    template = Organization.objects.filter(is_template=True).first()
    assert post_limits(client, template.slug, 8, 4, template.revision).status_code == 403
    template.refresh_from_db()
    assert template.span_of_control_limit == 12
