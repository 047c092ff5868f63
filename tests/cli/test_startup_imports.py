"""A check of one file imports only what it uses (issue 15: start-up is most of a small run).

Each case runs ``rulelint check FILE`` in a fresh interpreter and lists the modules it ended with.
The heavy modules below serve other paths only: rich (colour on a terminal), pathspec (folder
scans with ``.gitignore`` or ``--exclude``), httpx and pydantic (``fetch``), python-hcl2, lark
and tree-sitter (Terraform), hashlib (finding identities: baselines, SARIF, GitLab, the caches),
difflib (did-you-mean hints), tomllib (a configuration file; none is found here). unittest
comes with pyparsing 3.3 (its ``testing`` module), which is why pyproject.toml keeps pyparsing
below 3.3. Should one of them come back on this path, this test names it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rulelint.pipeline.config import find_config

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "fixtures" / "demo" / "export.json"  # a bundle: one zone, rules with expressions

HEAVY = {"rich", "pathspec", "httpx", "pydantic", "unittest", "hcl2", "lark", "tree_sitter", "hashlib", "difflib"}

PROGRAM = """
import json, sys
from rulelint.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _run(cwd: Path, *argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *argv], cwd=cwd, capture_output=True, text=True, check=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


# The text report shows each suggested replacement as a word diff (difflib).
@pytest.mark.parametrize(("format_", "allowed"), [("json", set()), ("text", {"difflib"})])
def test_checking_one_file_leaves_the_heavy_modules_alone(tmp_path, format_, allowed):
    report = tmp_path / f"report.{format_}"
    code, modules = _run(tmp_path, "check", str(DEMO), "--format", format_, "-o", str(report), "--no-cache")
    assert code == 1  # the demo zone has warnings: the run read, parsed, checked and reported
    assert report.stat().st_size > 0
    assert {"rulelint.language.parser", "rulelint.checks.registry", "rulelint.reports"} <= modules
    heavy = HEAVY - allowed | ({"tomllib"} if find_config(tmp_path) is None else set())
    assert sorted(m for m in modules if m.split(".")[0] in heavy) == []


def test_the_heavy_modules_are_still_there_when_a_run_needs_them(tmp_path):
    """The list above is not vacuous: a folder scan with --exclude does import pathspec, and a
    SARIF report hashlib (its fingerprints)."""
    folder = tmp_path / "configs"
    folder.mkdir()
    (folder / "zone.json").write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    code, modules = _run(tmp_path, "check", str(folder), "--exclude", "*.tf", "--format", "sarif",
                         "-o", str(tmp_path / "report.sarif"), "--no-cache")
    assert code == 1
    assert {"pathspec", "hashlib"} <= modules
