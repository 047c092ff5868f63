"""Every registered check comes with what a reviewer needs to trust it: a must-fire case, a
must-not-fire case and a doc page; and nothing in fixtures/checks or docs/checks belongs to a
check that is not registered. (What the cases and pages must contain is tested in
test_fixtures.py and test_docs.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rulelint.checks.registry import ALL_CHECKS

from .fixture_cases import FIXTURES, ROOT, Case, cases, golden_path

DOCS = ROOT / "docs" / "checks"


def authoring_problems(check_id: str, fixtures: Path = FIXTURES, docs: Path = DOCS) -> list[str]:
    """What ``check_id`` lacks: a must-fire case with golden files, a must-not-fire case, a
    doc page (empty: nothing)."""
    found = [Case(check_id, path) for path in sorted((fixtures / check_id).glob("*")) if path.is_dir()]
    firing = [case for case in found if case.must_fire and case.inputs()]
    clean = [case for case in found if not case.must_fire and case.inputs()]
    problems = []
    if not firing:
        problems.append(f"no must-fire case with an input in {fixtures.name}/{check_id}/<case>/")
    if not clean:
        problems.append(f"no must-not-fire case with an input in {fixtures.name}/{check_id}/<case>-ok/")
    for case in firing:
        missing = [p.name for p in case.inputs() if not golden_path(p).is_file()]
        if missing:
            problems.append(f"{case.name}: no golden file for {', '.join(missing)}")
    if not (docs / f"{check_id}.md").is_file():
        problems.append(f"no doc page {docs.name}/{check_id}.md")
    return problems


@pytest.mark.parametrize("check", ALL_CHECKS, ids=[c.id for c in ALL_CHECKS])
def test_check_has_both_kinds_of_case_and_a_doc_page(check):
    assert authoring_problems(check.id) == []


def test_every_fixture_folder_and_doc_page_belongs_to_a_registered_check():
    registered = {check.id for check in ALL_CHECKS}
    folders = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    pages = {path.stem for path in DOCS.glob("*.md")}
    assert folders - registered == set()
    assert pages - registered == set()


def test_every_case_has_an_input():
    assert [case.name for case in cases() if not case.inputs()] == []


def test_a_check_without_cases_or_page_is_reported(tmp_path: Path):
    fixtures, docs = tmp_path / "fixtures", tmp_path / "docs"
    (fixtures / "new-check" / "fires").mkdir(parents=True)
    (fixtures / "new-check" / "fires" / "api.json").write_text("{}")
    docs.mkdir()
    assert authoring_problems("new-check", fixtures, docs) == [
        "no must-not-fire case with an input in fixtures/new-check/<case>-ok/",
        "new-check/fires: no golden file for api.json",
        "no doc page docs/new-check.md",
    ]
    (fixtures / "new-check" / "fires" / "api.json.expected").write_text("")
    (fixtures / "new-check" / "quiet-ok").mkdir()
    (fixtures / "new-check" / "quiet-ok" / "v5.tf").write_text("")
    (docs / "new-check.md").write_text("# new-check\n")
    assert authoring_problems("new-check", fixtures, docs) == []
    assert authoring_problems("other-check", fixtures, docs) == [
        "no must-fire case with an input in fixtures/other-check/<case>/",
        "no must-not-fire case with an input in fixtures/other-check/<case>-ok/",
        "no doc page docs/other-check.md",
    ]


@pytest.mark.parametrize("check", [c for c in ALL_CHECKS if c.options], ids=[c.id for c in ALL_CHECKS if c.options])
def test_every_option_accepts_its_own_default(check):
    assert [option.key for option in check.options if not option.accepts(option.default)] == []
