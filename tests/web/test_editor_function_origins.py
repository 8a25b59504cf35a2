"""The department form rewrites the functions text as a whole; each function line keeps where it
came from while its text is unchanged, a new or changed line becomes the user's."""

from departments.models import Department
from tests.web.test_editor_department_form import _post

SEED = {"origin": "seed", "source_note": "000 客服部"}
FILL = {"origin": "fill", "source_note": "fill: standard"}
USER = {"origin": "user", "source_note": ""}


def test_unchanged_lines_keep_their_origin(htmx, design):
    department = design["service"]
    Department.objects.filter(pk=department.pk).update(
        functions_zh="售前咨询\n售后服务",
        functions_en="Pre-sales\nAfter-sales",
        functions_origin=[SEED, FILL],
    )
    department.refresh_from_db()
    response = _post(
        htmx,
        department,
        functions_zh="售后服务\n售前咨询\n投诉处理",
        functions_en="After-sales\nPre-sales\nComplaints",
    )
    assert response.status_code == 200
    department.refresh_from_db()
    assert department.functions_origin == [FILL, SEED, USER]
    # and saving the form again as it stands changes no origin
    _post(
        htmx,
        department,
        functions_zh=department.functions_zh,
        functions_en=department.functions_en,
        summary_zh="客服",
    )
    department.refresh_from_db()
    assert department.functions_origin == [FILL, SEED, USER]
