"""missing-ip-scope: a rule that turns security off where some alternative of its expression
has no source restriction (IP address or list, ASN, mTLS, verified bots), so any client on the
internet can use the exemption. An alternative held only by conditions the client controls
(user agent, a header, the query string) counts as unscoped, and the message says so.
See docs/checks/missing-ip-scope.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone
    from ._zone_facts import ZoneFacts

from typing import Iterable

from ..findings import Finding
from ..scope import top_level_disjuncts
from ._exceptions import traffic_words
from ._suggest import suggestion
from .base import Check, CheckContext


class MissingIpScope(Check):
    id = "missing-ip-scope"
    severity = "error"
    summary = "A skip, bypass or allow rule applies to requests from any address."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        facts = ctx.facts(zone)
        for exemption in facts.exemptions:
            tree = facts.tree(exemption.expression)
            if tree is None:
                continue
            scope = facts.scope(tree)
            unscoped = scope.unscoped()
            if not unscoped:
                continue
            spoofable = [d for d in unscoped if d.attacker_only]
            first = spoofable[0] if spoofable else unscoped[0]
            count = len(scope.disjuncts)
            where = "" if count == 1 else f" in {len(unscoped)} of its {count} alternatives"
            message = (
                f"{exemption.subject} has no source restriction{where}: it turns off "
                f"{exemption.what} for {traffic_words(first)}."
            )
            fix = None
            if ctx.suggestions:
                fix = suggestion(
                    facts,
                    exemption,
                    tree,
                    _unscoped_items(facts, tree),
                    replace_paths=False,
                    add_method=False,
                    narrow_parameters=False,
                )
            yield self.finding(
                "error" if spoofable else "warning",
                message,
                ctx.expression_location(
                    exemption.expression, None, zone, exemption.rule_id, exemption.rule_ref
                ),
                fix,
                exemption.expression.text,
            )


def _unscoped_items(facts: ZoneFacts, tree):
    """A selector of the top-level alternatives that contain an unscoped disjunct."""
    chosen = {
        index
        for index, item in enumerate(top_level_disjuncts(tree))
        if facts.scope(item).unscoped()
    }
    return lambda index, item: index in chosen
