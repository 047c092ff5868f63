"""The Diagnostic record (re-exported by ``rulelint.language``)."""

from __future__ import annotations

from dataclasses import dataclass

from .ast import Span


@dataclass(frozen=True, slots=True)
class Diagnostic:
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
