import re

from roles.planning.plan import organization_plan


def test_monthly_cost_per_phase_comes_from_salary_bands(organization, phases, make_role):
    make_role("运营部", "运营经理", [(1, 1), (1, 2), (2, 2)], salary_min=10000, salary_max=15000)
    make_role("客服部", "客服专员", [(2, 3), (4, 6), (6, 8)], salary_min=4000, salary_max=5000)
    # Only one end of the band: it stands for both.
    make_role("美工部", "美工", [(1, 1), (1, 1), (1, 2)], salary_min=6000)
    # No band at all: counted as unpriced, never guessed.
    make_role("财务部", "会计", [(0, 1), (1, 1), (1, 1)])
    plan = organization_plan(organization)
    launch, growth, mature = plan.costs
    assert (launch.min, launch.max) == (10000 + 2 * 4000 + 6000, 15000 + 3 * 5000 + 6000)
    assert (growth.min, growth.max) == (10000 + 4 * 4000 + 6000, 2 * 15000 + 6 * 5000 + 6000)
    assert (mature.min, mature.max) == (2 * 10000 + 6 * 4000 + 6000, 2 * 15000 + 8 * 5000 + 12000)
    assert plan.unpriced == [1, 1, 1]
    rows = {row.department.name_zh: row for row in plan.departments}
    assert (rows["客服部"].cost[1].min, rows["客服部"].cost[1].max) == (16000, 30000)
    assert rows["财务部"].cost[1].is_zero


def test_the_plan_page_says_for_how_many_roles_the_cost_is_known_and_lists_the_others(
    client, user, organization, phases, make_role
):
    make_role("运营部", "运营经理", [(1, 1), (1, 2), (2, 2)], salary_min=10000, salary_max=15000)
    accountant = make_role("财务部", "会计", [(0, 1), (1, 1), (1, 1)])
    make_role("仓储部", "仓管", [None, None, None])  # no head count: not counted at all
    plan = organization_plan(organization)
    assert plan.staffed == [2, 2, 2] and plan.unpriced == [1, 1, 1]
    assert [role.title_zh for role in plan.unpriced_roles] == ["会计"]

    client.force_login(user)
    page = client.get(f"/orgs/{organization.slug}/plan/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert text.count("known for 1 of 2 roles") == 3
    assert "1 role with head count has no salary band" in text
    # The owner is sent to the role's form in the editor to add the band.
    assert f'href="/orgs/{organization.slug}/edit/roles/{accountant.pk}/"' in text
    # The open-ended last phase reads "from month 12", not "12– months".
    shown = re.sub(r"<[^>]+>", "", text)
    assert "(from month 12)" in shown and "12– " not in shown
    chinese = client.get(f"/orgs/{organization.slug}/plan/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "(第 12 个月起)" in re.sub(r"<[^>]+>", "", chinese.content.decode())
