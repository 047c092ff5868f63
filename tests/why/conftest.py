"""Helpers for the ``why`` tests: run ``rulelint`` in-process from the repository root, and
compare output with golden files beside the fixtures (``RULELINT_UPDATE_GOLDEN=1`` rewrites
them; read the diff before committing)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "why"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def rulelint(capsys, monkeypatch):
    """Call ``rulelint.cli.main`` with ``argv`` from the repository root."""
    from rulelint.cli import main

    def run(*argv: str) -> Run:
        monkeypatch.chdir(REPO)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def assert_golden(path: Path, actual: str) -> None:
    if os.environ.get("RULELINT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with RULELINT_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path} (RULELINT_UPDATE_GOLDEN=1 rewrites it)"
