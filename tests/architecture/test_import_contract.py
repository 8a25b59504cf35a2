"""The architecture contract that `make lint` runs next to import-linter's layer rule
(pyproject.toml): no module imports a private name (`_x`) of another package, and no import
hides inside a function to dodge a cycle. Tests import public entry points only."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("teamorg", "departments", "roles")
# The one import that belongs inside a function for another reason than a cycle: an app's
# `ready()` connects its signal handlers once the app registry is loaded.
DEFERRED_IMPORTS_ALLOWED = {("departments/apps.py", "departments")}


def python_files(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


def owner(module: str) -> str:
    """The package that owns a module: `roles.charts` for `roles.charts.dot`."""
    return ".".join(module.split(".")[:2])


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def private_imports(path: Path) -> list[str]:
    """`from a.b import _name` where a.b is owned by another package than the importer."""
    importer = owner(module_name(path))
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith(PROJECT_PACKAGES) or owner(node.module) == importer:
                continue
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} {node.module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_")
            ]
    return found


def deferred_project_imports(path: Path) -> list[str]:
    """Imports of project modules inside a function body."""
    relative = str(path.relative_to(ROOT))
    found = []
    for function in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            found += [
                f"{relative}:{node.lineno} {module}"
                for module in modules
                if module.startswith(PROJECT_PACKAGES)
                and (relative, module) not in DEFERRED_IMPORTS_ALLOWED
            ]
    return found


def test_the_checks_find_what_they_look_for():
    sample = ROOT / "roles" / "charts" / "_contract_sample.py"
    sample.write_text(
        "from departments.services import _begin_write\n"
        "from roles.charts.views import _private_but_same_package\n"
        "def f():\n    from departments.models import Organization\n"
    )
    try:
        assert private_imports(sample) == [
            "roles/charts/_contract_sample.py:1 departments.services._begin_write"
        ]
        assert deferred_project_imports(sample) == [
            "roles/charts/_contract_sample.py:4 departments.models"
        ]
    finally:
        sample.unlink()


@pytest.mark.parametrize("folder", [*PROJECT_PACKAGES, "tests"])
def test_no_module_imports_another_packages_private_names(folder):
    assert [found for path in python_files(folder) for found in private_imports(path)] == []


@pytest.mark.parametrize("folder", PROJECT_PACKAGES)
def test_no_project_import_hides_inside_a_function(folder):
    assert [
        found for path in python_files(folder) for found in deferred_project_imports(path)
    ] == []
