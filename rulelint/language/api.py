"""Entry points of the language layer. PLACEHOLDER: the parser helper replaces the body."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .ast import Node, Span


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


@dataclass(frozen=True, slots=True)
class ParsedExpression:
    text: str
    context: str  # "filter" | "value"
    tree: Node | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


@lru_cache(maxsize=65536)
def parse(text: str, context: str = "filter") -> ParsedExpression:
    raise NotImplementedError


def print_expression(node: Node) -> str:
    raise NotImplementedError
