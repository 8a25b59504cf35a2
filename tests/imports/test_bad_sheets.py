"""Every kind of problem in a sheet is reported with its sheet, row and column, and nothing is
written while any remains (a snapshot of every table before and after, the import jobs aside)."""

import pytest

from tests.imports.conftest import design_snapshot, upload

HEADER = "部门,岗位名称,岗位代码,汇报对象,职级,启动期编制,薪资范围\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


CASES = {
    "unknown_manager": (csv("运营中心 > 客服部,客服组长,,不存在的岗位,主管,1,"), 2, "D (汇报对象)"),
    # CEO (at the top) would report to 客服专员, who reports up to CEO.
    "cycle": (csv("运营中心 > 客服部,CEO,,客服专员,高管,1,"), 2, "D (汇报对象)"),
    "duplicate_code": (
        csv("运营中心,店长,shop-lead,,经理,1,", "运营中心,副店长,shop-lead,,经理,1,"),
        3,
        "C (岗位代码)",
    ),
    "min_above_max": (csv("运营中心,店长,,,经理,5-3,"), 2, "F (启动期编制)"),
    "bad_number": (csv("运营中心,店长,,,经理,三个,"), 2, "F (启动期编制)"),
    "bad_choice": (csv("运营中心,店长,,,大佬,1,"), 2, "E (职级)"),
    # Two 组长 in two departments: which one the 助理 reports to needs the code.
    "ambiguous_manager": (
        csv(
            "运营中心,组长,,,主管,1,",
            "运营中心 > 客服部,组长,,,主管,1,",
            "运营中心,助理,,组长,助理,1,",
        ),
        4,
        "D (汇报对象)",
    ),
}


@pytest.mark.parametrize("code", CASES)
def test_each_problem_is_reported_where_it_is_and_nothing_is_written(api, design, code):
    content, row, column = CASES[code]
    before = design_snapshot()
    response = upload(api, design.slug, "positions.csv", content, apply="1")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import_problems"
    problems = body["import"]["problems"]
    assert {"row": row, "column": column, "code": code} in [
        {key: problem[key] for key in ("row", "column", "code")} for problem in problems
    ], problems
    assert all(problem["message"] and problem["sheet"] for problem in problems)
    assert design_snapshot() == before
    # Applying the stored preview later is refused the same way.
    job = body["import"]["id"]
    response = api.post(f"/api/v1/organizations/{design.slug}/import/{job}/apply/")
    assert response.status_code == 400
    assert design_snapshot() == before


def test_a_salary_band_the_wrong_way_round_is_reported(api, design):
    before = design_snapshot()
    response = upload(api, design.slug, "p.csv", csv("运营中心,店长,,,经理,1,12000-8000"))
    assert response.status_code == 201
    problems = response.json()["problems"]
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [
        (2, "G (薪资范围)", "min_above_max")
    ]
    assert design_snapshot() == before


def test_an_unknown_column_waits_for_the_mapping_step(api, design):
    content = "部门,岗位名称,备注,启动期\n运营中心,店长,老员工,2\n".encode()
    response = upload(api, design.slug, "p.csv", content)
    body = response.json()
    assert [(p["column"], p["code"]) for p in body["problems"]] == [("C (备注)", "unknown_column")]
    # “启动期” names one of the organization's phases: a head-count column without mapping.
    assert {"letter": "D", "header": "启动期", "field": "phase", "phase": "启动期"} in body[
        "columns"
    ]
    url = f"/api/v1/organizations/{design.slug}/import/{body['id']}/"
    response = api.post(url + "mapping/", {"mapping": {"备注": ""}}, format="json")
    assert response.status_code == 200
    assert response.json()["problems"] == []
    response = api.post(url + "apply/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "applied"
    roles = api.get(f"/api/v1/roles/?organization={design.slug}").json()["results"]
    shop_lead = next(role for role in roles if role["title"] == "店长")
    assert [(h["min"], h["max"]) for h in shop_lead["headcount"]] == [(2, 2)]
