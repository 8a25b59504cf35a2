from departments.models import MemberRole, Organization
from departments.services import organization_create
from tests.api.conftest import client_for


def test_list_gives_templates_and_my_organizations_only(api, user, other_user, loaded_templates):
    organization_create(name_zh="我的", slug="mine", owner=user)
    organization_create(name_zh="别人的", slug="theirs", owner=other_user)
    body = api.get("/api/v1/organizations/?limit=500").json()
    slugs = {org["slug"] for org in body["results"]}
    templates = set(Organization.objects.filter(is_template=True).values_list("slug", flat=True))
    assert slugs == templates | {"mine"}
    assert body["count"] == len(slugs)


def test_filter_search_order_and_paginate(api, user):
    for n in range(3):
        organization_create(name_zh=f"店铺{n}", name_en=f"Shop {n}", slug=f"shop-{n}", owner=user)
    mine = api.get("/api/v1/organizations/?is_template=false&ordering=-slug").json()
    assert [o["slug"] for o in mine["results"]] == ["shop-2", "shop-1", "shop-0"]
    found = api.get("/api/v1/organizations/?search=店铺1").json()["results"]
    assert [o["slug"] for o in found] == ["shop-1"]
    page = api.get("/api/v1/organizations/?is_template=false&limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["results"]) == 1 and page["previous"]


def test_create_makes_the_caller_owner_with_default_phases(api, user):
    response = api.post(
        "/api/v1/organizations/",
        {"name": "新公司", "name_en": "New Co", "business_model": "direct-sales"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["my_role"] == "owner" and body["name"] == "新公司"
    organization = Organization.objects.get(slug=body["slug"])
    assert organization.name_zh == "新公司" and organization.name_en == "New Co"
    assert organization.memberships.get().user == user
    assert organization.memberships.get().role == MemberRole.OWNER
    assert organization.phases.count() == 3
    assert response["ETag"] == f'"{organization.revision}"'


def test_create_in_english_writes_the_english_name(api):
    response = api.post(
        "/api/v1/organizations/?lang=en", {"name": "Shop", "slug": "shop"}, format="json"
    )
    assert response.status_code == 201
    organization = Organization.objects.get(slug="shop")
    assert (organization.name_zh, organization.name_en) == ("", "Shop")


def test_create_without_a_name_is_a_400(api):
    response = api.post("/api/v1/organizations/", {"slug": "nameless"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not Organization.objects.filter(slug="nameless").exists()


def test_retrieve_patch_and_delete(api, organization):
    assert api.get("/api/v1/organizations/acme/").json()["name"] == "测试电商"
    response = api.patch(
        "/api/v1/organizations/acme/", {"name": "新名字", "layer_limit": 4}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "新名字" and response.json()["layer_limit"] == 4
    assert api.delete("/api/v1/organizations/acme/").status_code == 204
    assert not Organization.objects.filter(slug="acme").exists()
    assert api.get("/api/v1/organizations/acme/").status_code == 404


def test_another_users_organization_is_404_even_to_delete(other_user, organization):
    client = client_for(other_user)
    assert client.delete("/api/v1/organizations/acme/").status_code == 404
    assert Organization.objects.filter(slug="acme").exists()
