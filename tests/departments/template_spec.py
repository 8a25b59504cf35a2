"""A small template spec in the format of fixtures/templates/README.md, for loader tests that
must not depend on the real templates' content."""

import copy


def text(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


SPEC = {
    "slug": "startup",
    "business_model": "startup",
    "name": text("测试模板", "Test template"),
    "description": text("用于测试", "For tests"),
    "source_note": "tests",
    "phases": [
        {"key": "launch", "name": text("启动期", "Launch"), "start_month": 0, "end_month": 6},
        {"key": "growth", "name": text("成长期", "Growth"), "start_month": 6, "end_month": None},
    ],
    "departments": [
        {
            "code": "management",
            "name": text("总经办", "Management"),
            "function_group": "management",
            "children": [
                {
                    "code": "operations",
                    "name": text("运营部", "Operations"),
                    "functions": {
                        "zh": ["店铺运营", "活动策划"],
                        "en": ["Shop operations", "Promotions"],
                    },
                    "function_group": "front-line",
                },
                {"code": "service", "name": text("客服部", "Customer service"), "origin": "fill"},
            ],
        }
    ],
    "roles": [
        {
            "code": "shop-manager",
            "department": "management",
            "reports_to": None,
            "title": text("店长", "Shop manager"),
            "level": "manager",
            "hiring_priority": 1,
            "duties": [{"zh": "负责店铺整体运营", "en": "Runs the shop"}],
            "requirements": [
                {"kind": "experience", "zh": "两年经验", "en": "Two years", "origin": "fill"}
            ],
            "headcount": [
                {"phase": "launch", "min": 1, "max": 1},
                {"phase": "growth", "min": 1, "max": 1},
            ],
        },
        {
            "code": "operator",
            "department": "operations",
            "reports_to": "shop-manager",
            "title": text("运营专员", "Operations specialist"),
            "level": "specialist",
            "hiring_priority": 2,
            "combinable_with": ["shop-manager"],
            "kpis": [{"zh": "转化率", "en": "Conversion rate"}],
            "headcount": [
                {"phase": "launch", "min": 0, "max": 1},
                {"phase": "growth", "min": 2, "max": 3},
            ],
        },
        {
            "code": "service-agent",
            "department": "service",
            "reports_to": "shop-manager",
            "title": text("客服专员", "Customer service agent"),
            "level": "specialist",
            "employment_type": "part-time",
            "headcount": [{"phase": "growth", "min": 2, "max": 4}],
        },
    ],
    "collaborations": [
        {
            "from_department": "operations",
            "to_department": "service",
            "description": text("活动信息同步给客服", "Promotions are briefed to customer service"),
        }
    ],
}


def spec(**changes) -> dict:
    result = copy.deepcopy(SPEC)
    result.update(changes)
    return result
