"""`make bench`: run every benchmark module's `run()` and write docs/benchmarks.md.

Benchmarks run in a throwaway test database (SQLite in memory by default, or a test database on
the server `DATABASE_URL` names), with the five templates loaded, so the development database is
never touched. Each module returns rows {benchmark, case, value, unit, target, ok}; ratios are
measured against a floor in the same run by the module itself.
"""

import datetime
import importlib
import os
import pkgutil
import platform
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "benchmarks.md"
SKIP = {"run", "synthetic"}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.node() or 'host'}: {cpu}, {os.cpu_count()} cores{memory}, {platform.platform()}"
    )


USAGE = """usage: python -m tests.benchmarks.run [--no-report] [BENCHMARK ...]

Runs every benchmark (or the ones named: api, charts, documents, plan, …) and writes
docs/benchmarks.md; --no-report prints the figures without writing it."""


def main(arguments: list[str]) -> int:
    if {"-h", "--help"} & set(arguments):
        print(USAGE)
        return 0
    report = "--no-report" not in arguments
    selected = [name for name in arguments if not name.startswith("-")]
    unknown = [name for name in arguments if name.startswith("-") and name != "--no-report"]
    if unknown:
        print(f"unknown option: {' '.join(unknown)}\n{USAGE}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        database = f"{connection.vendor} {connection.pg_version}"
    results, failures = [], []
    try:
        call_command("loadtemplates", verbosity=0)
        package = Path(__file__).parent
        names = [m.name for m in pkgutil.iter_modules([str(package)]) if m.name not in SKIP]
        names = [n for n in names if not n.startswith("test_") and (not selected or n in selected)]
        for name in sorted(names):
            module = importlib.import_module(f"tests.benchmarks.{name}")
            if not hasattr(module, "run"):
                continue
            print(f"benchmark {name} …", flush=True)
            start = time.perf_counter()
            try:
                rows = module.run()
            except Exception:  # noqa: BLE001 - report and go on with the other benchmarks
                failures.append((name, traceback.format_exc()))
                print(failures[-1][1], file=sys.stderr)
                continue
            results.append((name, rows, time.perf_counter() - start))
            for row in rows:
                print(f"  {row['case']}: {row['value']} {row['unit']}  {row.get('target', '')}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if report:
        write_report(results, failures, database)
    return 1 if failures else 0


def write_report(results, failures, database: str) -> None:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        f"Last written by `make bench` on {now}; each section says when it was measured.",
        "",
        f"- Machine: {machine()}",
        f"- Python {platform.python_version()}, database: {database}",
        "",
        "Every ratio is measured against its floor in the same run. `ok` compares with the target.",
        "",
    ]
    kept = _sections_not_rerun(results, failures)
    for name, rows, seconds in results:
        lines += [
            f"## {name}",
            "",
            f"Measured on {now}.",
            "",
            "| measure | case | value | target | ok |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            ok = {True: "yes", False: "**no**", None: ""}[row.get("ok")]
            value = f"{row['value']} {row['unit']}"
            measure = row.get("benchmark", name)
            lines.append(
                f"| {measure} | {row['case']} | {value} | {row.get('target', '')} | {ok} |"
            )
        lines += ["", f"({seconds:.1f} s for this benchmark)", ""]
    for name, error in failures:
        lines += [f"## {name}: failed", "", "```", error.strip(), "```", ""]
    for section in kept:
        lines += [section.rstrip("\n"), ""]
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


def _sections_not_rerun(results, failures) -> list[str]:
    """The sections of the current report that this run did not measure, kept as they are, so
    running one benchmark (`make bench BENCH=plan`) does not erase the others. Each section says
    when it was measured."""
    if not OUTPUT.exists():
        return []
    rerun = {name for name, _rows, _seconds in results} | {name for name, _ in failures}
    sections = re.split(r"^(?=## )", OUTPUT.read_text(encoding="utf-8"), flags=re.MULTILINE)
    kept = []
    for section in sections[1:]:
        name = section.split("\n", 1)[0][3:].removesuffix(": failed").strip()
        if name not in rerun:
            kept.append(section)
    return kept


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
