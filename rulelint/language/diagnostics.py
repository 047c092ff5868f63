"""The Diagnostic record (re-exported by ``rulelint.language``)."""

from __future__ import annotations

from ..records import Record, record, set_field
from .ast import Span


@record
class Diagnostic(Record):
    """One problem in an expression.

    ``code`` is stable and kebab-case (``unknown-field``, ``type-mismatch``, ``syntax``, …);
    ``severity`` is ``error``, ``warning`` or ``info``; ``span`` points into the expression
    text; ``hint`` is a did-you-mean or a replacement when there is one.
    """

    code: str
    severity: str
    message: str
    span: Span
    hint: str | None = None

    def __init__(self, code: str, severity: str, message: str, span: Span, hint: str | None = None) -> None:
        set_field(self, "code", code)
        set_field(self, "severity", severity)
        set_field(self, "message", message)
        set_field(self, "span", span)
        set_field(self, "hint", hint)
