"""The architecture contract that `make lint` runs next to import-linter's layer rule
(pyproject.toml): no module imports a private name (`_x`) of another package, and no import
hides inside a function to dodge a cycle. Tests import public entry points only."""

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("teamorg", "departments", "roles")
# The one import that belongs inside a function for another reason than a cycle: an app's
# `ready()` connects its signal handlers and registers its tracked tables once the app registry
# is loaded.
DEFERRED_IMPORTS_ALLOWED = {("departments/apps.py", "departments"), ("roles/apps.py", "roles")}


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


def is_project_module(name: str) -> bool:
    if not name.startswith(PROJECT_PACKAGES):
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def private_attribute_uses(path: Path) -> list[str]:
    """`module._name` where `module` is a project module imported by this file."""
    tree = ast.parse(path.read_text(), str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.asname}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules |= {
                alias.asname or alias.name
                for alias in node.names
                if is_project_module(f"{node.module}.{alias.name}")
            }
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


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
        "from roles import services\n"
        "services._hidden()\n"
        "def f():\n    from departments.models import Organization\n"
    )
    try:
        assert private_imports(sample) == [
            "roles/charts/_contract_sample.py:1 departments.services._begin_write"
        ]
        assert deferred_project_imports(sample) == [
            "roles/charts/_contract_sample.py:6 departments.models"
        ]
        assert private_attribute_uses(sample) == [
            "roles/charts/_contract_sample.py:4 services._hidden"
        ]
    finally:
        sample.unlink()


@pytest.mark.parametrize("folder", [*PROJECT_PACKAGES, "tests"])
def test_no_module_imports_another_packages_private_names(folder):
    assert [found for path in python_files(folder) for found in private_imports(path)] == []


def test_tests_use_public_entry_points_only():
    """Tests call what views, services and selectors call, not a module's private helpers."""
    assert [found for path in python_files("tests") for found in private_attribute_uses(path)] == []


@pytest.mark.parametrize("folder", PROJECT_PACKAGES)
def test_no_project_import_hides_inside_a_function(folder):
    assert [
        found for path in python_files(folder) for found in deferred_project_imports(path)
    ] == []
