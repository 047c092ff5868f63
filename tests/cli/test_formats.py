"""Every report format, end to end on fixtures/cli/mixed (findings of every severity), against
golden files a person can read (pretty JSON, the text report without colours)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import SHARED, assert_golden

GOLDEN_FILES = {
    "text": "mixed.txt",
    "json": "mixed.json",
    "sarif": "mixed.sarif",
    "github": "mixed.github.txt",
    "junit": "mixed.junit.xml",
    "gitlab": "mixed.gitlab.json",
}


@pytest.mark.parametrize("format_name", list(GOLDEN_FILES))
def test_golden_report(rulelint, format_name):
    run = rulelint("check", "mixed", "--format", format_name)
    assert run.code == 1, run.err
    assert "\x1b[" not in run.out  # no colour codes off a terminal
    out = run.out
    if format_name == "sarif":
        out = _without_doc_pages(out)
    assert_golden(GOLDEN_FILES[format_name], out)


def _without_doc_pages(sarif: str) -> str:
    """The SARIF text with each rule's help (its whole doc page) replaced by a marker, after
    checking it is the page: the golden file then does not change whenever a page is edited.
    The repository root's URI (the git work tree holding the working directory, else the
    working directory) is replaced by a marker too."""
    from pathlib import Path

    from rulelint.resources import doc_link, doc_page

    document = json.loads(sarif)
    bases = document["runs"][0]["originalUriBaseIds"]
    top = next((d for d in (Path.cwd(), *Path.cwd().parents) if (d / ".git").exists()), Path.cwd())
    assert bases["%SRCROOT%"]["uri"] == top.as_uri() + "/"
    bases["%SRCROOT%"]["uri"] = "file:///<root>/"
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        page = doc_page(rule["id"])
        if page is not None:
            assert rule["help"] == {"text": page, "markdown": page}
    # The catalogue lists every check; the golden keeps only the rules its results use, so a
    # new check does not rewrite this file. Each result's ruleIndex must point at its rule.
    used = []
    for result in run["results"]:
        assert rules[result.pop("ruleIndex")]["id"] == result["ruleId"]
        if result["ruleId"] not in used:
            used.append(result["ruleId"])
    assert [rule["id"] for rule in rules][: len(rules)] and set(used) <= {rule["id"] for rule in rules}
    run["tool"]["driver"]["rules"] = [
        {**rule, "help": f"<docs/{doc_link(rule['id'])}>"} if doc_page(rule["id"]) is not None else rule
        for rule in rules if rule["id"] in used
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_fixture_has_every_severity(rulelint):
    document = json.loads(rulelint("check", "mixed", "--format", "json").out)
    assert {f["severity"] for f in document["findings"]} == {"error", "warning", "info"}
    counts = document["summary"]["findings"]
    assert counts == {s: sum(f["severity"] == s for f in document["findings"]) for s in ("error", "warning", "info")}
    assert document["summary"]["files"] == 2  # zone.json and the unreadable broken.json


def test_json_document_shape(rulelint):
    document = json.loads(rulelint("check", "mixed", "--format", "json").out)
    assert list(document) == ["version", "tool", "findings", "summary"]
    assert document["version"] == 1
    assert document["tool"]["name"] == "rulelint"
    for finding in document["findings"]:
        assert list(finding) == ["rule", "severity", "message", "location", "suggestion", "related"]
        assert list(finding["location"]) == [
            "file", "line", "column", "end_line", "end_column", "pointer", "address", "zone", "rule_id", "rule_ref",
        ]
    marker = next(f for f in document["findings"] if f["rule"] == "suppression-without-reason")
    assert marker["location"]["file"] == "mixed/zone.json"
    assert marker["location"]["zone"] == "example.com"
    assert marker["location"]["rule_id"] == "7b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
    assert marker["location"]["rule_ref"] == "partner_webhook"
    assert marker["location"]["pointer"] == "/zones/0/rulesets/entrypoints/http_request_firewall_custom/rules/1"
    assert marker["location"]["address"] is None
    assert marker["suggestion"] is None


def test_sarif_validates_against_the_schema(rulelint):
    import jsonschema

    schema = json.loads((SHARED / "spec" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    document = json.loads(rulelint("check", "mixed", "--format", "sarif").out)
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    for result in run["results"]:
        rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert result["partialFingerprints"]["primaryLocationLineHash"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
    assert rules["broad-skip"]["properties"]["security-severity"] == "8.0"
    from rulelint.pipeline.catalogue import catalogue

    assert list(rules) == list(catalogue())  # every finding id a user can see, in catalogue order
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["invalid-input"] == "error" and levels["unused-suppression"] == "note"


def test_sarif_of_a_clean_run_is_valid_too(rulelint):
    import jsonschema

    schema = json.loads((SHARED / "spec" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    run = rulelint("check", "clean", "--format", "sarif")
    assert run.code == 0
    document = json.loads(run.out)
    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)
    assert document["runs"][0]["results"] == []


def test_junit_is_well_formed_and_counts_failures(rulelint):
    root = ET.fromstring(rulelint("check", "mixed", "--format", "junit").out)
    document = json.loads(rulelint("check", "mixed", "--format", "json").out)
    failing = [f for f in document["findings"] if f["severity"] in ("error", "warning")]  # the default --fail-on
    assert int(root.get("failures")) == len(failing) < len(document["findings"])
    assert int(root.get("tests")) == len(document["findings"])
    clean = ET.fromstring(rulelint("check", "clean", "--format", "junit").out)
    assert clean.get("failures") == "0" and clean.get("tests") == "1"


def test_gitlab_fingerprints_are_unique(rulelint):
    issues = json.loads(rulelint("check", "mixed", "--format", "gitlab").out)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["severity"] for issue in issues} <= {"info", "minor", "major", "critical", "blocker"}


def test_github_annotations_then_full_report(rulelint):
    out = rulelint("check", "mixed", "--format", "github").out
    lines = out.splitlines()
    assert lines[0] == "::error file=mixed/broken.json,line=2,col=35,title=rulelint invalid-input::invalid JSON: unexpected end of file (an object, array or string is not closed)"
    assert any(line.startswith("::error file=mixed/zone.json,line=37,col=27,endColumn=37,") for line in lines)
    assert "mixed/broken.json:2:35: error invalid-input invalid JSON: unexpected end of file (an object, array or string is not closed)" in lines


def test_output_file_gets_the_report_and_stdout_stays_empty(rulelint, tmp_path):
    target = tmp_path / "report.sarif"
    run = rulelint("check", "mixed", "--format", "sarif", "--output", str(target))
    assert run.code == 1 and run.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_color_only_when_forced(rulelint):
    import re

    colour = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-8]|9[0-7])(?:;[0-9]+)*m")  # a foreground colour
    assert colour.search(rulelint("check", "mixed", env={"FORCE_COLOR": "1"}).out)
    # NO_COLOR wins over FORCE_COLOR, and leaves no escape code at all (bold and dim neither).
    plain = rulelint("check", "mixed", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).out
    assert "\x1b" not in plain
    assert plain == rulelint("check", "mixed").out


def test_minified_export_text_report_is_bounded_per_finding(rulelint, tmp_path):
    """A one-line export (as minified API output is): each finding shows a window of the line,
    never the whole line, so the report grows with the findings, not with findings × line."""
    rules = [
        {
            "id": f"{i:032x}",
            "action": "skip",
            "action_parameters": {"ruleset": "current"},
            "expression": "true",
            "description": f"rule {i} " + "d" * 300,
        }
        for i in range(200)
    ]
    zone = {"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "example.com", "plan": "pro"}
    bundle = {
        "bundle_format": "rulelint.zone-bundle/1",
        "zones": [{"zone": zone, "rulesets": {"entrypoints": {"http_request_firewall_custom": {
            "id": "2f2feab2026849078ba485f918791bdc", "kind": "zone", "phase": "http_request_firewall_custom", "rules": rules,
        }}}}],
    }
    text = json.dumps(bundle, separators=(",", ":"))
    (tmp_path / "min.json").write_text(text, encoding="utf-8")
    run = rulelint("check", "min.json", "--select", "broad-skip", "--no-suggestions", cwd=tmp_path)
    findings = json.loads(rulelint("check", "min.json", "--select", "broad-skip", "--format", "json", cwd=tmp_path).out)["findings"]
    assert run.code == 1 and len(findings) == 200 and len(text) > 60_000
    assert len(run.out) < 200 * 1500  # the whole line each time would be 200 × 70 KB
    excerpts = [line for line in run.out.splitlines() if line.startswith("1 | ")]
    assert len(excerpts) == 200 and all(len(line) <= 4 + 160 + 2 for line in excerpts)
