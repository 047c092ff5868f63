"""``scripts/new_check.py ID`` writes a new check's four places and nothing else, in a copy of
the repository (rulelint/, docs/, fixtures/) so the real one is never touched."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .fixture_cases import ROOT, Case
from .test_docs import parse_page

SCRIPT = ROOT / "scripts" / "new_check.py"
NEW_ID = "skip-without-logging"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for folder in ("rulelint", "docs", "fixtures"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def new_check(repo: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *argv, "--root", str(repo)],
        capture_output=True, text=True, timeout=60,
    )


def test_writes_the_four_places_and_nothing_else(repo: Path):
    before = snapshot(repo)
    done = new_check(repo, NEW_ID, "--severity", "error", "--summary", "A skip rule that turns logging off.")
    assert done.returncode == 0, done.stderr
    after = snapshot(repo)

    added = sorted(set(after) - set(before))
    assert added == [
        "docs/checks/skip-without-logging.md",
        "fixtures/checks/skip-without-logging/must-fire/api.json",
        "fixtures/checks/skip-without-logging/must-not-fire-ok/api.json",
        "rulelint/checks/skip_without_logging.py",
    ]
    changed = sorted(name for name in before if before[name] != after.get(name))
    assert changed == ["rulelint/checks/registry.py"]

    old_lines = before["rulelint/checks/registry.py"].decode().splitlines()
    new_lines = after["rulelint/checks/registry.py"].decode().splitlines()
    assert [line for line in new_lines if line not in old_lines] == [
        "from .skip_without_logging import SkipWithoutLogging",
        "    SkipWithoutLogging,",
    ]
    assert [line for line in new_lines if line != "    SkipWithoutLogging,"][-3:] == old_lines[-3:]


def test_the_new_check_is_registered_and_reports_nothing_yet(repo: Path):
    assert new_check(repo, NEW_ID, "--summary", "A skip rule that turns logging off.").returncode == 0
    probe = (
        "from rulelint.checks.registry import ALL_CHECKS, CHECKS_BY_ID\n"
        f"check = CHECKS_BY_ID[{NEW_ID!r}]\n"
        "assert check.__module__ == 'rulelint.checks.skip_without_logging'\n"
        "assert ALL_CHECKS[-1] is check\n"
        "print(check.id, check.severity, check.summary, list(check().run(None, None)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "skip-without-logging warning A skip rule that turns logging off. []\n"


def test_the_stubs_follow_the_layouts_the_tests_expect(repo: Path):
    assert new_check(repo, NEW_ID).returncode == 0
    page = parse_page((repo / "docs" / "checks" / f"{NEW_ID}.md").read_text(encoding="utf-8"))
    assert page.title == f"# {NEW_ID}"
    assert page.preamble == "Severity: warning."
    assert list(page.sections) == ["What it finds", "Why it is risky", "Example", "Use instead", "References"]
    folder = repo / "fixtures" / "checks" / NEW_ID
    cases = [Case(NEW_ID, path) for path in sorted(folder.iterdir())]
    assert [(case.path.name, case.must_fire, [p.name for p in case.inputs()]) for case in cases] == [
        ("must-fire", True, ["api.json"]),
        ("must-not-fire-ok", False, ["api.json"]),
    ]


@pytest.mark.parametrize(
    ("check_id", "reason"),
    [
        ("Skip_Without_Logging", "is not a kebab-case id"),
        ("skip--logging", "is not a kebab-case id"),
        ("9-skip", "is not a kebab-case id"),
        ("broad-skip", "the id broad-skip is taken: rulelint/checks/broad_skip.py"),
        ("invalid-input", "the id invalid-input is taken: rulelint/findings.py"),
    ],
)
def test_refuses_a_bad_or_taken_id_and_writes_nothing(repo: Path, check_id: str, reason: str):
    before = snapshot(repo)
    done = new_check(repo, check_id)
    assert done.returncode == 2
    assert reason in done.stderr
    assert snapshot(repo) == before


def test_refuses_an_id_whose_fixtures_or_page_exist(repo: Path):
    (repo / "docs" / "checks" / f"{NEW_ID}.md").write_text("# an old draft\n")
    before = snapshot(repo)
    done = new_check(repo, NEW_ID)
    assert done.returncode == 2
    assert f"the id {NEW_ID} is taken: docs/checks/{NEW_ID}.md" in done.stderr
    assert snapshot(repo) == before
