"""SARIF 2.1.0 as GitHub code scanning ingests it (``--format sarif``).

Code scanning ignores ``fixes``, so a suggested narrower expression is written into the result's
message text. ``partialFingerprints.primaryLocationLineHash`` is built from the finding's
position-free identity (see ``rulelint.pipeline.baseline``), so alerts survive lines moving.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..version import __version__
from ..findings import fingerprint
from . import Report, relative_path
from .catalogue import CheckInfo, doc_page, first_paragraph

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
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


def _location(finding) -> dict[str, Any]:
    loc = finding.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(loc.file)}}
    if loc.line:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column:
            region["startColumn"] = loc.column
        region["endLine"] = loc.end_line or loc.line
        if loc.end_column:
            region["endColumn"] = loc.end_column
        elif loc.column:
            region["endColumn"] = loc.column + 1
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = loc.address or loc.pointer
    if logical:
        location["logicalLocations"] = [{"fullyQualifiedName": logical}]
    return location


def document(report: Report) -> dict[str, Any]:
    used = {f.check for f in report.findings}
    ids = list(report.checks) + sorted(used - set(report.checks))
    rules = [_rule(report.check_info(check_id)) for check_id in ids]
    index = {check_id: i for i, check_id in enumerate(ids)}
    seen: Counter[str] = Counter()
    results = []
    for finding in report.findings:
        digest = fingerprint(finding)
        seen[digest] += 1
        results.append(
            {
                "ruleId": finding.check,
                "ruleIndex": index[finding.check],
                "level": LEVELS.get(finding.severity, "warning"),
                "message": {"text": _message(finding, report.suggestions)},
                "locations": [_location(finding)],
                "partialFingerprints": {"primaryLocationLineHash": f"{digest}:{seen[digest]}"},
            }
        )
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
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def _artifact_uri(file: str | None) -> str:
    """A URI reference for the file: relative paths percent-encoded, files outside the working
    directory as ``file://`` URIs, and standard input under a name GitHub can show."""
    from pathlib import Path
    from urllib.parse import quote

    path = relative_path(file)
    if path is None:
        return "unknown"
    if path == "<stdin>":
        return "stdin"
    if path.startswith("/") or path.startswith(".."):
        return Path(file).resolve().as_uri()
    return quote(path)
