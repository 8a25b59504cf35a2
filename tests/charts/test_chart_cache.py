"""Rendered files are cached by organization revision: an unchanged chart is served without
running dot; any change to the design draws it again."""

import pytest

from departments.services import department_update
from roles import charts
from roles.charts import process


@pytest.fixture
def dot_runs(monkeypatch):
    """Count real dot runs (the real dot still runs)."""
    charts.html_labels_expand_escapes()  # the once-per-process probe is not a chart run
    runs = []
    real = process.run_dot

    def counting(source, arguments, **kwargs):
        runs.append(tuple(arguments))
        return real(source, arguments, **kwargs)

    monkeypatch.setattr(process, "run_dot", counting)
    return runs


def test_second_request_runs_no_dot(signed_in, shop, dot_runs):
    first = signed_in.get("/orgs/acme/chart.png", {"view": "departments"})
    assert first.status_code == 200
    assert len(dot_runs) == 1
    second = signed_in.get("/orgs/acme/chart.png", {"view": "departments"})
    assert second.status_code == 200
    assert second.content == first.content
    assert len(dot_runs) == 1


def test_each_option_format_and_language_is_its_own_entry(signed_in, shop, dot_runs):
    signed_in.get("/orgs/acme/chart.svg", {"view": "departments"})
    signed_in.get("/orgs/acme/chart.svg", {"view": "reporting"})
    signed_in.get("/orgs/acme/chart.pdf", {"view": "reporting"})
    signed_in.get("/orgs/acme/chart.svg", {"view": "reporting", "depth": "1"})
    signed_in.cookies["django_language"] = "en"
    english = signed_in.get("/orgs/acme/chart.svg", {"view": "reporting"})
    assert len(dot_runs) == 5
    assert b"Head count" in english.content


def test_a_change_draws_the_chart_again(signed_in, shop, dot_runs):
    signed_in.get("/orgs/acme/chart.svg")
    department = shop.departments.get(name_zh="客服部")
    department_update(department=department, name_zh="客户服务部")
    response = signed_in.get("/orgs/acme/chart.svg")
    assert len(dot_runs) == 2
    assert "客户服务部" in response.content.decode()


def test_unchanged_chart_revalidates_with_304(signed_in, shop, dot_runs):
    first = signed_in.get("/orgs/acme/chart.svg")
    again = signed_in.get("/orgs/acme/chart.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert len(dot_runs) == 1
    department_update(department=shop.departments.first(), summary_zh="新的概述")
    changed = signed_in.get("/orgs/acme/chart.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
