"""The package's layers (pyproject.toml, [tool.importlinter]) hold, and nothing imports in a circle."""

from __future__ import annotations

import os
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("rulelint", cache_dir=None)


def test_import_contracts_hold(monkeypatch):
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_imports_itself_through_others(graph):
    """No import cycle between any two modules of rulelint (imports inside functions count)."""
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(imported=module, importer=imported):
                cycles.append(f"{module} -> {imported} -> … -> {module}")
    assert cycles == []


def test_a_check_never_imports_another_check(graph):
    shared = {"rulelint.checks", "rulelint.checks.base", "rulelint.checks.registry"}
    checks = {m for m in graph.modules if m.startswith("rulelint.checks.")} - shared
    imports = {
        (check, other)
        for check in checks
        for other in graph.find_modules_directly_imported_by(check)
        if other in checks
    }
    assert imports == set()
