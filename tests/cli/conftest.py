"""Helpers for the command-line tests: run ``rulelint`` in-process or as a subprocess, and
compare output with golden files in fixtures/cli/golden (refresh them with
``RULELINT_UPDATE_GOLDEN=1 pytest tests/cli``)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SHARED, needs_shared

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "cli"
GOLDEN = FIXTURES / "golden"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test of this folder that reads ``SHARED`` (the SARIF schema in ../shared/spec) is
    skipped, with the reason, when ../shared is absent."""
    for item in items:
        code = getattr(getattr(item, "function", None), "__code__", None)
        if code is not None and item.path.parent == HERE and "SHARED" in code.co_names:
            item.add_marker(needs_shared)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def rulelint(capsys, monkeypatch):
    """Call ``rulelint.cli.main`` with ``argv`` in ``cwd`` (default fixtures/cli), colours off."""
    from rulelint.cli import main

    def run(*argv: str, cwd: Path | str = FIXTURES, env: dict[str, str] | None = None) -> Run:
        monkeypatch.chdir(cwd)
        for name in ("NO_COLOR", "FORCE_COLOR", "RULELINT_FORMAT", "GITHUB_ACTIONS", "TTY_COMPATIBLE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("COLUMNS", "120")
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_process(*argv: str, cwd: Path | str = FIXTURES, stdin: str | None = None, env: dict | None = None) -> Run:
    """Run ``python -m rulelint`` in a fresh process (for standard input and real exit codes)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "RULELINT_FORMAT")}
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "rulelint", *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_golden(name: str, actual: str) -> None:
    """``actual`` must equal fixtures/cli/golden/``name`` (the tool version is written as <version>)."""
    from rulelint import __version__

    actual = actual.replace(f'"{__version__}"', '"<version>"').replace(f'version="{__version__}"', 'version="<version>"')
    path = GOLDEN / name
    if os.environ.get("RULELINT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with RULELINT_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path} (RULELINT_UPDATE_GOLDEN=1 rewrites it)"
