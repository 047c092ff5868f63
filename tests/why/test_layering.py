"""``rulelint.analysis.evaluate`` may import only the language, the model and findings (and the
standard library): the evaluator is shared by the checks' tests and ``why``, and must not pull
the pipeline or the readers in."""

from __future__ import annotations

import ast
from pathlib import Path

import rulelint.analysis.evaluate as evaluate

ALLOWED = ("rulelint.language", "rulelint.model", "rulelint.findings")


def test_the_evaluator_imports_only_language_model_and_findings():
    tree = ast.parse(Path(evaluate.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = "rulelint.analysis" if node.level == 1 else "rulelint"
            imported.add(f"{base}.{node.module}" if node.module else base)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rulelint"):
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names if a.name.startswith("rulelint"))
    assert imported and all(name.startswith(ALLOWED) for name in imported), imported
