"""Reports know only findings, the catalogue and texts handed to them: no report module imports
a reader, check, baseline or source registry (``catalogue.py`` excepted until it moves)."""

from __future__ import annotations

import ast
from pathlib import Path

import rulelint.reports

ALLOWED = {"rulelint", "rulelint.findings", "rulelint.resources"}  # `rulelint` for __version__ only


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = ["rulelint", "reports"][: 3 - node.level]  # every module is in rulelint/reports/
            module = ".".join(parts + ([node.module] if node.module else []))
            if module == "rulelint":
                assert [alias.name for alias in node.names] == ["__version__"], path.name
            found.add(module)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("rulelint")}


def test_report_modules_import_only_findings_and_resources():
    folder = Path(rulelint.reports.__file__).parent
    modules = [path for path in folder.glob("*.py") if path.name != "catalogue.py"]
    assert len(modules) >= 7
    for path in modules:
        outside = {m for m in _imports(path) if not m.startswith("rulelint.reports")} - ALLOWED
        assert not outside, f"{path.name} imports {sorted(outside)}"
