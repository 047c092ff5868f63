"""Every Rules-language expression a zone holds, once each, with the rule it belongs to.

``invalid-expression``, ``deprecated-field`` and ``expression-warning`` report what the
language layer says about each expression; they walk the same list, so an expression written
once is reported once, whichever reader produced it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from ..language import ParsedExpression
    from ..language.ast import Node
    from ..model import Expression, Zone


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


def parsed_or_none(expression: Expression) -> ParsedExpression | None:
    """The parse of ``expression``, or None while the parser is not available."""
    from .base import CheckContext

    try:
        return CheckContext.parsed(expression)
    except NotImplementedError:
        return None


def sentence(message: str, hint: str | None = None) -> str:
    """A diagnostic's message (and hint, in parentheses) as one sentence ending in a full stop."""
    if hint:
        message = f"{message.rstrip('.')} ({hint})"
    return message if message.endswith(".") else message + "."


def printed_without(tree: Node, context: str, code: str) -> str | None:
    """``tree`` printed by rulelint, when the text parses and type-checks in ``context`` and
    the language layer no longer reports ``code`` for it; otherwise None."""
    from ..language import parse, print_expression

    try:
        text = print_expression(tree)
        again = parse(text, context)
    except Exception:  # a printer bug must never become a traceback
        return None
    if not again.ok or any(d.code == code for d in again.diagnostics):
        return None
    return text
