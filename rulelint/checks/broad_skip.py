"""broad-skip: a rule that turns security off wider than it needs to, on either axis.

The traffic axis: some alternative of the expression is always true, host-wide only, or a
path pattern (``contains``, prefix, wildcard, regex) with neither method nor source. The
what-is-skipped axis: all remaining custom rules, whole phases, whole managed rulesets,
WAF managed rules of the previous version (product ``waf``, on a zone that still runs them),
the OWASP anomaly-score rule, the block and challenge actions of every other Firewall Rule
(``allow``). Error when both are broad (or the expression is always true), warning when one
is. A rule that turns nothing off (``exemptions.why_ineffective``) is not reported. When some
alternative has no source restriction the message says "from any address" and the
replacement adds one (missing-ip-scope then stays silent: one finding per cause).
See docs/checks/broad-skip.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone

from ..analysis.exemptions import MIGRATION_WORDS, broadest, hostile_list_words, traffic_words
from ..analysis.suggestions import broad_replacement
from ..analysis.client_controlled import owned_by_spoofable_scope
from ..findings import Finding
from .base import Check, CheckContext


class BroadSkip(Check):
    id = "broad-skip"
    severity = "error"
    summary = "A skip, bypass or allow rule turns off more security, for more traffic, than it needs to."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        facts = ctx.facts(zone)
        for exemption, tree, scope in facts.scoped_exemptions():
            if not facts.is_broad(exemption, tree) or owned_by_spoofable_scope(scope):
                continue  # narrow enough, or spoofable-scope reports it (one finding per cause)
            wide = broadest(scope)
            severity = "error" if scope.always_true or (wide is not None and exemption.broad_skip) else "warning"
            unscoped = scope.unscoped()
            described = wide or (unscoped[0] if unscoped else scope.disjuncts[0])
            message = f"{exemption.subject} turns off {exemption.what} for {traffic_words(described)}."
            if not scope.complete and scope.note:
                message = message[:-1] + f" ({scope.note})."
            hostile = hostile_list_words(unscoped)
            if hostile and not described.attacker_only:
                message = message[:-1] + f"; {hostile}."
            if exemption.legacy:
                message += f" {MIGRATION_WORDS}"
            fix = broad_replacement(facts, exemption, tree) if ctx.suggestions else None
            yield self.finding(
                severity,
                message,
                ctx.expression_location(
                    exemption.expression, None, zone, exemption.rule_id, exemption.rule_ref
                ),
                fix,
                exemption.expression.text,
            )
