"""Input problems, reported as findings (``invalid-input``, ``unknown-value``,
``unresolved-interpolation``) so a bad file is a diagnostic and never a traceback."""

from __future__ import annotations

from ..findings import Finding, Location

INVALID_INPUT = "invalid-input"
UNKNOWN_VALUE = "unknown-value"
UNRESOLVED = "unresolved-interpolation"


class Problems:
    """Collects the input findings of one run."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def at(self, check: str, severity: str, message: str, file: str | None, line: int | None = None,
           column: int | None = None, **extra) -> None:
        self.findings.append(Finding(check, severity, message, Location(file=file, line=line, column=column, **extra)))

    def node(self, check: str, severity: str, message: str, node, expression: str | None = None) -> None:
        """A finding located at a ``Node`` (its span, pointer and address)."""
        origin = node.origin()
        location = Location(
            file=origin.file, line=origin.line, column=origin.column, end_line=origin.end_line,
            end_column=origin.end_column, pointer=origin.pointer, address=origin.address,
        )
        self.findings.append(Finding(check, severity, message, location, expression=expression))

    def unknown(self, node, what: str, value, known=None) -> None:
        message = f"unknown {what} {value!r}: kept as written, not analysed"
        self.node(UNKNOWN_VALUE, "info", message, node)
