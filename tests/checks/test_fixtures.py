"""Every fixture under fixtures/checks/<id>/<case>/ runs end to end through ``engine.analyse``
and must produce exactly the findings in its golden file ``<input>.expected`` (one JSON object
per line: check, severity, file:line:col, message, suggestion). Cases named ``*-ok`` must
produce none of their check's findings.

Terraform plan JSON (``terraform show -json``) sits in ``<case>/plan/``: beside .tf files the
plan reader moves positions to them, and the plan alone must be tested too. A
``<case>/plan-with-config/`` folder holds a plan with the configuration it was made from.

To rewrite the golden files after a reviewed change: ``RULELINT_REGEN=1 pytest tests/checks``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import pytest

from rulelint.checks.registry import ALL_CHECKS
from rulelint.pipeline.engine import analyse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "checks"
INPUTS = sorted(
    p
    for p in [*FIXTURES.glob("*/*/*"), *FIXTURES.glob("*/*/plan*/*")]
    if p.suffix in (".json", ".tf") and not p.name.endswith(".expected")
)


def case_dir(path: Path) -> Path:
    return path.parent.parent if path.parent.name.startswith("plan") else path.parent


def render(finding, case_dir: Path) -> str:
    loc = finding.location
    file = Path(loc.file).resolve().relative_to(case_dir.resolve()) if loc.file else None
    suggestion = dataclasses.asdict(finding.suggestion) if finding.suggestion else None
    return json.dumps(
        {
            "check": finding.check,
            "severity": finding.severity,
            "at": f"{file}:{loc.line}:{loc.column}",
            "message": finding.message,
            "suggestion": suggestion,
        },
        ensure_ascii=False,
    )


@pytest.mark.parametrize("path", INPUTS, ids=[str(p.relative_to(FIXTURES)) for p in INPUTS])
def test_fixture_produces_exactly_the_expected_findings(path: Path):
    analysis = analyse([str(path)])
    case = case_dir(path)
    got = [render(f, case) for f in analysis.findings]
    golden = path.with_name(path.name + ".expected")
    if os.environ.get("RULELINT_REGEN"):
        golden.write_text("".join(line + "\n" for line in got))
    assert golden.exists(), f"no golden file {golden.name}; review the findings and create it"
    expected = [line for line in golden.read_text().splitlines() if line.strip()]
    assert got == expected
    check_id = case.parent.name
    fired = [json.loads(line)["check"] for line in got]
    if case.name.endswith("-ok"):
        assert check_id not in fired
    else:
        assert check_id in fired


def test_every_check_has_a_doc_page_a_firing_case_and_an_ok_case():
    for check in ALL_CHECKS:
        assert (ROOT / "docs" / "checks" / f"{check.id}.md").is_file(), check.id
        cases = [p for p in (FIXTURES / check.id).iterdir() if p.is_dir()]
        assert any(c.name.endswith("-ok") for c in cases), check.id
        assert any(not c.name.endswith("-ok") for c in cases), check.id


# A message may point at a related object ("its legacy waf setting is on, v4.tf:14:5"): that
# position is a location too, and differs between formats.
_RELATED_POSITION = re.compile(r"[\w.-]+:\d+:\d+\)")


def _without_location(golden: Path) -> list[dict]:
    rows = [json.loads(line) for line in golden.read_text().splitlines() if line.strip()]
    for row in rows:
        row["message"] = _RELATED_POSITION.sub("<position>)", row["message"])
    return [{k: v for k, v in row.items() if k != "at"} for row in rows]


CASES = sorted({case_dir(p) for p in INPUTS})


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_every_format_of_a_case_reports_the_same_findings(case: Path):
    """The same configuration written as API JSON, Terraform v4, v5 or a plan must give the
    same checks, severities, messages and suggestions: only the location may differ."""
    goldens = sorted([*case.glob("*.expected"), *case.glob("plan*/*.expected")])
    first = _without_location(goldens[0])
    for golden in goldens[1:]:
        assert _without_location(golden) == first, golden.relative_to(case)


def test_every_declared_option_is_documented_on_its_check_page():
    for check in ALL_CHECKS:
        page = (ROOT / "docs" / "checks" / f"{check.id}.md").read_text()
        for option in check.options:
            assert f"`{option.key}`" in page, (check.id, option.key)
            assert option.accepts(option.default), (check.id, option.key)
