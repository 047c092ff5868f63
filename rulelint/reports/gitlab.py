"""GitLab Code Quality JSON (``--format gitlab``): a JSON array of issues, no BOM."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from ..findings import fingerprint
from . import Report, encodable_json, relative_path

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def document(report: Report) -> list[dict]:
    seen: Counter[str] = Counter()
    issues = []
    for finding in report.findings:
        digest = fingerprint(finding)
        seen[digest] += 1
        loc = finding.location
        description = finding.message
        if report.suggestions and finding.suggestion is not None and finding.suggestion.expression:
            description += f" Suggested expression: {finding.suggestion.expression}"
        issues.append(
            {
                "description": description,
                "check_name": finding.check,
                "fingerprint": hashlib.md5(f"{digest}:{seen[digest]}".encode()).hexdigest(),
                "severity": SEVERITIES.get(finding.severity, "major"),
                "location": {
                    "path": relative_path(loc.file) or "",
                    "lines": {"begin": loc.line or 1, "end": loc.end_line or loc.line or 1},
                },
            }
        )
    return issues


def render(report: Report) -> str:
    return encodable_json(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
