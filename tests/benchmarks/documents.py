"""Benchmarks of the job-description PDF and the handbook (roles/documents.py).

`run()` measures, against the configured database (after `make setup`: migrated, templates
loaded):

- one job description PDF, warm (fonts and templates loaded; the design read from the database
  and the PDF rendered, PDF cache bypassed) and its size;
- the handbook's rendering server: how long it takes to start (once per process that renders
  handbooks: a Celery pool process starts it as it starts), and the first template's handbook
  cold with the server starting alongside (the embedded worker starts one per job);
- the handbook of each template (time, size, pages): cold in one process and cold with two
  workers forked from the running server (medians of 3), their ratio to the floor (the
  one-process time halved), with its parts cached, and served whole from the PDF cache;
- the handbook of a synthetic 500-role organization, built inside a transaction that is rolled
  back afterwards, so the database is left as it was: cold in one process and with two workers
  in the same run, after a one-role edit (which parts were rendered again), the size, and the
  peak RSS of the rendering process (VmHWM, reset before) and of its largest worker (or of
  the rendering server, if larger: the server is stopped at the end so the kernel's peak of
  the processes it forked is counted).

The handbook's parts are cached in files (roles.documents.handbook.part_cache) unless a shared
cache is configured; the bench uses a directory of its own, emptied first.

Run alone: `.venv/bin/python -m tests.benchmarks.documents`.
"""

from __future__ import annotations

import os
import statistics
import time

TEMPLATE_SLUGS = ("startup", "platform", "direct-sales", "traditional-brand", "cross-border")
JD_TARGET_SECONDS = 0.5
JD_TARGET_BYTES = 200 * 1024
HANDBOOK_TARGET_SECONDS = 3.0  # issue 16: template handbooks ≤ 3 s
LARGE_COLD_TARGET_SECONDS = 20  # issue 16: 500 roles ≤ 20 s cold on 2 cores
LARGE_EDIT_TARGET_SECONDS = 3  # … and ≤ 3 s after a one-role edit
# 2 workers within a tenth of half the one-process time (the 500-role target of 20 s was
# 1.08 × the floor on the machine it was set on, where one process took 37 s).
FLOOR_RATIO_TARGET = 1.1
RSS_TARGET_MB = 400  # issue 21: a worker never holds more than a few hundred MB


