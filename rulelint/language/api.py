"""Entry points of the language layer: ``parse`` and ``print_expression``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ast import Node
from .diagnostics import Diagnostic
from .printer import print_expression

if TYPE_CHECKING:
    from ..parse_cache import ParseCache

__all__ = ["Diagnostic", "ParsedExpression", "parse", "print_expression", "use_parse_cache"]


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


# Every (text, context) parsed in this process; real exports repeat expressions across rules
# and zones, and several checks ask for the same rule.
_MEMO: dict[tuple[str, str], ParsedExpression] = {}
_STORE: ParseCache | None = None


def parse(text: str, context: str = "filter") -> ParsedExpression:
    """Parse and type-check one expression. Never raises for bad input: problems are
    diagnostics. ``context`` is ``"filter"`` (must be Bool), ``"value"`` (one scalar value:
    Bytes, Int, Ip or Bool, as a request header set from an expression such as ``ip.src``) or
    ``"string"`` (must be Bytes, as URL rewrite and redirect target expressions). Results are
    kept per (text, context) for the life of the process, and in the on-disk cache when one
    is in use (``use_parse_cache``)."""
    key = (text, context)
    found = _MEMO.get(key)
    if found is not None:
        return found
    store = _STORE
    if store is not None:
        found = store.lookup(text, context)
    if found is None:
        found = _parse_uncached(text, context)
        if store is not None:
            store.remember(found)
    _MEMO[key] = found
    return found


def _parse_uncached(text: str, context: str = "filter") -> ParsedExpression:
    from .parser import parse_expression

    tree, diagnostics = parse_expression(text, context)
    return ParsedExpression(text, context, tree, diagnostics)


def _clear_memo() -> None:
    _MEMO.clear()


# The names benchmarks and tests know from functools.lru_cache.
parse.__wrapped__ = _parse_uncached  # type: ignore[attr-defined]
parse.cache_clear = _clear_memo  # type: ignore[attr-defined]


def use_parse_cache(store: ParseCache | None) -> None:
    """Read parse results from, and add new ones to, ``store`` (None: stop using one)."""
    global _STORE
    _STORE = store
