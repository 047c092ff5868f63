"""GitHub Actions workflow commands (``--format github``).

One ``::error``/``::warning``/``::notice`` line per finding, then the full text report:
GitHub shows only the first ten annotations of each kind per step, the log shows everything.

Nothing a configuration holds may become a workflow command: messages and properties are
escaped as GitHub requires (``%``, CR, LF; and ``,`` ``:`` in properties), and the text report,
which quotes messages and source lines as written, is enclosed in ``::stop-commands::``.
"""

from __future__ import annotations

import hashlib
import re

from . import Report, encodable, relative_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


# Control characters other than CR and LF (which are escaped) have no place in an annotation.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _data(value: str) -> str:
    value = _CONTROL.sub("\ufffd", encodable(value))
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
    log = text.render(report)
    # The resume token is the digest of the text it encloses, which that text cannot contain.
    token = "rulelint-" + hashlib.sha256(log.encode("utf-8")).hexdigest()[:32]
    return f"{body}::stop-commands::{token}\n{log}::{token}::\n"
