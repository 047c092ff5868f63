"""JUnit XML (``--format junit``) for CI systems that show test reports.

One ``<testsuite>`` per input file, one ``<testcase>`` per finding: failing when the finding is
at or above the fail level (``--fail-on``), passing with the finding as its output below it; a
file without findings gets one passing test case, so a clean run is not an empty report.
Text XML 1.0 cannot hold (control characters, lone surrogates) is replaced, so the document is
always well-formed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from . import Report, encodable, relative_path

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    text = encodable(text)
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def _place(finding) -> str:
    loc = finding.location
    place = relative_path(loc.file) or "<input>"
    if loc.line:
        place += f":{loc.line}"
        if loc.column:
            place += f":{loc.column}"
    return place


def _body(finding, suggestions: bool) -> str:
    loc = finding.location
    body = [f"{_place(finding)}: {finding.severity} {finding.check} {finding.message}"]
    if loc.zone:
        body.append(f"zone: {loc.zone}")
    if loc.address or loc.pointer:
        body.append(f"object: {loc.address or loc.pointer}")
    for related in finding.related:
        where = relative_path(related.location.file) or related.location.address or related.location.pointer or ""
        if related.location.line:
            where += f":{related.location.line}"
        body.append(f"related: {where}: {related.message}" if where else f"related: {related.message}")
    if suggestions and finding.suggestion is not None and finding.suggestion.expression:
        body.append(f"suggested expression: {finding.suggestion.expression}")
    return xml_text("\n".join(body))


def render(report: Report) -> str:
    by_file: dict[str, list] = {relative_path(f) or f: [] for f in report.files}
    for finding in report.findings:
        by_file.setdefault(relative_path(finding.location.file) or "<input>", []).append(finding)
    root = ET.Element("testsuites", name="rulelint", tests="0", failures="0", errors="0")
    total = failures = 0
    for file, findings in by_file.items():
        name = xml_text(file)
        failing = sum(1 for finding in findings if report.fails(finding))
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(max(1, len(findings))))
        suite.set("failures", str(failing))
        suite.set("errors", "0")
        if not findings:
            ET.SubElement(suite, "testcase", name="rulelint", classname=name)
            total += 1
        for finding in findings:
            case = ET.SubElement(suite, "testcase", name=xml_text(f"{finding.check} {_place(finding)}"), classname=name)
            if report.fails(finding):
                failure = ET.SubElement(case, "failure", message=xml_text(finding.message), type=finding.severity)
                failure.text = _body(finding, report.suggestions)
            else:
                ET.SubElement(case, "system-out").text = _body(finding, report.suggestions)
        total += len(findings)
        failures += failing
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
