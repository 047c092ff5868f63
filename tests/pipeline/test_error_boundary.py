"""One check failing on one zone is one ``internal-error`` finding; everything else still runs."""

from __future__ import annotations

import json
from pathlib import Path

from rulelint.checks.broad_skip import BroadSkip
from rulelint.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo" / "export.json"


def _explode(self, zone, ctx):
    yield from ()
    raise KeyError("boom")


def test_a_failing_check_becomes_one_finding_and_exit_code_2(monkeypatch, capsys):
    main(["check", str(DEMO), "--format", "json", "--no-cache"])
    before = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] != "broad-skip"]

    monkeypatch.setattr(BroadSkip, "run", _explode)
    code = main(["check", str(DEMO), "--format", "json", "--no-cache"])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"]
    errors = [f for f in findings if f["rule"] == "internal-error"]
    assert code == 2
    assert len(errors) == 1
    assert errors[0]["severity"] == "error"
    assert errors[0]["message"].startswith("internal error in check broad-skip on zone example.com: KeyError: 'boom'")
    assert errors[0]["location"]["zone"] == "example.com"
    # Every other check's findings are still there, unchanged.
    assert [f for f in findings if f["rule"] != "internal-error"] == before
    assert "a check failed inside rulelint" in captured.err


def test_the_library_api_reports_the_fault_too(monkeypatch):
    import rulelint

    monkeypatch.setattr(BroadSkip, "run", _explode)
    checks = [f.check for f in rulelint.check(str(DEMO))]
    assert checks.count("internal-error") == 1
    assert "missing-ip-scope" in checks
