"""spoofable-scope: an exception whose only say over who gets it is something the client
chooses (user agent, headers, cookies, referer, query string, a full-URI search the query can
satisfy) or a source that holds few people out (an empty or customer-directed verified-bot
category, a public cloud's ASN, a bare ``cert_verified``).

The gates are found by ``analysis.client_controlled``, which also tells broad-skip and
missing-ip-scope which exemptions this check owns. Error when the exception skips managed
rules, rate limiting or whole phases, or when a gated alternative names neither host nor path;
warning otherwise. See docs/checks/spoofable-scope.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from ..analysis import narrowing
from ..analysis.client_controlled import gates
from ..analysis.exemptions import MANAGED_PHASE
from ..analysis.wording import join_words
from ..analysis.skip_effect import skips_nothing
from ..analysis.suggestions import source_for
from ..findings import Finding, Suggestion
from ..language import ast
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.exemptions import Exemption
    from ..analysis.zone_facts import ZoneFacts
    from ..model import Zone

REVOKED = ast.Field("cf.tls_client_auth.cert_revoked")


class SpoofableScope(Check):
    id = "spoofable-scope"
    severity = "error"
    summary = "An exception is held only by conditions the client chooses (user agent, headers, query, weak sources)."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        facts = ctx.facts(zone)
        for exemption, tree, scope in facts.scoped_exemptions():
            if not scope.complete:
                continue
            found = [g for d in scope.disjuncts for g in gates(d)]
            if not found:
                continue
            if exemption.ruleset is not None and skips_nothing(exemption.rule, exemption.ruleset, zone):
                continue  # ineffective-exception's case: it turns nothing off
            words = list(dict.fromkeys(g.words for g in found))
            message = (
                f"{exemption.subject} turns off {exemption.what}, and what decides who gets the "
                f"exception is only {join_words(words)}."
            )
            # Gated on nothing but the client's say-so for any URL: as wide as an exception gets.
            anywhere = any(gates(d) and not d.host and not d.path for d in scope.disjuncts)
            yield self.finding(
                "error" if anywhere or _skips_protection(exemption) else "warning",
                message,
                ctx.expression_location(exemption.expression, None, zone, exemption.rule_id, exemption.rule_ref),
                _replacement(facts, exemption, tree) if ctx.suggestions else None,
                exemption.expression.text,
            )


def _skips_protection(exemption: Exemption) -> bool:
    """Managed rules, rate limiting or whole phases: what an attacker most wants turned off."""
    if exemption.phase == MANAGED_PHASE:
        return True
    params = getattr(exemption.rule, "skip", None)
    if params is None:
        return False
    return bool(params.phases) or exemption.rule.action_parameters.get("phase") == "current"


def _replacement(facts: ZoneFacts, exemption: Exemption, tree: ast.Node) -> Suggestion | None:
    """The same exception with a real source on each spoofable alternative: ``not
    cert_revoked`` beside a bare ``cert_verified``, otherwise an IP list; and the path a
    full-URI search meant, fixed by ``http.request.uri.path``. Proved narrower or dropped."""
    source, source_note = source_for(facts, exemption)
    notes: list[str] = []

    def chosen(index: int, item: ast.Node) -> bool:
        return any(gates(d) for d in facts.scope(item).disjuncts)

    def add(index: int, item: ast.Node) -> Sequence[ast.Node]:
        extra: list[ast.Node] = []
        item_gates = [g for d in facts.scope(item).disjuncts for g in gates(d)]
        for gate in item_gates:
            if gate.uri_needle:
                extra.append(ast.Comparison(ast.Field("http.request.uri.path"), "eq", narrowing.string(gate.uri_needle)))
                notes.append(f'confirm "{gate.uri_needle}" is the whole path the exception is for')
        if item_gates and all(g.bare_mtls for g in item_gates):
            extra.append(ast.Not(REVOKED))
            notes.append(
                "pin the client certificate too (cf.tls_client_auth.cert_fingerprint_sha256 eq its fingerprint)"
            )
        else:
            extra.append(source)
            notes.append(source_note)
        return extra

    new_tree = narrowing.narrow(tree, chosen, add, replace_paths=True)
    text = narrowing.checked_suggestion(tree, new_tree, facts.proofs)
    if text is None:
        return None
    return Suggestion(expression=text, note="; ".join(dict.fromkeys(notes)) or None)
