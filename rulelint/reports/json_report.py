"""The JSON report (``--format json``): the versioned document described in docs/json-output.md."""

from __future__ import annotations

import json
from typing import Any, Iterator

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
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report's text piece by piece, exactly as ``json.dumps(document(report), indent=2)``
    writes it, one finding at a time: at 100,000 rules the whole document as dicts and then
    as one string was some 300 MB of a run's peak memory (docs/performance.md)."""
    if report.statistics:
        yield encodable_json(indented_json(statistics_document(report))) + "\n"
        return
    head = indented_json({"version": JSON_VERSION, "tool": {"name": "rulelint", "version": __version__}})
    yield head[: -len("\n}")] + ',\n  "findings": ['
    for index, finding in enumerate(report.findings):
        text = indented_json(finding_document(finding, report.suggestions), "\n    ")
        yield ("," if index else "") + "\n    " + encodable_json(text)
    summary = {
        "files": len(report.files), "skipped_files": len(report.skipped), "rules": report.rule_count,
        "findings": report.counts(),
    }
    yield ("\n  ]" if report.findings else "]") + ',\n  "summary": ' + indented_json(summary, "\n  ") + "\n}\n"


def indented_json(value: Any, newline: str = "\n") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, each line break written as
    ``newline`` (a deeper start). The standard library indents in pure Python, one generator
    step per token: this is three times faster on reports, and a property test holds it to
    ``json.dumps`` on arbitrary JSON values."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):  # bool is handled above
        return int.__repr__(value)  # as json writes an int
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        if not all(isinstance(key, str) for key in value):  # int or None keys: as json writes them
            return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)
        return (
            "{" + inner
            + ("," + inner).join(_string(key) + ": " + indented_json(item, inner) for key, item in value.items())
            + newline + "}"
        )
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join(indented_json(item, inner) for item in value) + newline + "]"
    return json.dumps(value, ensure_ascii=False)  # numbers, and anything json.dumps would refuse


_string = json.encoder.encode_basestring  # the C function json.dumps uses with ensure_ascii=False
