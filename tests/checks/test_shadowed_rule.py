"""shadowed-rule names both rules: the one that never runs (the finding) and the earlier one
that ends evaluation first (its related location)."""

from __future__ import annotations

from pathlib import Path

from .fixture_cases import FIXTURES, analysis_with_only

CASE = FIXTURES / "shadowed-rule" / "block-after-skip-current"


def _positions(name: str):
    (finding,) = analysis_with_only(["shadowed-rule"], [CASE / name]).findings
    (related,) = finding.related
    where = lambda loc: (Path(loc.file).name, loc.line)  # noqa: E731
    return where(finding.location), where(related.location), related.message


def test_block_shadowed_by_skip_current_is_reported_with_both_rules_api_json():
    block, skip, message = _positions("api.json")
    assert block == ("api.json", 24)
    assert skip == ("api.json", 11)
    assert message == 'the earlier rule that ends evaluation: Rule "partner API: skip the remaining custom rules" (skip)'


def test_block_shadowed_by_skip_current_is_reported_with_both_rules_terraform():
    block, skip, _ = _positions("v5.tf")
    assert block == ("v5.tf", 20)
    assert skip == ("v5.tf", 6)


def test_one_skip_shadowing_three_rules_is_one_finding_naming_them_all():
    (finding,) = analysis_with_only(
        ["shadowed-rule"], [FIXTURES / "shadowed-rule" / "three-after-one-skip" / "v5.tf"]
    ).findings
    assert (finding.location.line, finding.severity) == (20, "error")
    assert [(r.message, r.location.line) for r in finding.related] == [
        ('the earlier rule that ends evaluation: Rule "partner API: skip the remaining custom rules" (skip)', 6),
        ('also never runs: Rule "challenge API writes from abroad" (managed_challenge)', 25),
        ('also never runs: Rule "log API admin calls" (log)', 30),
    ]
