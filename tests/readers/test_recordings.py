"""Every recorded Cloudflare API response relevant to rulelint reads cleanly, completely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import shared_path

from rulelint.readers import read_paths

RECORDINGS = shared_path("corpus", "cf-api-recordings")  # skips this module without ../shared
NOT_ANALYSED = ("rate_limit", "logpush")  # legacy objects rulelint recognises and skips
FILES = sorted(RECORDINGS.glob("v*/*.yaml"))


def _bodies(path: Path, tmp_path: Path) -> list[tuple[str, dict]]:
    interactions = yaml.safe_load(path.read_text())["interactions"]
    written = []
    for index, interaction in enumerate(interactions):
        body = interaction["response"]["body"]
        target = tmp_path / f"{path.stem}-{index}.json"
        target.write_text(body)
        written.append((str(target), json.loads(body)))
    return written


def _expected(bodies) -> dict[str, int]:
    """What the bodies hold, counted independently of the readers."""
    counts = {"rules": 0, "page_rules": 0, "firewall_rules": 0, "filters": 0, "access_rules": 0,
              "lockdowns": 0, "ua_rules": 0, "settings": 0, "dns_records": 0, "bot": 0}
    full_rulesets = {}
    for _, body in bodies:
        result = body["result"]
        items = result if isinstance(result, list) else [result]
        for item in items:
            if "phase" in item and "rules" in item:
                full_rulesets[item["id"]] = len(item["rules"])
            elif "targets" in item:
                counts["page_rules"] += 1
            elif "filter" in item and "action" in item:
                counts["firewall_rules"] += 1
            elif "urls" in item:
                counts["lockdowns"] += 1
            elif item.get("configuration", {}).get("target") == "ua":
                counts["ua_rules"] += 1
            elif "configuration" in item and "mode" in item:
                counts["access_rules"] += 1
            elif "expression" in item and "paused" in item:
                counts["filters"] += 1
            elif "editable" in item:
                counts["settings"] += 1
            elif "type" in item and "ttl" in item:
                counts["dns_records"] += 1
            elif "sbfm_verified_bots" in item or "fight_mode" in item or "enable_js" in item:
                counts["bot"] += 1
    counts["rules"] = sum(full_rulesets.values())
    return counts


def test_the_recordings_are_there() -> None:
    """Where ../shared is, it holds the recordings: an empty list would test nothing."""
    assert len(FILES) >= 20


@pytest.mark.parametrize("recording", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_recording_reads_without_errors_and_completely(recording: Path, tmp_path: Path) -> None:
    bodies = _bodies(recording, tmp_path)
    result = read_paths([name for name, _ in bodies])
    assert result.usable
    assert [f for f in result.findings if f.severity == "error"] == []
    unexpected = [f for f in result.findings if not any(word in recording.stem for word in NOT_ANALYSED)]
    assert unexpected == []
    configuration = result.configuration
    zones = configuration.zones
    rulesets = [r for z in zones for r in z.rulesets] + [r for a in configuration.accounts for r in a.rulesets]
    got = {
        "rules": sum(len(r.rules) for r in rulesets),
        "page_rules": sum(len(z.page_rules) for z in zones),
        "firewall_rules": sum(len(z.firewall_rules) for z in zones),
        "filters": sum(len(z.filters) for z in zones),
        "access_rules": sum(len(z.access_rules) for z in zones),
        "lockdowns": sum(len(z.lockdowns) for z in zones),
        "ua_rules": sum(len(z.ua_rules) for z in zones),
        "settings": sum(len(z.settings) for z in zones),
        "dns_records": sum(len(z.dns_records) for z in zones),
        "bot": sum(z.bot_management is not None for z in zones),
    }
    assert got == _expected(bodies)
    for ruleset in rulesets:
        for rule in ruleset.rules:
            if "expression" in rule.raw:
                assert rule.expression is not None and rule.expression.text == rule.raw["expression"]
            assert rule.origin.pointer and rule.origin.pointer.startswith("/result/rules/")


def test_rules_in_a_recording_keep_parameters() -> None:
    path = RECORDINGS / "v4" / "cloudflare_ruleset_zone_http_request_firewall_custom.yaml"
    body = yaml.safe_load(path.read_text())["interactions"][1]["response"]["body"]
    import tempfile, os

    with tempfile.TemporaryDirectory() as directory:
        name = os.path.join(directory, "custom.json")
        Path(name).write_text(body)
        result = read_paths([name])
    rules = result.configuration.zones[0].rules_by_phase("http_request_firewall_custom")
    skip_rules = [rule for rule in rules if rule.action == "skip"]
    assert skip_rules and skip_rules[0].skip is not None
    assert skip_rules[0].skip.products == json.loads(body)["result"]["rules"][rules.index(skip_rules[0])]["action_parameters"].get("products", [])
