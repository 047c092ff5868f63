"""Every fixture under fixtures/checks/<id>/<case>/ runs end to end through ``engine.analyse``
and must produce exactly the findings in its golden file ``<input>.expected`` (one JSON object
per line: check, severity, file:line:col, message, suggestion). Cases named ``*-ok`` must
produce none of their check's findings.

To rewrite the golden files after a reviewed change: ``RULELINT_REGEN=1 pytest tests/checks``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from rulelint.checks.registry import ALL_CHECKS
from rulelint.engine import analyse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "checks"
INPUTS = sorted(
    p for p in FIXTURES.glob("*/*/*") if p.suffix in (".json", ".tf") and not p.name.endswith(".expected")
)


def _parser_ready() -> bool:
    from rulelint.language import parse

    try:
        parse("true")
    except NotImplementedError:
        return False
    return True


needs_parser = pytest.mark.skipif(not _parser_ready(), reason="rulelint.language.parse is not implemented yet")


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


@needs_parser
@pytest.mark.parametrize("path", INPUTS, ids=[str(p.relative_to(FIXTURES)) for p in INPUTS])
def test_fixture_produces_exactly_the_expected_findings(path: Path):
    analysis = analyse([str(path)])
    got = [render(f, path.parent) for f in analysis.findings]
    golden = path.with_name(path.name + ".expected")
    if os.environ.get("RULELINT_REGEN"):
        golden.write_text("".join(line + "\n" for line in got))
    assert golden.exists(), f"no golden file {golden.name}; review the findings and create it"
    expected = [line for line in golden.read_text().splitlines() if line.strip()]
    assert got == expected
    check_id = path.parent.parent.name
    fired = [json.loads(line)["check"] for line in got]
    if path.parent.name.endswith("-ok"):
        assert check_id not in fired
    else:
        assert check_id in fired


def test_every_check_has_a_doc_page_a_firing_case_and_an_ok_case():
    for check in ALL_CHECKS:
        assert (ROOT / "docs" / "checks" / f"{check.id}.md").is_file(), check.id
        cases = [p for p in (FIXTURES / check.id).iterdir() if p.is_dir()]
        assert any(c.name.endswith("-ok") for c in cases), check.id
        assert any(not c.name.endswith("-ok") for c in cases), check.id
