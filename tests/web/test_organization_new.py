import re

from departments.models import Organization
from tests.factories import OrganizationFactory


def test_new_from_template_copies_it_and_opens_the_editor(signed_in, user, loaded_templates):
    template = Organization.objects.filter(is_template=True).order_by("pk").first()
    form = signed_in.get(f"/orgs/new/?source={template.slug}", HTTP_ACCEPT_LANGUAGE="en")
    assert f'value="{template.slug}" selected' in form.content.decode()

    response = signed_in.post(
        "/orgs/new/",
        {"name": "My shop", "slug": "my-shop", "source": template.slug},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302 and response["Location"] == "/orgs/my-shop/edit/"
    copy = Organization.objects.get(slug="my-shop")
    assert copy.name_en == "My shop" and not copy.is_template
    assert copy.cloned_from == template
    assert copy.roles.count() == template.roles.count() > 0
    assert copy.memberships.get().user == user


def test_a_chinese_name_goes_to_the_chinese_column(signed_in):
    response = signed_in.post(
        "/orgs/new/", {"name": "我的小店", "slug": "", "source": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 302
    created = Organization.objects.get(name_zh="我的小店")
    assert created.name_en == "" and created.phases.count() == 3


def test_a_taken_address_is_refused_with_a_message(signed_in, organization):
    count = Organization.objects.count()
    response = signed_in.post(
        "/orgs/new/", {"name": "Again", "slug": "acme", "source": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "field-errors" in response.content.decode()
    assert Organization.objects.count() == count


def test_copying_an_invisible_organization_looks_like_it_does_not_exist(signed_in, other_user):
    OrganizationFactory(owner=other_user, slug="secret", name_en="Hidden Corp")
    count = Organization.objects.count()

    def answer(source: str) -> str:
        response = signed_in.post(
            "/orgs/new/", {"name": "Mine", "slug": "", "source": source}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        page = response.content.decode().replace(source, "SOURCE")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)

    # Refused exactly like a slug that does not exist, so it tells nothing about "secret".
    assert answer("secret") == answer("no-such-org")
    assert "Hidden Corp" not in answer("secret")
    assert Organization.objects.count() == count
