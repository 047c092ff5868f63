"""Large inputs use both cores and re-runs use the parse cache — without changing one finding."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rulelint.analysis.expressions import ExpressionParser
from rulelint.pipeline.engine import analyse, run_checks
from rulelint.language import api
from rulelint.pipeline.parse_cache import language_fingerprint
from rulelint.readers import read_paths

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo" / "export.json"


@pytest.fixture
def many_zones(tmp_path) -> Path:
    """The demo zone forty times over, under different names (a bundle of 40 zones)."""
    bundle = json.loads(DEMO.read_text())
    template = bundle["zones"][0]
    zones = []
    for index in range(40):
        zone = copy.deepcopy(template)
        zone["zone"]["name"] = f"zone{index}.example"
        zone["zone"]["id"] = f"{index:032x}"
        zones.append(zone)
    bundle["zones"] = zones
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, indent=1))
    return path


def _findings_text(findings) -> list[str]:
    return [repr(f) for f in findings]


def test_parallel_run_reports_exactly_what_the_serial_run_reports(many_zones):
    configuration = read_paths([str(many_zones)]).configuration
    serial = run_checks(configuration, jobs=1)
    parallel = run_checks(configuration, jobs=2)
    per_zone = len(run_checks(read_paths([str(DEMO)]).configuration))
    assert per_zone >= 5 and len(serial) == 40 * per_zone
    assert _findings_text(parallel) == _findings_text(serial)


def test_parallel_run_reports_progress_up_to_every_zone(many_zones):
    configuration = read_paths([str(many_zones)]).configuration
    seen: list[tuple[int, int]] = []
    run_checks(configuration, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (40, 40)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_second_run_takes_every_parse_from_the_cache(many_zones, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = analyse([str(many_zones)], use_cache=True, cache_dir=str(cache))
    files = [f for f in cache.iterdir() if f.name.startswith("parse-")]
    assert [f.name for f in files] == [f"parse-0.1.0-{language_fingerprint()}.json"]
    entries = json.loads(files[0].read_bytes().split(b"\n", 1)[1])
    for findings in cache.glob("findings-*.json"):
        findings.unlink()  # this test is about the parse cache: no findings to read back
    assert "filter\x00true" in entries

    from rulelint.language import parser

    parsed_again: list[str] = []
    real = parser.parse_expression

    def counting_parser(text, context):
        parsed_again.append(text)
        return real(text, context)

    monkeypatch.setattr(parser, "parse_expression", counting_parser)
    second = analyse([str(many_zones)], use_cache=True, cache_dir=str(cache))
    assert _findings_text(second.findings) == _findings_text(first.findings)

    # A cached verdict needs no parser; the tree is built only when something asks for it.
    from rulelint.pipeline.parse_cache import ParseCache

    parsed_again.clear()
    run_parser = ExpressionParser(ParseCache(cache).load())
    verdict = run_parser.parse('ip.geoip.country in {"KP" "XX"} and ip.src eq "198.51.100.4"')
    assert not verdict.ok and [d.code for d in verdict.diagnostics] == ["deprecated-field", "type-mismatch"]
    assert parsed_again == []
    assert verdict.tree == api.parse(verdict.text).tree
    assert parsed_again == [verdict.text, verdict.text]  # once for .tree, once just above
    

def test_a_damaged_cache_is_ignored_and_replaced(many_zones, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    name = f"parse-0.1.0-{language_fingerprint()}.json"
    (cache / name).write_text('{"kind": "parse", "version": "0.1.0", "format": 4, "sha256": "0"}\n{"filter\\u0000true": [["Nope"], 7]')
    damaged = analyse([str(many_zones)], use_cache=True, cache_dir=str(cache))
    clean = analyse([str(many_zones)], use_cache=False)
    assert _findings_text(damaged.findings) == _findings_text(clean.findings)
    assert json.loads((cache / name).read_text().split("\n", 1)[0])["format"] == 4


def test_a_tampered_entry_is_parsed_again(tmp_path):
    from rulelint.pipeline.parse_cache import ParseCache

    store = ParseCache(tmp_path)
    store.entries[store.key("ip.src eq 192.0.2.1", "filter")] = [["os.system", "x"]]
    parsed = ExpressionParser(store).parse("ip.src eq 192.0.2.1")
    assert parsed.ok and parsed.tree == api.parse("ip.src eq 192.0.2.1").tree
    

def _check(path: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rulelint", "check", str(path), "--format", "json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_two_runs_can_share_one_cache_folder(many_zones, tmp_path):
    cache = tmp_path / "shared-cache"
    runs = [_check(many_zones, "--cache-dir", str(cache)) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1, 1]
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    name = f"parse-0.1.0-{language_fingerprint()}.json"
    header, body = (cache / name).read_text().split("\n", 1)
    assert json.loads(header)["version"] == "0.1.0" and json.loads(body)
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".")]  # no temporary left


def test_no_cache_writes_nothing(many_zones, tmp_path):
    cache = tmp_path / "unused"
    run = _check(many_zones, "--no-cache", "--cache-dir", str(cache))
    run.communicate(timeout=120)
    assert run.returncode == 1
    assert not cache.exists()


def test_a_cache_written_by_another_parser_is_not_read(tmp_path, monkeypatch):
    """The cache file is named after the parser's code and tables: editing either starts afresh."""
    from rulelint.pipeline import parse_cache

    first = parse_cache.ParseCache(tmp_path).path
    monkeypatch.setattr(parse_cache, "FORMAT", parse_cache.FORMAT + 1)
    assert parse_cache.ParseCache(tmp_path).path != first


def test_diagnostics_come_back_from_the_cache_exactly():
    from rulelint.pipeline.parse_cache import decode_diagnostics, encode_diagnostics

    parsed = api._parse_uncached('ip.geoip.country in {"KP"} and\tip.src eq "198.51.100.4"')
    assert {d.code for d in parsed.diagnostics} >= {"deprecated-field", "tab-character", "type-mismatch"}
    stored = json.loads(json.dumps(encode_diagnostics(parsed.diagnostics)))
    restored = decode_diagnostics(stored)
    assert restored == parsed.diagnostics
    assert [d.span for d in restored] == [d.span for d in parsed.diagnostics]
    assert decode_diagnostics([["syntax", "error", "x", [0, 1, 1, 1, 1, "2"], None]]) is None