class _Rollback(Exception):
    pass


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")
    import django

    django.setup()


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _timed(function, repeat: int = 1) -> tuple[float, object]:
    """Median wall time of `repeat` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def build_synthetic_organization(owner=None, *, roles: int = 500, per_department: int = 10):
    """An organization of `roles` fully described roles in roles/per_department departments
    (a three-level department tree; each department head reports to the parent's head)."""
    from departments import services as department_services
    from roles import services as role_services

    organization = department_services.organization_create(
        name_zh="基准测试电商集团", name_en="Benchmark Commerce Group", owner=owner
    )
    phases = list(organization.phases.order_by("order"))
    departments: list = []
    heads: dict[int, object] = {}
    count = 0
    index = 0
    while count < roles:
        parent = None
        if index >= 1:
            parent = departments[(index - 1) // 4]  # four sub-departments each
        department = department_services.department_create(
            organization=organization,
            parent=parent,
            name_zh=f"第{index + 1}事业部",
            name_en=f"Division {index + 1}",
            summary_zh="负责本事业部的商品运营、推广、客服与履约，对销售额与利润负责。" * 2,
            summary_en="Runs merchandising, promotion, service and fulfilment for the division.",
            functions_zh="\n".join(f"工作职能{n}：制定并执行本部门的年度计划" for n in range(1, 7)),
            functions_en="\n".join(f"Function {n}: plan and run the year" for n in range(1, 7)),
        )
        departments.append(department)
        for slot in range(min(per_department, roles - count)):
            manager = heads.get(parent.pk) if (slot == 0 and parent is not None) else None
            if slot > 0:
                manager = heads[department.pk]
            role = role_services.role_create(
                organization=organization,
                department=department,
                reports_to=manager,
                title_zh=f"{department.name_zh}岗位{slot + 1}",
                title_en=f"Division {index + 1} role {slot + 1}",
                summary_zh="根据公司战略完成本岗位的目标，与相关部门密切配合。",
                summary_en="Meets the role's goals in line with the company strategy.",
                level="manager" if slot == 0 else "specialist",
                hiring_priority=slot + 1,
                pay_structure="base-bonus",
                salary_min=6000,
                salary_max=12000,
                duties=[
                    {"text_zh": f"职责{n}：负责店铺日常运营与数据分析，按周输出报告并跟进改进。"}
                    for n in range(1, 9)
                ],
                requirements=[
                    {"kind": "education", "text_zh": "大专及以上学历，电子商务相关专业优先"},
                    {"kind": "experience", "text_zh": "两年以上天猫或京东店铺运营经验"},
                    {"kind": "skill", "text_zh": "熟练使用生意参谋、直通车等工具"},
                    {"kind": "trait", "text_zh": "责任心强，善于沟通，抗压能力好"},
                ],
                kpis=[{"text_zh": f"考核指标{n}：转化率、客单价、复购率"} for n in range(1, 4)],
                headcount=[
                    {"phase": phase.pk, "min": order, "max": order + 1}
                    for order, phase in enumerate(phases, start=1)
                ],
            )
            if slot == 0:
                heads[department.pk] = role
            count += 1
        index += 1
    organization.refresh_from_db()
    return organization


def _jd_rows(organization, label: str) -> list[dict]:
    from django.utils import translation

    from roles import documents
    from roles.models import Role

    role = max(
        Role.objects.filter(organization=organization).prefetch_related("duties"),
        key=lambda r: (len(r.duties.all()), -r.pk),
    )
    with translation.override("zh-hans"):

        def render():
            return documents.role_pdf(organization, role.pk, use_cache=False).content

        render()  # warm-up: fonts, templates, WeasyPrint imports
        seconds, pdf = _timed(render, repeat=5)
    pages = _page_count(pdf)
    case = f"{label}: {role.title_zh} ({len(role.duties.all())} duties, {pages} page(s))"
    return [
        {
            "benchmark": "job description PDF (warm)",
            "case": case,
            "value": round(seconds, 3),
            "unit": "s",
            "target": f"≤ {JD_TARGET_SECONDS} s",
            "ok": seconds <= JD_TARGET_SECONDS,
        },
        {
            "benchmark": "job description PDF size",
            "case": case,
            "value": round(len(pdf) / 1024, 1),
            "unit": "KB",
            "target": "≤ 200 KB for one page",
            "ok": pages > 1 or len(pdf) <= JD_TARGET_BYTES,
        },
    ]


def _row(benchmark: str, case: str, value, unit: str, target: str, ok) -> dict:
    return {
        "benchmark": benchmark,
        "case": case,
        "value": value,
        "unit": unit,
        "target": target,
        "ok": ok,
    }


def _reset_peak_rss() -> bool:
    """Start this process's peak RSS (VmHWM) afresh (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    for line in open("/proc/self/status").read().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_rss_mb() -> float:
    """The largest peak RSS of any process this process started, once they have exited: the
    rendering workers are the rendering server's children, so the server is stopped first (its
    own exit then carries the largest of its children's peaks). `_stop` is the standard library's
    own way to stop its fork server (its test suite uses it); the product never stops it, the
    server exits with the process that started it."""
    import multiprocessing.forkserver
    import resource

    multiprocessing.forkserver._forkserver._stop()
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _server_rows(organization, label: str) -> list[dict]:
    """The rendering server's start, alone, and the first handbook of a process that has none
    running yet (the server starts with it, as in the embedded worker's job process). Run before
    anything else in this process renders a handbook."""
    import multiprocessing.forkserver

    from django.utils import translation

    from roles.documents.handbook import (
        assemble_handbook,
        start_render_server,
        wait_for_render_server,
    )

    with translation.override("zh-hans"):
        first_seconds, built = _timed(
            lambda: assemble_handbook(organization, workers=2, use_part_cache=False)
        )
    multiprocessing.forkserver._forkserver._stop()  # see _children_peak_rss_mb

    def start() -> None:
        start_render_server()
        wait_for_render_server()

    start_seconds, _none = _timed(start)
    case = f"{label} ({organization.roles.count()} roles, {built.pages} pages)"
    return [
        _row("handbook rendering server start", "once per process that renders handbooks",
             round(start_seconds, 2), "s", "", None),
        _row("handbook PDF, cold, server starting", case, round(first_seconds, 2), "s",
             f"≤ {HANDBOOK_TARGET_SECONDS:g} s", first_seconds <= HANDBOOK_TARGET_SECONDS),
    ]  # fmt: skip


def _floor_row(case: str, parallel_seconds: float, serial_seconds: float) -> dict:
    """The cold handbook on 2 workers against its floor in the same run: the one-process time
    halved (both cores laying pages out all the time, nothing lost to starting, handing over or
    merging). The absolute targets were set on a machine a quarter faster than some this bench
    runs on; the ratio says whether the handbook uses both cores, whatever the machine."""
    ratio = parallel_seconds / (serial_seconds / 2)
    return _row("handbook PDF, cold / floor (1 process ÷ 2)", case, round(ratio, 2), "×",
                f"≤ {FLOOR_RATIO_TARGET:g} ×", ratio <= FLOOR_RATIO_TARGET)  # fmt: skip


def _handbook_rows(organization, label: str, *, workers: int | None = None) -> list[dict]:
    """Cold (no cached part: every part rendered, in parallel workers), then again with its
    parts cached (what a download after an edit elsewhere in the organization costs), and the
    whole file served from the PDF cache."""
    from django.utils import translation

    from roles import documents
    from roles.documents.handbook import assemble_handbook

    with translation.override("zh-hans"):
        serial_seconds, _serial = _timed(
            lambda: assemble_handbook(organization, workers=1, use_part_cache=False), repeat=3
        )
        seconds, built = _timed(
            lambda: assemble_handbook(organization, workers=workers, use_part_cache=False),
            repeat=3,
        )
        warm_seconds, _built = _timed(lambda: assemble_handbook(organization, workers=workers))
        documents.handbook_pdf(organization)
        cached_seconds, _pdf = _timed(lambda: documents.handbook_pdf(organization))
    roles = organization.roles.count()
    case = f"{label} ({roles} roles, {built.pages} pages)"
    target = f"≤ {HANDBOOK_TARGET_SECONDS:g} s"
    return [
        _row("handbook PDF, cold, 1 process", case, round(serial_seconds, 2), "s", "", None),
        _row("handbook PDF, cold", case, round(seconds, 2), "s", target,
             seconds <= HANDBOOK_TARGET_SECONDS),
        _floor_row(case, seconds, serial_seconds),
        _row("handbook PDF, parts cached", case, round(warm_seconds, 2), "s", target,
             warm_seconds <= HANDBOOK_TARGET_SECONDS),
        _row("handbook PDF size", case, round(len(built.content) / 1024, 1), "KB", "", None),
        _row("handbook PDF, cached", case, round(cached_seconds, 3), "s", "≤ 0.5 s",
             cached_seconds <= 0.5),
    ]  # fmt: skip


def _large_handbook_rows(organization, label: str) -> list[dict]:
    """The 500-role handbook: cold in one process and in parallel workers (same run), after a
    one-role edit, and the peak memory of the process rendering it and of its workers."""
    from django.utils import translation

    from roles import services as role_services
    from roles.documents.handbook import (
        assemble_handbook,
        start_render_server,
        wait_for_render_server,
    )

    rows = []
    with translation.override("zh-hans"):
        serial_seconds, serial = _timed(
            lambda: assemble_handbook(organization, workers=1, use_part_cache=False)
        )
        measured = _reset_peak_rss()
        parallel_seconds, built = _timed(
            lambda: assemble_handbook(organization, workers=2, use_part_cache=False)
        )
        main_peak = _peak_rss_mb() if measured else None
        workers_peak = _children_peak_rss_mb()
        # As in a Celery pool process, which starts its rendering server as it starts.
        start_render_server()
        wait_for_render_server()
        role = organization.roles.order_by("pk")[len(organization.roles.all()) // 2]
        role_services.role_update(role=role, summary_zh="本岗位在基准测试中被修改了一次。")
        organization.refresh_from_db()
        edit_seconds, edited = _timed(lambda: assemble_handbook(organization, workers=2))
    case = f"{label} ({organization.roles.count()} roles, {built.pages} pages)"
    rows += [
        _row("handbook PDF, cold, 1 process", case, round(serial_seconds, 2), "s", "", None),
        _row("handbook PDF, cold, 2 workers", case, round(parallel_seconds, 2), "s",
             f"≤ {LARGE_COLD_TARGET_SECONDS} s", parallel_seconds <= LARGE_COLD_TARGET_SECONDS),
        _row("handbook PDF, parallel speed-up", case,
             round(serial_seconds / parallel_seconds, 2), "×", "", None),
        _floor_row(case, parallel_seconds, serial_seconds),
        _row("handbook PDF, after a one-role edit", case
             + f": rendered again {', '.join(sorted(edited.rendered))} (rendering server"
             " running)",
             round(edit_seconds, 2), "s", f"≤ {LARGE_EDIT_TARGET_SECONDS} s",
             edit_seconds <= LARGE_EDIT_TARGET_SECONDS),
        _row("handbook PDF size", case, round(len(built.content) / 1024, 1), "KB",
             "", None),
        _row("handbook PDF size, 1 process", case, round(len(serial.content) / 1024, 1), "KB",
             "", None),
    ]  # fmt: skip
    if main_peak is not None:
        rows.append(
            _row("handbook peak RSS, rendering process", case, round(main_peak), "MB",
                 f"≤ {RSS_TARGET_MB} MB", main_peak <= RSS_TARGET_MB)
        )  # fmt: skip
    rows.append(
        _row("handbook peak RSS, largest worker", case, round(workers_peak), "MB",
             f"≤ {RSS_TARGET_MB} MB", workers_peak <= RSS_TARGET_MB)
    )  # fmt: skip
    return rows


def _load_row(when: str) -> dict:
    """The machine's load average (1, 5, 15 min): the figures are wall times on a machine that may
    be shared, so each run says how busy it was."""
    one, five, fifteen = os.getloadavg()
    return _row("load average (1/5/15 min)", when, f"{one:.1f} / {five:.1f} / {fifteen:.1f}",
                f"on {os.cpu_count()} cores", "", None)  # fmt: skip


def run() -> list[dict]:
    _setup_django()
    import tempfile

    from django.conf import settings
    from django.db import transaction

    settings.TEAMORG_HANDBOOK_CACHE_DIR = tempfile.mkdtemp(prefix="teamorg-bench-parts-")

    from departments.models import Organization

    rows: list[dict] = [_load_row("at the start")]
    templates = {o.slug: o for o in Organization.objects.filter(is_template=True)}
    for slug in TEMPLATE_SLUGS:
        template = templates.get(slug)
        if template is None or not template.roles.exists():
            rows.append(
                {
                    "benchmark": "handbook PDF",
                    "case": f"template {slug}: not loaded",
                    "value": 0,
                    "unit": "s",
                    "target": "—",
                    "ok": False,
                }
            )
            continue
        if slug == TEMPLATE_SLUGS[0] or not any(r["benchmark"].startswith("job") for r in rows):
            rows.extend(_jd_rows(template, f"template {slug}"))
        if not any(r["benchmark"].startswith("handbook rendering server") for r in rows):
            rows.extend(_server_rows(template, f"template {slug}"))
        rows.extend(_handbook_rows(template, f"template {slug}"))

    synthetic: list[dict] = []
    try:
        with transaction.atomic():
            organization = build_synthetic_organization(roles=500)
            synthetic.extend(_jd_rows(organization, "synthetic"))
            synthetic.extend(_large_handbook_rows(organization, "synthetic 500-role organization"))
            raise _Rollback
    except _Rollback:
        pass
    return rows + synthetic + [_load_row("at the end")]


if __name__ == "__main__":
    for row in run():
        mark = "ok " if row["ok"] else "NO "
        print(
            f"{mark} {row['benchmark']:<30} {row['case']:<60} "
            f"{row['value']:>9} {row['unit']:<3} target {row['target']}"
        )
