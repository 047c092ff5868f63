"""Each bad input gives one clear finding, and the other inputs are still read."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from rulelint.readers import read_paths

GOOD = '{"result": [{"id": "f", "expression": "ip.src eq 192.0.2.1", "paused": false}], "success": true}'


def _read_with_good(tmp_path: Path, bad: Path, **options):
    good = tmp_path / "good.json"
    good.write_text(GOOD)
    result = read_paths([str(bad), str(good)], **options)
    assert result.usable
    assert len(result.configuration.zones[0].filters) == 1
    problems = [(f.check, f.severity, f.message, f.location.file, f.location.line, f.location.column) for f in result.findings]
    return problems


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "result": [\n    {"id": "x",}\n  ]\n}')
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "invalid JSON: Expecting property name enclosed in double quotes", str(bad), 3, 16)
    ]


def test_invalid_hcl_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tf"
    bad.write_text('resource "cloudflare_filter" "x" {\n  expression = \n}\n')
    problems = _read_with_good(tmp_path, bad)
    assert len(problems) == 1
    check, severity, message, file, line, column = problems[0]
    assert (check, severity, file, line, column) == ("invalid-input", "error", str(bad), 2, 16)
    assert message.startswith("invalid HCL: Unexpected token")


def test_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.json"
    bad.write_text("  \n")
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", "empty file: expected Cloudflare JSON or Terraform HCL", str(bad), 1, 1)
    ]


def test_byte_order_mark_is_accepted_and_columns_ignore_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes("\ufeff".encode() + GOOD.encode())
    result = read_paths([str(path)])
    assert result.findings == []
    assert result.configuration.zones[0].filters[0].origin.column == 13


def test_duplicate_key_warns_and_last_value_wins(tmp_path: Path) -> None:
    bad = tmp_path / "dup.json"
    bad.write_text('{"result": [{"id": "a", "expression": "true", "paused": true,\n "paused": false}], "success": true}')
    result = read_paths([str(bad)])
    assert [(f.check, f.severity, f.message, f.location.line, f.location.column, f.location.pointer) for f in result.findings] == [
        ("invalid-input", "warning", "duplicate key 'paused': written more than once in one object; the last value is used",
         2, 2, "/result/0/paused")
    ]
    assert result.configuration.zones[0].filters[0].paused is False


def test_unknown_shape(tmp_path: Path) -> None:
    bad = tmp_path / "other.json"
    bad.write_text('{"name": "something else"}')
    problems = _read_with_good(tmp_path, bad)
    assert len(problems) == 1
    assert problems[0][:3] == ("invalid-input", "error", problems[0][2])
    assert problems[0][2].startswith("not a Cloudflare export: expected one of a rulesets list, a ruleset")


def test_huge_file_says_the_limit(tmp_path: Path) -> None:
    bad = tmp_path / "huge.json"
    bad.write_text(GOOD + " " * 1000)
    problems = _read_with_good(tmp_path, bad, max_bytes=1000)
    assert problems == [("invalid-input", "error",
                         f"file too large ({len(GOOD) + 1000} bytes): rulelint reads inputs up to 1000 bytes; "
                         "split the export per zone", str(bad), None, None)]


def test_huge_file_message_in_megabytes(tmp_path: Path) -> None:
    bad = tmp_path / "huge.json"
    with open(bad, "wb") as handle:
        handle.truncate(3 * 1048576 + 104858)
    problems = _read_with_good(tmp_path, bad, max_bytes=2 * 1048576)
    assert problems == [("invalid-input", "error",
                         "file too large (3.1 MB): rulelint reads inputs up to 2 MB; split the export per zone",
                         str(bad), None, None)]


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "deep.json"
    bad.write_text("[" * 100000 + "]" * 100000)
    problems = _read_with_good(tmp_path, bad)
    assert problems == [("invalid-input", "error", "JSON nested too deeply to be a Cloudflare export; skipped", str(bad), 1, 1)]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_symlink_loop_in_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "good.json").write_text(GOOD)
    os.symlink(folder, folder / "again")
    result = read_paths([str(folder)])
    assert len(result.configuration.zones[0].filters) == 1
    assert [(f.check, f.severity, f.message) for f in result.findings] == [
        ("invalid-input", "warning", f"{folder / 'again'}: symbolic link loop (already read as {folder}); skipped")
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_symlink_to_itself(tmp_path: Path) -> None:
    bad = tmp_path / "loop.json"
    os.symlink(bad, bad)
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", f"{bad}: symbolic link loop; skipped", str(bad), None, None)
    ]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads everything")
def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "secret.json"
    bad.write_text(GOOD)
    bad.chmod(0)
    assert _read_with_good(tmp_path, bad) == [
        ("invalid-input", "error", f"{bad}: cannot read (Permission denied); skipped", str(bad), None, None)
    ]


def test_nothing_usable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = read_paths([str(bad)])
    assert not result.usable and len(result.findings) == 1


def test_standard_input_is_detected_by_content(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'resource "cloudflare_filter" "f" {\n  expression = "true"\n}\n')))
    result = read_paths(["-"])
    assert result.findings == []
    assert result.configuration.zones[0].filters[0].origin.file == "<stdin>"


def test_unknown_values_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text('{"result": {"id": "r", "kind": "zone", "phase": "http_request_future", "rules": [\n'
                    ' {"action": "teleport", "expression": "true", "shiny": 1}]}, "success": true}')
    result = read_paths([str(path)])
    assert [(f.check, f.severity, f.message, f.location.line) for f in result.findings] == [
        ("unknown-value", "info", "unknown phase 'http_request_future': kept as written, not analysed", 1),
        ("unknown-value", "info", "unknown rule action 'teleport': kept as written, not analysed", 2),
        ("unknown-value", "info", "unknown rule field 'shiny': kept as written, not analysed", 2),
    ]
    ruleset = result.configuration.zones[0].rulesets[0]
    assert ruleset.phase == "http_request_future" and ruleset.rules[0].action == "teleport"


def test_unresolved_interpolation(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "cloudflare_filter" "f" {\n  expression = "ip.src in {${join(" ", var.ips)}}"\n}\n')
    result = read_paths([str(path)])
    assert [(f.check, f.severity, f.location.line, f.location.column) for f in result.findings] == [
        ("unresolved-interpolation", "info", 2, 16)
    ]
    assert result.findings[0].message.startswith('expression uses ${join(" ", var.ips)}')
    assert result.configuration.zones[0].filters[0].expression.unresolved == '${join(" ", var.ips)}'


def test_wrong_types_in_bundle_are_findings_not_crashes(tmp_path: Path) -> None:
    bad = tmp_path / "bundle.json"
    bad.write_text(
        '{"bundle_format": "rulelint.zone-bundle/1", "account": {"id": 7},\n'
        ' "zones": [{"zone": {"id": 5, "name": "example.com"},\n'
        '            "rulesets": {"custom": [{"id": 3, "rules": [{"id": 9, "action": "block", "expression": 5}]}]}}]}'
    )
    result = read_paths([str(bad)])
    problems = [(f.check, f.severity, f.message, f.location.line, f.location.column, f.location.pointer)
                for f in result.findings]
    assert problems == [
        ("invalid-input", "warning", "account id must be a string, not int: ignored", 1, 63, "/account/id"),
        ("invalid-input", "warning", "zone id must be a string, not int: ignored", 2, 28, "/zones/0/zone/id"),
    ]
    zone = result.configuration.zones[0]
    assert (zone.id, zone.name) == (None, "example.com")
    assert [(rule.id, rule.action, rule.expression) for rule in zone.rulesets[0].rules] == [("9", "block", None)]
