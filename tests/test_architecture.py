"""The import-linter contracts in pyproject.toml hold, and catch what they are meant to catch.

Each test runs `lint-imports` on a copy of the apps' source, so a deliberately broken copy
shows that a layer broken or a cycle fails the lint step in CI.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("schools", "protocols", "consent", "incidents")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy(tmp_path: Path) -> Path:
    for app in APPS:
        shutil.copytree(
            ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _add_import(path: Path, line: str) -> None:
    path.write_text(f"{line}\n{path.read_text()}")


pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def test_the_contracts_hold_for_the_code_as_it_is(tmp_path):
    result = _lint(_copy(tmp_path))
    assert (result.returncode, "0 broken" in result.stdout) == (0, True), result.stdout


def test_schools_importing_an_app_breaks_the_app_layers(tmp_path):
    tree = _copy(tmp_path)
    _add_import(tree / "schools" / "rules.py", "import protocols.wms  # noqa")
    result = _lint(tree)
    assert result.returncode == 1
    assert "Apps: consent and incidents above protocols above schools BROKEN" in result.stdout


def test_a_domain_module_importing_a_view_breaks_the_layers_inside_an_app(tmp_path):
    tree = _copy(tmp_path)
    _add_import(tree / "protocols" / "workflow.py", "import protocols.views.versions  # noqa")
    result = _lint(tree)
    assert result.returncode == 1
    assert "protocols: views above forms above the domain modules above models BROKEN" in (
        result.stdout
    )


def test_an_import_cycle_between_modules_fails(tmp_path):
    tree = _copy(tmp_path)
    # wms is imported by notices; wms importing notices back closes a cycle.
    _add_import(tree / "protocols" / "wms.py", "import protocols.notices  # noqa")
    result = _lint(tree)
    assert result.returncode == 1
    assert "No import cycles between the modules of an app BROKEN" in result.stdout
