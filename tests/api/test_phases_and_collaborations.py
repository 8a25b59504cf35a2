def test_phases_crud(api, organization):
    listed = api.get("/api/v1/phases/?organization=acme").json()["results"]
    assert [p["order"] for p in listed] == [1, 2, 3]
    created = api.post(
        "/api/v1/phases/",
        {"organization": "acme", "name": "扩张期", "start_month": 24, "end_month": 36},
        format="json",
    )
    assert created.status_code == 201, created.content
    phase = created.json()
    assert phase["order"] == 4 and phase["name"] == "扩张期"
    patched = api.patch(f"/api/v1/phases/{phase['id']}/", {"name_en": "Expansion"}, format="json")
    assert patched.json()["name"] == "扩张期"
    assert api.get(f"/api/v1/phases/{phase['id']}/?lang=en").json()["name"] == "Expansion"
    assert api.delete(f"/api/v1/phases/{phase['id']}/").status_code == 204
    assert api.get("/api/v1/phases/?organization=acme").json()["count"] == 3


def test_phase_months_out_of_order_is_a_400(api, organization):
    response = api.post(
        "/api/v1/phases/",
        {"organization": "acme", "name": "反了", "start_month": 12, "end_month": 6},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_collaborations_crud(api, design):
    created = api.post(
        "/api/v1/collaborations/",
        {
            "organization": "acme",
            "from_role": design["lead"].pk,
            "to_role": design["ceo"].pk,
            "description": "每周汇报",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    line = created.json()
    assert (line["from_role"], line["to_role"], line["from_department"]) == (
        design["lead"].pk,
        design["ceo"].pk,
        None,
    )
    patched = api.patch(
        f"/api/v1/collaborations/{line['id']}/", {"description": "每日汇报"}, format="json"
    )
    assert patched.json()["description"] == "每日汇报"
    moved_end = api.patch(
        f"/api/v1/collaborations/{line['id']}/", {"to_role": design["clerk"].pk}, format="json"
    )
    assert moved_end.status_code == 400 and "to_role" in moved_end.json()["errors"]
    assert api.get("/api/v1/collaborations/?organization=acme").json()["count"] == 1
    assert api.delete(f"/api/v1/collaborations/{line['id']}/").status_code == 204


def test_a_collaboration_needs_two_different_ends(api, design):
    for body in (
        {"organization": "acme", "from_department": design["service"].pk},
        {
            "organization": "acme",
            "from_department": design["service"].pk,
            "to_department": design["service"].pk,
        },
        {
            "organization": "acme",
            "from_department": design["service"].pk,
            "to_role": design["ceo"].pk,
        },
    ):
        response = api.post("/api/v1/collaborations/", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["detail"]
