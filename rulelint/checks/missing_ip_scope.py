"""missing-ip-scope: a rule that turns security off where some alternative of its expression
has no source restriction (IP address or list, ASN, mTLS, verified bots), so any client on the
internet can use the exemption. An alternative held only by conditions the client controls
(user agent, a header, the query string, a Cloudflare managed list of hostile sources) counts
as unscoped, and the message says so.

A weak source (``cf.verified_bot_category eq ""``, customer-directed verified-bot categories
when managed rules or rate limiting are skipped, a public-cloud ASN, a bare
``cf.tls_client_auth.cert_verified``) is no source restriction either; the message says why.

One finding per cause: a rule broad-skip reports (its message says "from any address" and its
replacement adds the source) is left to broad-skip, and so is a rule that turns nothing off.
This check reports the exceptions narrow on every other axis that lack only the source.
Severity is monotone in the traffic: error when an unscoped alternative restricts neither host
nor path, warning otherwise.
See docs/checks/missing-ip-scope.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone
    from ..analysis.zone_facts import ZoneFacts

from ..analysis.client_controlled import owned_by_spoofable_scope
from ..findings import Finding
from ..analysis.scope import Disjunct, top_level_disjuncts
from ..analysis.exemptions import MIGRATION_WORDS, hostile_list_words, traffic_words
from ..analysis.suggestions import account_condition, suggestion
from .base import Check, CheckContext


class MissingIpScope(Check):
    id = "missing-ip-scope"
    severity = "error"
    summary = "A skip, bypass or allow rule applies to requests from any address."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        facts = ctx.facts(zone)
        for exemption, tree, scope in facts.scoped_exemptions():
            if exemption.ineffective is not None or facts.is_broad(exemption, tree) or owned_by_spoofable_scope(scope):
                continue  # turns nothing off, or broad-skip or spoofable-scope reports it
            unscoped = scope.unscoped()
            if not unscoped:
                continue
            worst = min(unscoped, key=_rank)
            count = len(scope.disjuncts)
            where = "" if count == 1 else f" in {len(unscoped)} of its {count} alternatives"
            message = (
                f"{exemption.subject} has no source restriction{where}: it turns off "
                f"{exemption.what} for {traffic_words(worst)}."
            )
            hostile = hostile_list_words(unscoped)
            if hostile and not worst.attacker_only:
                message = message[:-1] + f"; {hostile}."
            if exemption.legacy:
                message += f" {MIGRATION_WORDS}"
            fix = None
            if ctx.suggestions:
                fix = suggestion(
                    facts,
                    exemption,
                    tree,
                    _unscoped_items(facts, exemption, tree),
                    replace_paths=False,
                    add_method=False,
                    narrow_parameters=False,
                )
            yield self.finding(
                "error" if _rank(worst) < 2 else "warning",
                message,
                ctx.expression_location(
                    exemption.expression, None, zone, exemption.rule_id, exemption.rule_ref
                ),
                fix,
                exemption.expression.text,
            )


def _rank(disjunct: Disjunct) -> int:
    """0 always true, 1 no host or path (a method, client-controlled conditions), 2 the rest:
    the lower, the wider the traffic, and the error severity covers ranks 0 and 1."""
    if disjunct.always_true:
        return 0
    if not disjunct.host and not disjunct.path:
        return 1
    return 2


def _unscoped_items(facts: ZoneFacts, exemption, tree):
    """A selector of the top-level alternatives that contain an unscoped disjunct (of the
    custom part, for an account-level rule written ``( … ) and cf.zone.plan eq "ENT"``)."""
    inner = account_condition(tree) if exemption.account_level else None
    chosen = {
        index
        for index, item in enumerate(top_level_disjuncts(inner if inner is not None else tree))
        if facts.exemption_scope(exemption, item).unscoped()
    }
    return lambda index, item: index in chosen
