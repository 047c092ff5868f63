"""Reports built by hand: the smallest findings that show a report's behaviour, no pipeline."""

from __future__ import annotations

import io

from rulelint.findings import CheckInfo, Finding, Location, Related, Suggestion
from rulelint.reports import Report, write

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
CHECKS = {
    "broad-skip": CheckInfo("broad-skip", "error", "A skip rule turns off protection for too much traffic."),
    "invalid-input": CheckInfo("invalid-input", "error", "An input file could not be read.", False),
}


def finding(
    message: str = "Skip rule turns off everything.",
    *,
    check: str = "broad-skip",
    severity: str = "error",
    file: str | None = "zone.json",
    line: int | None = 1,
    column: int | None = 1,
    end_column: int | None = None,
    zone: str | None = "example.com",
    suggestion: Suggestion | None = None,
    related: tuple[Related, ...] = (),
) -> Finding:
    location = Location(file=file, line=line, column=column, end_line=line, end_column=end_column, zone=zone)
    return Finding(check, severity, message, location, suggestion, related=related)


def report(findings: list[Finding], texts: dict[str, str] | None = None, **fields) -> Report:
    """A report over ``findings`` whose input texts are ``texts`` (by file name)."""
    files = sorted({f.location.file for f in findings if f.location.file})
    fields.setdefault("checks", dict(CHECKS))
    return Report(findings=findings, files=files, rule_count=len(findings), source_text=(texts or {}).get, **fields)


def written(format_name: str, built: Report) -> str:
    """The report as a strict UTF-8 stream receives it (an unencodable character raises)."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n")
    write(format_name, built, stream)
    stream.flush()
    return raw.getvalue().decode("utf-8")
