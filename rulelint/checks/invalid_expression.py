"""invalid-expression: every error the language layer finds in an expression (syntax, unknown
field or function, type mismatch), at its exact position in the file. Other checks skip an
expression that does not parse. Only error-severity diagnostics are reported here: warnings go
to ``deprecated-field`` and ``expression-warning``. See docs/checks/invalid-expression.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone

from ..findings import Finding
from ..analysis.expressions import sentence
from .base import Check, CheckContext


class InvalidExpression(Check):
    id = "invalid-expression"
    severity = "error"
    summary = "An expression does not parse or type-check in the Cloudflare Rules language."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        for expression, rule_id, rule_ref, parsed in ctx.facts(zone).expressions:
            if parsed is None:
                continue  # no parse for this one; the next expressions still get checked
            for diagnostic in parsed.diagnostics:
                if diagnostic.severity != "error":
                    continue
                yield self.finding(
                    "error",
                    sentence(diagnostic.message, diagnostic.hint),
                    ctx.expression_location(expression, diagnostic.span, zone, rule_id, rule_ref),
                    None,
                    expression.text,
                )
