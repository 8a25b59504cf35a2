import pytest

from departments.models import HeadcountPhase
from roles import services as role_services
from tests.factories import department_path


@pytest.fixture
def phases(organization):
    """The three default phases of `organization`: 启动期, 成长期, 成熟期."""
    return list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))


@pytest.fixture
def make_role(organization, phases):
    """make_role("运营中心 > 客服部", "客服专员", [(2, 3), (4, 6), None], reports_to=…, …):
    a role in that department path with head count per phase (None: no target)."""

    def make(path, title, counts=(), *, reports_to=None, lines=True, **fields):
        department = department_path(organization, path)
        headcount = [
            {"phase": phase.pk, "min": count[0], "max": count[1]}
            for phase, count in zip(phases, counts, strict=False)
            if count is not None
        ]
        if lines:
            fields.setdefault("duties", [{"text_zh": f"{title}的职责", "text_en": "A duty"}])
            fields.setdefault(
                "requirements",
                [{"kind": "experience", "text_zh": "一年经验", "text_en": "One year"}],
            )
        return role_services.role_create(
            organization=organization,
            department=department,
            reports_to=reports_to,
            title_zh=title,
            title_en=fields.pop("title_en", title),
            headcount=headcount,
            **fields,
        )

    return make
