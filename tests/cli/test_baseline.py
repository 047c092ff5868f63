"""``--write-baseline`` / ``--baseline``: keyed by check, zone, locator and expression hash."""

from __future__ import annotations

import json
import shutil

from .conftest import FIXTURES


def _zone(tmp_path):
    return json.loads((FIXTURES / "mixed" / "zone.json").read_text())


def _rules(zone):
    return zone["zones"][0]["rulesets"]["entrypoints"]["http_request_firewall_custom"]["rules"]


def test_baseline_hides_known_findings_and_survives_moves(rulelint, tmp_path):
    zone = _zone(tmp_path)
    (tmp_path / "zone.json").write_text(json.dumps(zone, indent=2))
    run = rulelint("check", "zone.json", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert run.code == 0 and run.out == ""
    assert run.err.startswith("rulelint: recorded ")
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert recorded["version"] == 1
    assert all("line" not in entry for entry in recorded["findings"])

    run = rulelint("check", "zone.json", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.code == 0 and run.out.startswith("No findings")

    # Move the rules around (and reformat the file): still baselined.
    _rules(zone).reverse()
    (tmp_path / "zone.json").write_text(json.dumps(zone, indent=4))
    run = rulelint("check", "zone.json", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.code == 0, run.out

    # Edit the broad skip's expression: its findings are new.
    skip = next(r for r in _rules(zone) if r["ref"] == "skip_everything_for_monitoring")
    skip["expression"] = 'http.request.uri.path contains "/health"'
    (tmp_path / "zone.json").write_text(json.dumps(zone, indent=4))
    run = rulelint("check", "zone.json", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    new = {(f["rule"], f["location"]["rule_ref"]) for f in json.loads(run.out)["findings"]}
    assert new and all(ref == "skip_everything_for_monitoring" for _, ref in new)


def test_terraform_rule_moved_within_its_file_stays_baselined(rulelint, tmp_path):
    shutil.copy(FIXTURES / "terraform" / "waf.tf", tmp_path / "waf.tf")
    assert rulelint("check", "waf.tf", "--write-baseline", "b.json", cwd=tmp_path).code == 0
    text = (tmp_path / "waf.tf").read_text()
    extra = '    {\n      ref = "new_block"\n      action = "block"\n      expression = "ip.src eq 192.0.2.9"\n    },\n'
    (tmp_path / "waf.tf").write_text(text.replace("  rules = [\n", "  rules = [\n" + extra, 1))
    run = rulelint("check", "waf.tf", "--baseline", "b.json", "--format", "json", cwd=tmp_path)
    assert json.loads(run.out)["findings"] == [] and run.code == 0


def test_bad_baseline_is_a_usage_error(rulelint, tmp_path):
    (tmp_path / "b.json").write_text("[]")
    run = rulelint("check", str(FIXTURES / "clean"), "--baseline", "b.json", cwd=tmp_path)
    assert run.code == 2 and "is not a rulelint baseline" in run.err
    run = rulelint("check", str(FIXTURES / "clean"), "--baseline", "missing.json", cwd=tmp_path)
    assert run.code == 2 and "cannot read baseline missing.json" in run.err
