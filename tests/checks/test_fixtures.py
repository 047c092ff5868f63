"""Every fixture case runs end to end through ``engine.analyse`` with only its own check
selected (layout: ``tests/checks/fixture_cases.py``).

- A must-fire case: every input produces exactly the findings in its golden file.
- A must-not-fire case (``*-ok``): no input produces a finding of the check.

To write the golden files after a reviewed change (or for a new case):
``RULELINT_UPDATE_GOLDEN=1 pytest tests/checks/test_fixtures.py``, then read the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .fixture_cases import FIXTURES, cases, findings_of, golden_path, read_golden

FIRING = [(case, path) for case in cases() if case.must_fire for path in case.inputs()]
CLEAN = [(case, path) for case in cases() if not case.must_fire for path in case.inputs()]


def _ids(pairs) -> list[str]:
    return [str(path.relative_to(FIXTURES)) for _, path in pairs]


@pytest.mark.parametrize(("case", "path"), FIRING, ids=_ids(FIRING))
def test_must_fire_case_produces_exactly_its_golden_findings(case, path: Path):
    got = findings_of(case.check_id, path, case.path)
    golden = golden_path(path)
    if os.environ.get("RULELINT_UPDATE_GOLDEN"):
        golden.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; review the findings and create it"
    assert got == read_golden(golden)
    assert got, f"{case.name} must fire, but {path.name} gives no {case.check_id} finding"


@pytest.mark.parametrize(("case", "path"), CLEAN, ids=_ids(CLEAN))
def test_must_not_fire_case_produces_no_finding(case, path: Path):
    assert findings_of(case.check_id, path, case.path) == []


def test_must_not_fire_cases_have_no_golden_file():
    """Their golden would be empty by definition; a stale one would mislead a reader."""
    stale = [
        str(golden.relative_to(FIXTURES))
        for case in cases()
        if not case.must_fire
        for golden in [*case.path.glob("*.expected"), *case.path.glob("plan*/*.expected")]
    ]
    assert stale == []


# A message may point at a related object ("its legacy waf setting is on, v4.tf:14:5"): that
# position is a location too, and differs between formats.
_RELATED_POSITION = re.compile(r"[\w.-]+:\d+:\d+\)")


def _without_location(golden: Path) -> list[dict]:
    rows = [json.loads(line) for line in read_golden(golden)]
    for row in rows:
        row["message"] = _RELATED_POSITION.sub("<position>)", row["message"])
    return [{k: v for k, v in row.items() if k != "at"} for row in rows]


FIRING_CASES = [case for case in cases() if case.must_fire and len(case.inputs()) > 1]


@pytest.mark.parametrize("case", FIRING_CASES, ids=[c.name for c in FIRING_CASES])
def test_every_format_of_a_case_reports_the_same_findings(case):
    """The same configuration written as API JSON, Terraform v4, v5 or a plan must give the
    same severities, messages and suggestions: only the location may differ."""
    goldens = [golden_path(path) for path in case.inputs()]
    first = _without_location(goldens[0])
    for golden in goldens[1:]:
        assert _without_location(golden) == first, golden.relative_to(case.path)
