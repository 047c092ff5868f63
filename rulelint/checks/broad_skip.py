"""broad-skip: a rule that turns security off wider than it needs to, on either axis.

The traffic axis: some alternative of the expression is always true, host-wide only, or a
path pattern (``contains``, prefix, wildcard, regex) with neither method nor source. The
what-is-skipped axis: all remaining custom rules, whole phases, whole managed rulesets,
legacy security products, the block and challenge actions of every other Firewall Rule
(``allow``). Error when both are broad (or the expression is always true), warning when one
is. See docs/checks/broad-skip.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Suggestion
    from ..language.ast import Node
    from ..model import Zone
    from ._exceptions import Exemption
    from ._zone_facts import ZoneFacts

from ..findings import Finding
from ..scope import top_level_disjuncts
from ._exceptions import broadest, traffic_words
from ._suggest import suggestion
from .base import Check, CheckContext


class BroadSkip(Check):
    id = "broad-skip"
    severity = "error"
    summary = "A skip, bypass or allow rule turns off more security, for more traffic, than it needs to."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        facts = ctx.facts(zone)
        for exemption, tree, scope in facts.scoped_exemptions():
            if not fires(facts, exemption, tree):
                continue
            wide = broadest(scope)
            severity = "error" if scope.always_true or (wide is not None and exemption.broad_skip) else "warning"
            described = wide or scope.disjuncts[0]
            message = f"{exemption.subject} turns off {exemption.what} for {traffic_words(described)}."
            if not scope.complete and scope.note:
                message = message[:-1] + f" ({scope.note})."
            fix = broad_skip_suggestion(facts, exemption, tree) if ctx.suggestions else None
            yield self.finding(
                severity,
                message,
                ctx.expression_location(
                    exemption.expression, None, zone, exemption.rule_id, exemption.rule_ref
                ),
                fix,
                exemption.expression.text,
            )


def fires(facts: ZoneFacts, exemption: Exemption, tree: Node) -> bool:
    """Whether broad-skip reports ``exemption`` (whose parsed expression is ``tree``)."""
    scope = facts.scope(tree)
    if scope.never_matches:
        return False
    return broadest(scope) is not None or exemption.broad_skip


def broad_skip_suggestion(facts: ZoneFacts, exemption: Exemption, tree: Node) -> Suggestion | None:
    """broad-skip's replacement for ``exemption``, worked out once per rule: missing-ip-scope
    offers the same one when it already adds the source restriction (one fix per rule)."""
    key = ("broad-skip", id(exemption))
    cache = facts.suggestions
    if key not in cache:
        broad_items = _broad_items(facts, tree)
        cache[key] = (
            exemption,
            suggestion(
                facts,
                exemption,
                tree,
                lambda index, item: index in broad_items,
                replace_paths=True,
                add_method=True,
                narrow_parameters=exemption.broad_skip,
            ),
        )
    return cache[key][1]


def _broad_items(facts: ZoneFacts, tree) -> set[int]:
    """Indices of the top-level alternatives whose own scope is broad."""
    return {
        index
        for index, item in enumerate(top_level_disjuncts(tree))
        if facts.scope(item).broad()
    }
