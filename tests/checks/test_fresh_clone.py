"""On a fresh clone ``../shared`` is absent: the tests that read it are skipped with a reason,
and with ``RULELINT_REQUIRE_SHARED=1`` (as in CI) its absence fails the run. Shown on a small
test tree that uses the real ``tests/conftest.py``, in a fresh pytest process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .fixture_cases import ROOT

READS_SHARED = '''
from conftest import needs_shared, shared_path

CORPUS = shared_path("corpus")  # at import time: the whole module is skipped without it


def test_reads_the_corpus():
    assert CORPUS.is_dir()
'''

READS_SHARED_IN_A_TEST = '''
from conftest import needs_shared, shared_path


def test_needs_nothing():
    pass


def test_reads_a_spec():
    assert shared_path("spec").is_dir()


@needs_shared
def test_marked():
    pass
'''


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """``<tmp>/repo/tests`` with the real conftest and two test modules; no ``<tmp>/shared``."""
    tests = tmp_path / "repo" / "tests"
    tests.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", tests / "conftest.py")
    (tests / "test_import_time.py").write_text(READS_SHARED)
    (tests / "test_run_time.py").write_text(READS_SHARED_IN_A_TEST)
    return tmp_path / "repo"


def pytest_in(checkout: Path, require: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "RULELINT_REQUIRE_SHARED"}
    if require:
        env["RULELINT_REQUIRE_SHARED"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "tests"],
        cwd=checkout, env=env, capture_output=True, text=True, timeout=120,
    )


def test_without_shared_the_tests_that_read_it_are_skipped_with_the_reason(checkout: Path):
    done = pytest_in(checkout, require=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 3 skipped" in done.stdout
    reasons = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert reasons and all(line.endswith(": ../shared is not beside this checkout") for line in reasons)


def test_without_shared_the_run_fails_when_it_is_required(checkout: Path):
    done = pytest_in(checkout, require=True)
    assert done.returncode != 0
    assert "../shared is not beside this checkout" in done.stderr
    assert "RULELINT_REQUIRE_SHARED=1 requires it" in done.stderr


def test_with_shared_beside_the_checkout_they_run(checkout: Path):
    for folder in ("corpus", "spec"):
        (checkout.parent / "shared" / folder).mkdir(parents=True)
    done = pytest_in(checkout, require=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
