"""Every Rules-language expression a zone holds, once each, and the run's parser of them.

``invalid-expression``, ``deprecated-field`` and ``expression-warning`` report what the
language layer says about each expression; they walk the same list, so an expression written
once is reported once, whichever reader produced it. ``ExpressionParser`` parses each distinct
text once per run (real exports repeat expressions across rules and zones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol, TypeVar

from ..language import ParsedExpression, parse

if TYPE_CHECKING:  # pragma: no cover
    from ..language.ast import Node
    from ..model import Expression, Zone


T = TypeVar("T")


class ParseStore(Protocol):
    """An on-disk store of parse verdicts (the pipeline's parse cache)."""

    def lookup(self, text: str, context: str) -> ParsedExpression | None: ...

    def remember(self, parsed: ParsedExpression) -> None: ...


class ExpressionParser:
    """``language.parse`` with a memo for one run, backed by an optional on-disk ``store``.

    The memo keeps every distinct expression's verdict (its diagnostics) for the whole run,
    but a tree only as long as a zone still to be checked holds the expression: trees are
    most of what checking allocates (at 100,000 rules, about 3 KiB per rule checked), and
    most expressions are written in one zone only. ``expect`` counts the uses ahead,
    ``release_trees`` (after each zone) keeps the verdict alone of every expression no zone
    ahead holds; a tree asked for again is rebuilt from the text.
    """

    __slots__ = ("memo", "store", "facts", "_used", "_ahead")

    def __init__(self, store: ParseStore | None = None) -> None:
        self.memo: dict[tuple[str, str], ParsedExpression] = {}
        self.store = store
        self.facts: dict[tuple[str, str, str], object] = {}
        # Memo keys handed out since the last ``release_trees`` (their entries may hold a tree).
        self._used: set[tuple[str, str]] = set()
        # Memo key -> how many zones still to be checked hold that expression (``expect``).
        self._ahead: dict[tuple[str, str], int] = {}

    def derived(self, what: str, expression: Expression, compute: Callable[[], T]) -> T:
        """A fact worked out from one expression's text (``what`` names it: "hosts"), once per
        run: several checks ask the same of every expression of every zone, and real exports
        repeat the same text across rules and zones."""
        key = (what, expression.text, expression.context)
        try:
            return self.facts[key]  # type: ignore[return-value]
        except KeyError:
            value = self.facts[key] = compute()
            return value

    def parse(self, text: str, context: str = "filter") -> ParsedExpression:
        key = (text, context)
        self._used.add(key)
        found = self.memo.get(key)
        if found is not None:
            return found
        store = self.store
        if store is not None:
            found = store.lookup(text, context)
        if found is None:
            found = parse(text, context)
            if store is not None:
                store.remember(found)
        self.memo[key] = found
        return found

    def expect(self, zones: Iterable[Zone]) -> None:
        """Count the expressions of the ``zones`` about to be checked, in order, so each tree
        is kept until the last of them that holds its expression has been checked."""
        ahead = self._ahead
        for zone in zones:
            for key in _keys(zone):
                ahead[key] = ahead.get(key, 0) + 1

    def release_trees(self, zone: Zone | None = None) -> None:
        """``zone`` has been checked: keep only the verdicts of the expressions parsed since
        the last call that no zone ahead holds (a tree asked for again is parsed again)."""
        ahead = self._ahead
        if zone is not None and ahead:
            for key in _keys(zone):
                left = ahead.get(key, 0) - 1
                if left > 0:
                    ahead[key] = left
                else:
                    ahead.pop(key, None)
        memo, kept = self.memo, set()
        for key in self._used:
            if key in ahead:
                kept.add(key)  # still to come: looked at again when a later zone is done
            else:
                parsed = memo[key]
                memo[key] = ParsedExpression(parsed.text, parsed.context, None, parsed.diagnostics, tree_pending=True)
        self._used = kept

    def tree(self, expression: Expression | None) -> Node | None:
        """The tree of a filter expression that parses without errors, else None (the
        ``invalid-expression`` check reports the errors; other checks skip what they cannot read)."""
        if expression is None or expression.unresolved:
            return None
        parsed = self.parse(expression.text, expression.context)
        return parsed.tree if parsed.ok else None


def _keys(zone: Zone) -> set[tuple[str, str]]:
    """The memo keys of the expressions ``zone`` holds (once each)."""
    return {(expression.text, expression.context) for expression, _, _ in zone.expressions()
            if not expression.unresolved}


def zone_expressions(zone: Zone) -> Iterator[tuple[Expression, str | None, str | None]]:
    """(expression, rule id, rule ref) for every resolved expression of ``zone``, skipping
    repeats of the same text at the same place (a filter read both on its own and inside
    the Firewall Rule that uses it)."""
    seen: set[tuple] = set()
    for expression, rule_id, rule_ref in zone.expressions():
        origin = expression.origin
        key = (origin.file, origin.line, origin.column, expression.text)
        if expression.unresolved or key in seen:
            continue
        seen.add(key)
        yield expression, rule_id, rule_ref


def sentence(message: str, hint: str | None = None) -> str:
    """A diagnostic's message (and hint, in parentheses) as one sentence ending in a full stop."""
    if hint:
        message = f"{message.rstrip('.')} ({hint})"
    return message if message.endswith(".") else message + "."


def printed_without(tree: Node, context: str, code: str) -> str | None:
    """``tree`` printed by rulelint, when the text parses and type-checks in ``context`` and
    the language layer no longer reports ``code`` for it; otherwise None."""
    from ..language import print_expression

    try:
        text = print_expression(tree)
        again = parse(text, context)
    except Exception:  # a printer bug must never become a traceback
        return None
    if not again.ok or any(d.code == code for d in again.diagnostics):
        return None
    return text
