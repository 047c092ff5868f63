"""invalid-expression: every error the language layer finds in an expression (syntax, unknown
field or function, type mismatch), at its exact position in the file. Other checks skip an
expression that does not parse. See docs/checks/invalid-expression.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, Zone

from typing import Iterable, Iterator

from ..findings import Finding
from .base import Check, CheckContext


class InvalidExpression(Check):
    id = "invalid-expression"
    severity = "error"
    summary = "An expression does not parse or type-check in the Cloudflare Rules language."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        seen: set[tuple] = set()
        for expression, rule_id, rule_ref in _expressions(zone):
            key = (expression.origin.file, expression.origin.line, expression.origin.column, expression.text)
            if expression.unresolved or key in seen:
                continue
            seen.add(key)
            try:
                parsed = ctx.parsed(expression)
            except NotImplementedError:
                return
            for diagnostic in parsed.diagnostics:
                if diagnostic.severity != "error":
                    continue
                message = diagnostic.message
                if diagnostic.hint:
                    message = f"{message.rstrip('.')} ({diagnostic.hint})"
                if not message.endswith("."):
                    message += "."
                yield self.finding(
                    "error",
                    message,
                    ctx.expression_location(expression, diagnostic.span, zone, rule_id, rule_ref),
                    None,
                    expression.text,
                )


def _expressions(zone: Zone) -> Iterator[tuple[Expression, str | None, str | None]]:
    for ruleset in [*zone.rulesets, *zone.account_rulesets]:
        for rule in ruleset.rules:
            for expression in (rule.expression, rule.counting_expression, *rule.value_expressions):
                if expression is not None:
                    yield expression, rule.id, rule.ref
    for rule in zone.firewall_rules:
        if rule.filter is not None and rule.filter.expression is not None:
            yield rule.filter.expression, rule.id, None
    for item in zone.filters:
        if item.expression is not None:
            yield item.expression, item.id, None
