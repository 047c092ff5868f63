"""expression-warning: every warning or note the language layer raises about an expression
that is not an error and has no check of its own (today: a TAB between tokens, which
Cloudflare's parser rejects although many editors insert it). Errors are
``invalid-expression``; deprecated fields are ``deprecated-field``.
See docs/checks/expression-warning.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..language import ParsedExpression
    from ..model import Expression, Zone

from ..findings import Finding, Suggestion
from ..analysis.expressions import printed_without, sentence
from .base import Check, CheckContext

# The language layer's code for a deprecated field (reported by deprecated-field, not here).
DEPRECATED = "deprecated-field"

#: Codes whose fix is to print the expression again with rulelint's printer (single spaces).
_REPRINT_FIXES = {"tab-character"}


class ExpressionWarning(Check):
    id = "expression-warning"
    severity = "warning"
    security = False  # about upkeep or coverage, not a hole in the zone
    summary = "The language layer warns about an expression (a TAB between tokens, and similar)."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        for expression, rule_id, rule_ref, parsed in ctx.facts(zone).expressions:
            if parsed is None:
                continue
            for diagnostic in parsed.diagnostics:
                if diagnostic.severity == "error" or diagnostic.code == DEPRECATED:
                    continue
                fix = _reprinted(expression, parsed, diagnostic.code) if ctx.suggestions else None
                yield self.finding(
                    "info" if diagnostic.severity == "info" else "warning",
                    sentence(diagnostic.message, diagnostic.hint),
                    ctx.expression_location(expression, diagnostic.span, zone, rule_id, rule_ref),
                    fix,
                    expression.text,
                )


def _reprinted(expression: Expression, parsed: ParsedExpression, code: str) -> Suggestion | None:
    """The expression as rulelint prints it, when that clears ``code`` and parses cleanly."""
    if code not in _REPRINT_FIXES or parsed.tree is None or not parsed.ok:
        return None
    text = printed_without(parsed.tree, expression.context, code)
    if text is None:
        return None
    return Suggestion(expression=text, note="the same expression with single spaces between tokens")
