"""SARIF 2.1.0 as GitHub code scanning ingests it (``--format sarif``).

Code scanning ignores ``fixes``, so a suggested narrower expression is written into the result's
message text. ``partialFingerprints.primaryLocationLineHash`` is built from the finding's
position-free identity (``rulelint.findings.fingerprint``), so alerts survive lines moving.
Artifact URIs are relative to the repository root (``%SRCROOT%``) so alerts land on the files
GitHub knows; findings an inline marker suppressed stay as results with a ``suppressions``
entry, so code scanning closes their alerts instead of forgetting them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any
from urllib.parse import quote

from ..version import __version__
from ..findings import CheckInfo, Finding, Location, fingerprint
from ..resources import doc_link, doc_page, first_paragraph
from . import Report, encodable, encodable_json

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY = "https://github.com/rulelint/rulelint"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# Scores GitHub maps to high / medium / low security severity.
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}


def _rule(info: CheckInfo) -> dict[str, Any]:
    page = doc_page(info.id)
    full = (first_paragraph(page) if page else "") or info.summary
    help_text = page or f"{info.summary}\n\nSee `rulelint explain {info.id}`."
    properties: dict[str, Any] = {"tags": ["security", "cloudflare"] if info.security else ["rulelint"]}
    if info.security:
        properties["security-severity"] = SECURITY_SEVERITY.get(info.severity, "5.0")
    else:
        properties["problem.severity"] = "error" if info.severity == "error" else "recommendation"
    return {
        "id": info.id,
        "name": info.id,
        "shortDescription": {"text": info.summary[:1024]},
        "fullDescription": {"text": full[:1024]},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": f"{REPOSITORY}/blob/main/docs/{quote(doc_link(info.id))}",
        "defaultConfiguration": {"level": LEVELS.get(info.severity, "warning")},
        "properties": properties,
    }


def _message(finding, suggestions: bool) -> str:
    text = finding.message
    suggestion = finding.suggestion if suggestions else None
    if suggestion is not None:
        if suggestion.expression:
            text += f"\n\nSuggested expression: {suggestion.expression}"
        if suggestion.action_parameters:
            text += "\n\nNarrower action_parameters: " + json.dumps(suggestion.action_parameters, sort_keys=True)
        if suggestion.note:
            text += f"\n\n{suggestion.note}"
    loc = finding.location
    context = [f"zone {loc.zone}" if loc.zone else None, loc.address or loc.pointer]
    context = [c for c in context if c]
    if context:
        text += "\n\n(" + ", ".join(context) + ")"
    return text


class _Artifacts:
    """Artifact URIs: relative to the repository root (``%SRCROOT%``) for an input inside it,
    an absolute ``file://`` URI otherwise, and standard input under a name GitHub can show."""

    def __init__(self, root: str | None) -> None:
        self.root = os.path.abspath(root or os.curdir)

    def root_uri(self) -> str:
        uri = _file_uri(self.root)
        return uri if uri.endswith("/") else uri + "/"

    def location(self, file: str | None) -> dict[str, Any]:
        if file is None:
            return {"uri": "unknown"}
        if file in ("-", "<stdin>"):
            return {"uri": "stdin"}
        path = os.path.abspath(file)
        try:
            relative = os.path.relpath(path, self.root)
        except ValueError:  # another drive on Windows
            relative = os.pardir
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return {"uri": _file_uri(path)}
        return {"uri": _quote(relative.replace(os.sep, "/")), "uriBaseId": SRCROOT}


def _quote(path: str) -> str:
    """``path`` percent-encoded as UTF-8; a file name's undecodable bytes as themselves."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        raw = encodable(path).encode("utf-8")
    return quote(raw)


def _file_uri(path: str) -> str:
    return "file://" + ("" if path.startswith("/") else "/") + _quote(path.replace(os.sep, "/"))


def _region(loc: Location) -> dict[str, Any] | None:
    if not loc.line:
        return None
    region: dict[str, Any] = {"startLine": loc.line}
    if loc.column:
        region["startColumn"] = loc.column
    region["endLine"] = loc.end_line or loc.line
    if loc.end_column:
        region["endColumn"] = loc.end_column
    elif loc.column:
        region["endColumn"] = loc.column + 1
    return region


def _location(loc: Location, artifacts: _Artifacts) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifacts.location(loc.file)}
    region = _region(loc)
    if region is not None:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = loc.address or loc.pointer
    if logical:
        location["logicalLocations"] = [{"fullyQualifiedName": logical}]
    return location


def _result(finding: Finding, report: Report, index: dict[str, int], artifacts: _Artifacts, key: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.check,
        "ruleIndex": index[finding.check],
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": _message(finding, report.suggestions)},
        "locations": [_location(finding.location, artifacts)],
        "partialFingerprints": {"primaryLocationLineHash": key},
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, **_location(related.location, artifacts), "message": {"text": related.message}}
            for i, related in enumerate(finding.related, start=1)
        ]
    return result


def document(report: Report) -> dict[str, Any]:
    suppressed = [finding for finding, _ in report.suppressed]
    used = {f.check for f in report.findings} | {f.check for f in suppressed}
    ids = list(report.checks) + sorted(used - set(report.checks))
    rules = [_rule(report.check_info(check_id)) for check_id in ids]
    index = {check_id: i for i, check_id in enumerate(ids)}
    artifacts = _Artifacts(report.root)
    seen: Counter[str] = Counter()

    def key(finding: Finding) -> str:
        digest = fingerprint(finding)
        seen[digest] += 1
        return f"{digest}:{seen[digest]}"

    results = [_result(f, report, index, artifacts, key(f)) for f in report.findings]
    for finding, reason in report.suppressed:
        result = _result(finding, report, index, artifacts, key(finding))
        suppression = {"kind": "inSource", "status": "accepted"}
        if reason:
            suppression["justification"] = reason
        result["suppressions"] = [suppression]
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rulelint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPOSITORY,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": report.category},
                "originalUriBaseIds": {SRCROOT: {"uri": artifacts.root_uri()}},
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render(report: Report) -> str:
    return encodable_json(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
