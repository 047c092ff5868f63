"""The JSON report (``--format json``): the versioned document described in docs/json-output.md."""

from __future__ import annotations

import json
from typing import Any

from ..version import __version__
from ..findings import Finding, Location
from . import Report, encodable_json

JSON_VERSION = 1


def location_document(loc: Location) -> dict[str, Any]:
    return {
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "pointer": loc.pointer,
        "address": loc.address,
        "zone": loc.zone,
        "rule_id": loc.rule_id,
        "rule_ref": loc.rule_ref,
    }


def finding_document(finding: Finding, suggestions: bool = True) -> dict[str, Any]:
    suggestion = finding.suggestion if suggestions else None
    return {
        "rule": finding.check,
        "severity": finding.severity,
        "message": finding.message,
        "location": location_document(finding.location),
        "suggestion": None
        if suggestion is None
        else {
            "expression": suggestion.expression,
            "action_parameters": suggestion.action_parameters,
            "note": suggestion.note,
        },
        "related": [
            {"message": related.message, "location": location_document(related.location)}
            for related in finding.related
        ],
    }


def document(report: Report) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "tool": {"name": "rulelint", "version": __version__},
        "findings": [finding_document(f, report.suggestions) for f in report.findings],
        "summary": {
            "files": len(report.files), "skipped_files": len(report.skipped), "rules": report.rule_count,
            "findings": report.counts(),
        },
    }


def statistics_document(report: Report) -> list[dict[str, Any]]:
    return [{"rule": check, "severity": severity, "count": n} for check, severity, n in report.per_check()]


def render(report: Report) -> str:
    data: Any = statistics_document(report) if report.statistics else document(report)
    return encodable_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
