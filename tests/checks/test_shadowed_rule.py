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
