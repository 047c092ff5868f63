"""Entry points of the language layer: ``parse`` and ``print_expression``."""

from __future__ import annotations


from .ast import Node
from .diagnostics import Diagnostic
from .printer import print_expression

__all__ = ["Diagnostic", "ParsedExpression", "parse", "print_expression"]


class ParsedExpression:
    """The result of parsing one expression: its typed tree (None when it does not parse)
    and its diagnostics. A result taken from the on-disk cache holds only the diagnostics and
    builds its tree the first time a check asks for it: most rules are only ever asked
    whether they are ``ok`` and what is wrong with them."""

    __slots__ = ("text", "context", "diagnostics", "_tree", "_tree_pending")

    def __init__(
        self,
        text: str,
        context: str,  # "filter" | "value" | "string"
        tree: Node | None,
        diagnostics: tuple[Diagnostic, ...],
        tree_pending: bool = False,
    ) -> None:
        self.text = text
        self.context = context
        self.diagnostics = diagnostics
        self._tree = tree
        self._tree_pending = tree_pending

    @property
    def tree(self) -> Node | None:
        if self._tree_pending:
            self._tree = _parse_uncached(self.text, self.context).tree
            self._tree_pending = False
        return self._tree

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParsedExpression):
            return NotImplemented
        return (self.text, self.context, self.tree, self.diagnostics) == (
            other.text,
            other.context,
            other.tree,
            other.diagnostics,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"ParsedExpression(text={self.text!r}, context={self.context!r}, "
            f"tree={self.tree!r}, diagnostics={self.diagnostics!r})"
        )


def parse(text: str, context: str = "filter") -> ParsedExpression:
    """Parse and type-check one expression. Never raises for bad input: problems are
    diagnostics. ``context`` is ``"filter"`` (must be Bool), ``"value"`` (one scalar value:
    Bytes, Int, Ip or Bool, as a request header set from an expression such as ``ip.src``) or
    ``"string"`` (must be Bytes, as URL rewrite and redirect target expressions). Nothing is
    cached here: a run memoises parses in its own ``analysis.ExpressionParser``."""
    return _parse_uncached(text, context)


def _parse_uncached(text: str, context: str = "filter") -> ParsedExpression:
    from .parser import parse_expression

    tree, diagnostics = parse_expression(text, context)
    return ParsedExpression(text, context, tree, diagnostics)
