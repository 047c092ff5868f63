"""GitHub Actions workflow commands (``--format github``).

One ``::error``/``::warning``/``::notice`` line per finding, then the full text report:
GitHub shows only the first ten annotations of each kind per step, the log shows everything.
"""

from __future__ import annotations

from . import Report, relative_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding, suggestions: bool = True) -> str:
    loc = finding.location
    props = []
    if loc.file:
        props.append(f"file={_property(relative_path(loc.file) or '')}")
    if loc.line:
        props.append(f"line={loc.line}")
        end_line = loc.end_line or loc.line
        if end_line != loc.line:
            props.append(f"endLine={end_line}")
        elif loc.column:  # columns only make sense on a single line
            props.append(f"col={loc.column}")
            if loc.end_column:
                props.append(f"endColumn={loc.end_column}")
    props.append(f"title={_property(f'rulelint {finding.check}')}")
    message = finding.message
    if suggestions and finding.suggestion is not None and finding.suggestion.expression:
        message += f"\nSuggested expression: {finding.suggestion.expression}"
    return f"::{COMMANDS.get(finding.severity, 'warning')} {','.join(props)}::{_data(message)}"


def render(report: Report) -> str:
    from . import text

    lines = [annotation(f, report.suggestions) for f in report.findings]
    body = "\n".join(lines) + ("\n" if lines else "")
    return body + text.render(report)
