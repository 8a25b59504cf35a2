"""`make doctor`: what the set-up found, one line per thing the app and its tests need.

A user whose `make test` fails reads here which piece is missing before reading a traceback.
Exits non-zero when something the app cannot run without is missing (dot, CJK fonts, the
database); Chromium is reported but only the browser tests need it.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path


def _run(*command: str) -> str | None:
    """The first line a command prints, or None when it is missing or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    output = (done.stdout or done.stderr).strip()
    return output.splitlines()[0] if output else ""


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            version = _run(candidate, "--version")
            return f"{candidate} ({version})" if version else f"{candidate} (does not start)"
    playwright_cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", "~/.cache/ms-playwright"))
    builds = sorted(playwright_cache.expanduser().glob("chromium-*"))
    return f"Playwright's build in {builds[-1]}" if builds else None


def _cjk_fonts() -> str | None:
    fonts = _run("fc-match", "--format=%{file}", "sans-serif:lang=zh-cn")
    return fonts if fonts and "CJK" in fonts else None


def _database() -> tuple[str, bool]:
    import django
    from django.db import connection

    django.setup()
    settings_dict = connection.settings_dict
    name = f"{connection.vendor} {settings_dict.get('NAME')}"
    if settings_dict.get("HOST"):
        name += f" on {settings_dict['HOST']}:{settings_dict.get('PORT') or 'default port'}"
    try:
        connection.ensure_connection()
    except Exception as error:  # any driver error: the point is to say it, not to crash
        return f"{name} (cannot connect: {error})", False
    return name, True


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")
    database, database_ok = _database()
    dot = _run("dot", "-V")
    chromium = _chromium()
    weasyprint = _run(sys.executable, "-c", "import weasyprint; print(weasyprint.__version__)")
    # (what, what was found, found it, the app cannot run without it)
    checks = [
        ("Python", f"{platform.python_version()} ({sys.executable})", True, True),
        ("Graphviz dot", f"{shutil.which('dot')} ({dot})", dot is not None, True),
        ("Chinese fonts", _cjk_fonts() or "no Noto CJK font", _cjk_fonts() is not None, True),
        ("WeasyPrint", weasyprint or "cannot be imported", weasyprint is not None, True),
        ("Database", database, database_ok, True),
        ("Chromium (browser tests)", chromium or "none", chromium is not None, False),
    ]
    print("TeamOrg set-up:")
    for label, found, ok, _required in checks:
        print(f"  {label:<25} {'ok     ' if ok else 'MISSING'} {found}")
    if any(required and not ok for _label, _found, ok, required in checks):
        print("Something the app needs is missing: run 'make setup' and read its output.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
