"""deprecated-field: an expression uses a field Cloudflare has deprecated (``ip.geoip.*``, now
``ip.src.*``). The language layer reports each use with its replacement; this check reports
each deprecated field once per expression, at its first use (with the number of uses), and
proposes one rewrite of the whole expression covering every deprecated field, printed by
rulelint's printer and parsed again. See docs/checks/deprecated-field.md.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..language import ParsedExpression
    from ..model import Expression, Zone

from ..findings import Finding, Suggestion
from ..language import ast
from ..analysis.wording import join_words
from ..analysis.expressions import printed_without
from .base import Check, CheckContext

CODE = "deprecated-field"


class DeprecatedField(Check):
    id = "deprecated-field"
    severity = "warning"
    security = False  # about upkeep or coverage, not a hole in the zone
    summary = "An expression uses a deprecated field (ip.geoip.* and others) instead of its replacement."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        for expression, rule_id, rule_ref, parsed in ctx.facts(zone).expressions:
            if parsed is None:
                continue
            uses = [(d, expression.text[d.span.start : d.span.end]) for d in parsed.diagnostics if d.code == CODE]
            if not uses:
                continue
            fix = _suggestion(expression, parsed, {name: d.hint for d, name in uses if d.hint}) if ctx.suggestions else None
            # One finding per deprecated field, at its first use: the rewrite covers them all.
            first: dict[str, tuple] = {}
            count: dict[str, int] = {}
            for diagnostic, name in uses:
                first.setdefault(name, (diagnostic, name))
                count[name] = count.get(name, 0) + 1
            for diagnostic, name in first.values():
                times = f" ({count[name]} uses in this expression)" if count[name] > 1 else ""
                message = (
                    f"{name} is deprecated{times}; write {diagnostic.hint} instead."
                    if diagnostic.hint
                    else f"{name} is deprecated{times}."
                )
                yield self.finding(
                    "warning",
                    message,
                    ctx.expression_location(expression, diagnostic.span, zone, rule_id, rule_ref),
                    fix,
                    expression.text,
                )


def _suggestion(expression: Expression, parsed: ParsedExpression, renames: dict[str, str]) -> Suggestion | None:
    """The expression with every deprecated field renamed, when the result parses and
    type-checks cleanly in the same context; otherwise None."""
    if parsed.tree is None or not parsed.ok or not renames:
        return None
    text = printed_without(rename_fields(parsed.tree, renames), expression.context, CODE)
    if text is None:
        return None
    changes = join_words([f"{old} → {new}" for old, new in renames.items()])
    return Suggestion(expression=text, note=f"the same condition with the current field names ({changes})")


def rename_fields(node: ast.Node, renames: dict[str, str]) -> ast.Node:
    """A copy of ``node`` with every ``Field`` named in ``renames`` renamed."""
    if isinstance(node, ast.Field):
        return dataclasses.replace(node, name=renames[node.name]) if node.name in renames else node
    changes = {}
    for item in dataclasses.fields(node):
        value = getattr(node, item.name)
        if isinstance(value, tuple) and value and all(_is_node(v) for v in value):
            new = tuple(rename_fields(v, renames) for v in value)
            if new != value:
                changes[item.name] = new
        elif _is_node(value) and item.name not in ("span", "type"):
            new = rename_fields(value, renames)
            if new is not value:
                changes[item.name] = new
    return dataclasses.replace(node, **changes) if changes else node


def _is_node(value) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, (ast.Span, ast.Type))
