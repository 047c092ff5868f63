"""JSON, SARIF, JUnit, GitLab and GitHub reports of hand-built findings: unencodable text,
injection, related locations, suppressed findings, the fail level, repository-relative URIs."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from rulelint.findings import CheckInfo, Location, Related, Suggestion, fingerprint
from rulelint.reports import Report

from .helpers import FORMATS, finding, report, written

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "spec" / "sarif-schema-2.1.0.json"


def _valid_sarif(text: str) -> dict:
    document = json.loads(text)
    if SCHEMA.exists():
        jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft4Validator)
    return document


def _hostile_report() -> Report:
    hostile = finding(
        "bad \ud800 message",
        file="zone-\udcff.json",  # a file name with an undecodable byte (surrogateescape)
        zone="zone-\ud800.example",
        suggestion=Suggestion("http.host eq \"\ud800\"", {"ruleset": "\udc80"}, "note \ud800"),
        related=(Related("related \ud800", Location("other-\udcfe.json", 2, 3)),),
    )
    checks = {"broad-skip": CheckInfo("broad-skip", "error", "summary \ud800")}
    return report([hostile], {"zone-\udcff.json": '{"expression": "\ud800"}'}, checks=checks)


@pytest.mark.parametrize("format_name", FORMATS)
def test_lone_surrogates_do_not_crash_any_format(format_name):
    out = written(format_name, _hostile_report())  # a strict UTF-8 stream: raises if one got through
    assert "bad \ufffd message" in out
    if format_name == "json":
        (entry,) = json.loads(out)["findings"]
        assert entry["message"] == "bad \ufffd message"
        assert entry["location"]["file"] == "zone-\\xff.json"  # the undecodable byte, as an escape
        assert entry["location"]["zone"] == "zone-\ufffd.example"
        assert entry["suggestion"]["action_parameters"] == {"ruleset": "\\x80"}
        assert entry["related"][0]["location"]["file"] == "other-\\xfe.json"
    elif format_name == "gitlab":
        (issue,) = json.loads(out)
        assert issue["location"]["path"] == "zone-\\xff.json"
    elif format_name == "sarif":
        (result,) = _valid_sarif(out)["runs"][0]["results"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "zone-%FF.json"  # the file's own byte, percent-encoded
        assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "other-%FE.json"
    elif format_name == "junit":
        ET.fromstring(out.encode("utf-8"))
        assert 'classname="zone-\\xff.json"' in out
    else:  # text, github
        assert "zone-\\xff.json:1:1: error broad-skip bad \ufffd message" in out


def test_json_report_holds_related_locations():
    related = (Related("the execute rule this exception refers to", Location("zone.json", 9, 5, pointer="/rules/3")),)
    document = json.loads(written("json", report([finding(related=related), finding()], {})))
    first, second = document["findings"]
    assert first["related"] == [
        {
            "message": "the execute rule this exception refers to",
            "location": {
                "file": "zone.json", "line": 9, "column": 5, "end_line": None, "end_column": None,
                "pointer": "/rules/3", "address": None, "zone": None, "rule_id": None, "rule_ref": None,
            },
        }
    ]
    assert second["related"] == []


def test_sarif_related_locations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    related = (Related("the Zone Lockdown rule it voids", Location("zone.json", 40, 5, pointer="/lockdowns/0")),)
    document = _valid_sarif(written("sarif", report([finding(related=related)], {})))
    (location,) = document["runs"][0]["results"][0]["relatedLocations"]
    assert location["id"] == 1
    assert location["message"] == {"text": "the Zone Lockdown rule it voids"}
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "zone.json", "uriBaseId": "%SRCROOT%"}
    assert location["physicalLocation"]["region"]["startLine"] == 40
    assert location["logicalLocations"] == [{"fullyQualifiedName": "/lockdowns/0"}]


def test_sarif_uris_are_relative_to_the_repository_root(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    monkeypatch.chdir(root / "sub")  # run from a sub-folder of the repository
    inside, outside = str(root / "zones" / "a b.json"), str(tmp_path / "elsewhere.json")
    built = report([finding(file=inside), finding(file="../zones/c.json"), finding(file=outside), finding(file="<stdin>")], {})
    built.root = str(root)
    run = _valid_sarif(written("sarif", built))["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [
        {"uri": "zones/a%20b.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "zones/c.json", "uriBaseId": "%SRCROOT%"},
        {"uri": Path(outside).as_uri()},
        {"uri": "stdin"},
    ]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.as_uri() + "/"}}


def test_sarif_for_code_scanning():
    checks = {
        "broad-skip": CheckInfo("broad-skip", "warning", "A skip rule turns off too much."),
        "invalid-input": CheckInfo("invalid-input", "error", "Unreadable input.", False),
    }
    kept, hidden = finding(), finding("hidden", line=7)
    built = report([kept, finding(check="brand-new-check")], {}, checks=checks)
    built.suppressed = [(hidden, "the partner's ranges are in the list")]
    run = _valid_sarif(written("sarif", built))["runs"][0]
    assert run["automationDetails"] == {"id": "rulelint/"}
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert list(rules) == ["broad-skip", "invalid-input", "brand-new-check"]
    for check_id, rule in rules.items():
        folder = "findings" if check_id == "invalid-input" else "checks"  # not a check: docs/findings
        assert rule["helpUri"] == f"https://github.com/rulelint/rulelint/blob/main/docs/{folder}/{check_id}.md"
        assert rule["help"]["markdown"]
    assert rules["broad-skip"]["properties"]["security-severity"] == "5.0"
    assert "security-severity" not in rules["invalid-input"]["properties"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["broad-skip", "brand-new-check", "broad-skip"]
    assert "suppressions" not in results[0]
    assert results[2]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "the partner's ranges are in the list"}
    ]
    assert results[2]["message"]["text"].startswith("hidden")
    built.suppressed = [(hidden, "")]  # a marker without a reason (reported on its own)
    (suppressed,) = [r for r in _valid_sarif(written("sarif", built))["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    # The suppressed finding has the same identity as the kept one: the keys still differ.
    assert fingerprint(kept) == fingerprint(hidden)
    keys = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert keys[0] == fingerprint(kept) + ":1" and keys[2] == fingerprint(hidden) + ":2"


def test_github_message_cannot_inject_workflow_commands():
    hostile = finding(
        "description\n::error file=x::injected\r\n::add-mask::x 100%",
        file="a,b:c.json",
        suggestion=Suggestion("true\n::warning::also injected"),
    )
    out = written("github", report([hostile], {"a,b:c.json": "::error::from the source line\n"}))
    lines = out.split("\n")
    assert lines[0] == (
        "::error file=a%2Cb%3Ac.json,line=1,col=1,title=rulelint broad-skip::"
        "description%0A::error file=x::injected%0D%0A::add-mask::x 100%25%0ASuggested expression: true%0A::warning::also injected"
    )
    # What the runner obeys: command lines (leading blanks trimmed) outside stop-commands.
    obeyed, stop = [], None
    for line in lines:
        command = line.lstrip()
        if stop is not None:
            if command == f"::{stop}::":
                stop = None
            continue
        if command.startswith("::stop-commands::"):
            stop = command[len("::stop-commands::") :]
        elif command.startswith("::"):
            obeyed.append(command)
    assert obeyed == [lines[0]] and stop is None
    bell = written("github", report([finding("ring \x07 \x1b[2J")], {}))
    assert bell.split("\n")[0].endswith("::ring \ufffd \ufffd[2J")
    assert any(line.lstrip().startswith("::error file=x") for line in lines[1:])  # quoted in the log, inert


def test_junit_is_well_formed_with_control_characters():
    out = written("junit", report([finding("bell \x07 escape \x1b[31m nul \x00 end")], {}))
    root = ET.fromstring(out.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("message") == "bell \ufffd escape \ufffd[31m nul \ufffd end"


def test_junit_findings_below_the_fail_level_pass():
    findings = [finding(severity="error"), finding(severity="warning", line=2), finding(severity="info", line=3)]
    for fail_on, failing in (("error", 1), ("warning", 2), ("info", 3)):
        root = ET.fromstring(written("junit", report(findings, {}, fail_on=fail_on)).encode("utf-8"))
        assert root.get("tests") == "3" and root.get("failures") == str(failing)
        cases = root.findall("testsuite/testcase")
        assert [c.find("failure") is not None for c in cases] == [i < failing for i in range(3)]
        passing = [c for c in cases if c.find("failure") is None]
        assert all(c.find("system-out").text.startswith("zone.json:") for c in passing)


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_check_missing_from_the_catalogue_still_renders(format_name):
    out = written(format_name, report([finding(check="brand-new-check", severity="info")], {}, checks={}))
    assert "brand-new-check" in out
    if format_name == "sarif":
        _valid_sarif(out)


def test_json_report_written_piece_by_piece_is_exactly_json_dumps_of_its_document():
    """The JSON report streams one finding at a time; the text must be the document's
    ``json.dumps(indent=2)`` all the same: with no finding, one, several, and statistics."""
    import json

    from rulelint.pipeline.engine import analyse
    from rulelint.reports import Report, json_report

    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "export.json"
    findings = analyse([str(demo)]).findings
    assert len(findings) > 2
    for chosen in ([], findings[:1], findings):
        for suggestions in (True, False):
            report = Report(findings=chosen, files=["a.json"], rule_count=3, checks=[], suggestions=suggestions)
            pieces = list(json_report.chunks(report))
            assert len(pieces) == len(chosen) + 2
            expected = json.dumps(json_report.document(report), indent=2, ensure_ascii=False) + "\n"
            assert "".join(pieces) == expected
    report = Report(findings=findings, files=[], rule_count=0, checks=[], statistics=True)
    assert json_report.render(report) == json.dumps(json_report.statistics_document(report), indent=2) + "\n"



def _json_values():
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    return st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )


def test_indented_json_is_json_dumps_with_indent_two():
    import json

    from hypothesis import given, settings

    from rulelint.reports.json_report import indented_json

    @settings(max_examples=300, deadline=None)
    @given(_json_values())
    def same(value):
        assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)

    same()
    assert indented_json({1: [], None: {}}) == json.dumps({1: [], None: {}}, indent=2)
    assert indented_json({"a": [1, {"b": None}]}, "\n  ") == json.dumps({"a": [1, {"b": None}]}, indent=2).replace("\n", "\n  ")
