"""Entry points of the language layer: ``parse`` and ``print_expression``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .ast import Node
from .diagnostics import Diagnostic
from .printer import print_expression

__all__ = ["Diagnostic", "ParsedExpression", "parse", "print_expression"]


@dataclass(frozen=True, slots=True)
class ParsedExpression:
    text: str
    context: str  # "filter" | "value" | "string"
    tree: Node | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


@lru_cache(maxsize=65536)
def parse(text: str, context: str = "filter") -> ParsedExpression:
    """Parse and type-check one expression. Never raises for bad input: problems are
    diagnostics. ``context`` is ``"filter"`` (must be Bool), ``"value"`` (one scalar value:
    Bytes, Int, Ip or Bool, as a request header set from an expression such as ``ip.src``) or
    ``"string"`` (must be Bytes, as URL rewrite and redirect target expressions). Results are
    cached per (text, context)."""
    from .parser import parse_expression

    tree, diagnostics = parse_expression(text, context)
    return ParsedExpression(text, context, tree, diagnostics)
