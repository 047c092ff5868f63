"""A bundle read alone is read and checked zone by zone (``readers.bundle_stream``): a run holds
one zone's model at a time. Users must see exactly what reading the whole bundle gives —
findings, positions, suppressions, counts — and a bundle that does not stream cleanly (a key
written twice, two entries for one zone, JSON that does not parse…) is read whole, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulelint.pipeline import Settings, run
from rulelint.pipeline.engine import analyse
from rulelint.readers import bundle_stream, read_paths
from rulelint.readers.bundle_stream import ZoneStream

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_BUNDLES = sorted(
    path for path in (ROOT / "fixtures").rglob("*.json")
    if ".rulelint_cache" not in path.parts and '"bundle_format"' in path.read_text(encoding="utf-8")
)


def _rule(rule_id: str, action: str, expression: str, **extra) -> dict:
    return {"id": rule_id, "action": action, "expression": expression, "enabled": True, **extra}


def _zone(index: int, rules: list[dict], **sections) -> dict:
    return {
        "zone": {"id": f"{index:032x}", "name": f"zone{index}.example", "plan": "free"},
        "rulesets": {"entrypoints": {"http_request_firewall_custom": {
            "id": f"{index + 100:032x}", "kind": "zone", "phase": "http_request_firewall_custom", "rules": rules,
        }}},
        **sections,
    }


def bundle() -> dict:
    """Three zones, an account ruleset linked to one of them by name, a suppression marker in a
    description, an unknown key, an unreadable part: what reading a zone on its own must keep."""
    skip_all = {"ruleset": "current"}
    return {
        "bundle_format": "rulelint.zone-bundle/1",
        "account": {"id": "a" * 32, "rulesets": [{
            "id": "b" * 32, "kind": "root", "phase": "http_request_firewall_custom",
            "rules": [_rule("c" * 32, "skip", 'cf.zone.name eq "zone1.example" and http.request.uri.path contains "/hook"',
                            action_parameters=skip_all)],
        }]},
        "zones": [
            _zone(0, [_rule("1" * 32, "skip", "true", action_parameters=skip_all)]),
            _zone(1, [
                _rule("2" * 32, "skip", 'http.request.uri.path contains "/webhook"', action_parameters=skip_all,
                      description="rulelint: ignore[broad-skip] partner webhooks have no fixed IPs"),
                _rule("3" * 32, "block", 'http.host eq "zone1.example" and ip.src in {192.0.2.0/24}'),
            ], page_rules=[{"id": "4" * 32, "targets": [{"target": "url", "constraint": {
                "operator": "matches", "value": "*zone1.example/*"}}],
                "actions": [{"id": "disable_security"}], "status": "active"}]),
            _zone(2, [_rule("5" * 32, "block", "http.request.uri.path eq")], surprise=1,
                  unreadable=[{"what": "rulesets:http_request_sbfm", "status": 403, "error": "Authentication error"}],
                  bot_management={"fight_mode": True}),
        ],
    }


def _write(tmp_path: Path, value, name: str = "bundle.json", text: str | None = None) -> Path:
    path = tmp_path / name
    path.write_text(text if text is not None else json.dumps(value, indent=1), encoding="utf-8")
    return path


def _whole(monkeypatch, path: Path, **options):
    """The result of reading the bundle whole (no stream), as every run did before."""
    with monkeypatch.context() as patched:
        patched.setattr(bundle_stream, "open_stream", lambda *args: None)
        return run([str(path)], Settings(), **options)


def _seen(result) -> tuple:
    return (result.findings, result.suppressed, result.rule_count, result.files, result.usable,
            result.exit_code("warning"))


@pytest.mark.parametrize("path", FIXTURE_BUNDLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fixture_bundle_gives_the_same_findings_streamed(path, monkeypatch):
    assert _seen(run([str(path)], Settings(), jobs=1)) == _seen(_whole(monkeypatch, path, jobs=1))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bundle_of_several_zones_streams_and_reports_what_the_whole_read_does(tmp_path, monkeypatch, jobs):
    path = _write(tmp_path, bundle())
    assert read_paths([str(path)], stream=True).stream is not None
    streamed = run([str(path)], Settings(), jobs=jobs)
    assert _seen(streamed) == _seen(_whole(monkeypatch, path, jobs=jobs))
    checks = {finding.check for finding in streamed.findings}
    # Findings of every zone, of the account rule linked to zone1, and of reading zone2.
    assert {"broad-skip", "page-rule-waf-off", "invalid-expression", "unknown-value", "unreadable-part"} <= checks
    assert any(f.location.zone == "zone1.example" and f.location.rule_id == "c" * 32 for f in streamed.findings)
    assert [(f.check, f.location.rule_id, reason) for f, reason in streamed.suppressed] == [
        ("broad-skip", "2" * 32, "partner webhooks have no fixed IPs")]
    # What the run kept of the zones: their names, not their content.
    zones = streamed.configuration.zones
    assert [zone.name for zone in zones if zone.name] == ["zone0.example", "zone1.example", "zone2.example"]
    assert not any(zone.rulesets or zone.page_rules or zone.unreadable for zone in zones)
    assert streamed.rule_count == 6


def test_a_minified_bundle_streams_with_the_same_positions(tmp_path, monkeypatch):
    path = _write(tmp_path, None, text=json.dumps(bundle(), separators=(",", ":")))
    assert read_paths([str(path)], stream=True).stream is not None
    streamed = run([str(path)], Settings(), jobs=1)
    assert _seen(streamed) == _seen(_whole(monkeypatch, path, jobs=1))
    assert {f.location.line for f in streamed.findings if f.location.file} == {1}


def _with_duplicate_key(value: dict) -> str:
    text = json.dumps(value, indent=1)
    return text.replace('"action": "block"', '"action": "log", "action": "block"', 1)


def _same_zone_twice(value: dict) -> dict:
    value["zones"][2]["zone"]["name"] = "zone1.example"
    value["zones"][2]["zone"]["id"] = "f" * 32
    return value


@pytest.mark.parametrize("variant, expect", [
    ("duplicate key", "duplicate key 'action'"),
    ("same zone twice", None),
    ("entry naming no zone", 'zone entry has no "zone" object'),
    ("zone id not a string", "zone id must be a string"),
    ("a scalar among the zones", "not an object"),
    ("invalid JSON in an entry", "invalid JSON"),
    ("another bundle format", "unsupported bundle format"),
])
def test_a_bundle_that_does_not_stream_cleanly_is_read_whole(tmp_path, variant, expect):
    value, text = bundle(), None
    if variant == "duplicate key":
        text = _with_duplicate_key(value)
    elif variant == "same zone twice":
        value = _same_zone_twice(value)
    elif variant == "entry naming no zone":
        del value["zones"][1]["zone"]
    elif variant == "zone id not a string":
        value["zones"][1]["zone"]["id"] = 7
    elif variant == "a scalar among the zones":
        value["zones"].insert(1, "zone9.example")
    elif variant == "invalid JSON in an entry":
        text = json.dumps(value, indent=1).replace('"kind": "zone"', '"kind": "zone",,', 2)
    elif variant == "another bundle format":
        value["bundle_format"] = "rulelint.zone-bundle/9"
    path = _write(tmp_path, value, text=text)
    assert read_paths([str(path)], stream=True).stream is None
    result = run([str(path)], Settings(), jobs=1)
    if expect is not None:
        assert any(expect in finding.message for finding in result.findings), [f.message for f in result.findings]
    else:  # the whole read merges the two entries into one zone
        assert [zone.name for zone in result.configuration.zones if zone.name] == ["zone0.example", "zone1.example"]
        assert result.configuration.zones[1].rulesets


def test_a_bundle_among_other_inputs_is_read_whole(tmp_path):
    path = _write(tmp_path, bundle())
    other = _write(tmp_path, bundle(), name="copy.json")
    assert read_paths([str(path), str(other)], stream=True).stream is None
    assert read_paths([str(path)]).stream is None  # only the pipeline asks for a stream


def test_a_zone_rulelint_fails_to_read_is_one_finding_and_the_other_zones_are_checked(tmp_path, monkeypatch):
    path = _write(tmp_path, bundle())
    fill = ZoneStream.fill

    def failing(self, zone):
        if zone.name == "zone1.example":
            raise RuntimeError("boom")
        return fill(self, zone)

    monkeypatch.setattr(ZoneStream, "fill", failing)
    result = run([str(path)], Settings(), jobs=1)
    faults = [f for f in result.findings if f.check == "internal-error"]
    assert [f.message for f in faults] == [
        "internal error reading zone zone1.example: RuntimeError: boom; the other zones were still checked. "
        "Please report this with the input that caused it."]
    assert {f.location.zone for f in result.findings} >= {"zone0.example", "zone2.example"}
    assert result.exit_code("error") == 2


def test_on_a_findings_cache_hit_streamed_zones_are_still_read_for_their_input_findings_and_markers(tmp_path):
    path = _write(tmp_path, bundle())
    cache = tmp_path / "cache"
    first = analyse([str(path)], use_cache=True, cache_dir=str(cache), jobs=1)
    again = analyse([str(path)], use_cache=True, cache_dir=str(cache), jobs=1)
    assert list(cache.glob("findings-*.json"))
    assert again.findings == first.findings
    assert any(f.check == "unknown-value" for f in again.findings)
    assert [s.checks for s in again.checked.suppressions] == [s.checks for s in first.checked.suppressions] == [("broad-skip",)]
    assert again.rule_count == first.rule_count == 6


def test_a_damaged_bundle_gives_the_same_findings_streamed_or_whole(tmp_path, monkeypatch):
    """Characters cut, doubled or swapped anywhere (a bracket, a quote, a comma, a key): the
    stream either reads the bundle exactly as the whole read does or leaves it to it."""
    import random

    text = json.dumps(bundle(), indent=1)
    chances = random.Random(15)
    for attempt in range(25):
        at = chances.randrange(len(text))
        damaged = [text[:at] + text[at + 1:], text[:at] + text[at] + text[at:],
                   text[:at] + text[at + 1:at + 2] + text[at] + text[at + 2:]][attempt % 3]
        path = _write(tmp_path, None, name=f"damaged{attempt}.json", text=damaged)
        assert _seen(run([str(path)], Settings(), jobs=1)) == _seen(_whole(monkeypatch, path, jobs=1)), (at, attempt)
