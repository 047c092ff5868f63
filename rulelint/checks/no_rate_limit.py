"""no-rate-limit: the zone serves login or API traffic and no rate limiting rule covers it.

Evidence of that traffic comes from the zone's own configuration (``analysis.sensitive_traffic``):
login and API paths in rule conditions and Page Rule targets, API and login hostnames in rules
and proxied DNS records. A piece of evidence is covered when some enabled ``http_ratelimit``
rule may match it; where a rate limiting rule cannot be read, or the phase could not be
fetched, the check stays silent. The suggestion is a complete rate limiting rule valid for the
zone's plan (Cloudflare, waf/rate-limiting-rules: fields, characteristics, periods and
mitigation timeouts differ by plan; Free allows the path only, 10 s, IP characteristics).
See docs/checks/no-rate-limit.md.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from ..analysis import narrowing
from ..analysis.wording import join_words
from ..analysis.sensitive_traffic import API, LOGIN, Evidence, condition_literals, qualified, zone_evidence
from ..findings import Suggestion
from ..language import ast
from ..records import Record, record, set_field
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.scope import Disjunct, Scope
    from ..findings import Finding, Location
    from ..model import Zone

PHASE = "http_ratelimit"


@record
class PlanLimits(Record):
    """What a rate limiting rule may use on one plan (waf/rate-limiting-rules, availability)."""

    name: str
    host: bool  # http.host allowed in the rule expression
    method: bool  # http.request.method allowed
    period: int  # the period rulelint suggests (one of the plan's values)
    timeout: int  # the mitigation timeout rulelint suggests
    rules: int | None  # how many rate limiting rules the plan allows (None: by contract)

    def __init__(self, name: str, host: bool, method: bool, period: int, timeout: int, rules: int | None) -> None:
        set_field(self, "name", name)
        set_field(self, "host", host)
        set_field(self, "method", method)
        set_field(self, "period", period)
        set_field(self, "timeout", timeout)
        set_field(self, "rules", rules)


_FREE = PlanLimits("Free", host=False, method=False, period=10, timeout=10, rules=1)
PLANS = {
    "free": _FREE,
    "pro": PlanLimits("Pro", host=True, method=False, period=60, timeout=600, rules=2),
    "business": PlanLimits("Business", host=True, method=True, period=60, timeout=600, rules=5),
    "enterprise": PlanLimits("Enterprise", host=True, method=True, period=60, timeout=600, rules=None),
}
# Requests per period to start from: a person signs in a few times, an API client calls often.
_LOGIN_REQUESTS = {10: 5, 60: 10}
_API_REQUESTS = {10: 50, 60: 300}


class NoRateLimit(Check):
    id = "no-rate-limit"
    severity = "warning"
    summary = "Login or API traffic that no rate limiting rule covers."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        if zone.account_scope or _phase_unreadable(zone):
            return
        # A host whose record is DNS-only is dns-only-host's finding: no rule can see it.
        # DNS records and Page Rules sort first: the finding is placed at the first piece of
        # evidence, never on an exception that merely names the host.
        dns_only = {qualified(r.name, zone.name) for r in zone.dns_records if r.proxied is False}
        evidence = sorted(
            (
                e
                for e in zone_evidence(zone, ctx.parser)
                if e.kind in (LOGIN, API) and (e.host is None or e.host not in dns_only)
            ),
            key=lambda e: e.expression is not None,
        )
        if not evidence:
            return
        facts = ctx.facts(zone)
        rules = [
            rule
            for ruleset in (*zone.rulesets, *zone.account_rulesets)
            if ruleset.phase == PHASE
            for rule in ruleset.rules
        ]
        scopes: list[Scope] = []
        for rule in rules:
            if not rule.enabled:
                continue
            tree = facts.tree(rule.expression)
            if tree is None:
                return  # a rate limiting rule rulelint cannot read may cover anything
            scopes.append(facts.scope(tree))
        uncovered: list[Evidence] = []
        seen: set[tuple] = set()
        for item in evidence:
            key = (item.path.lower() if item.path else None, item.host)
            if key in seen or any(_may_match(scope, item) for scope in scopes):
                continue
            seen.add(key)
            uncovered.append(item)
        if not uncovered:
            return
        kinds = join_words(sorted({e.kind for e in uncovered}, key=lambda k: k != LOGIN))
        shown = join_words([e.words for e in uncovered[:4]]) + (
            f" and {len(uncovered) - 4} more" if len(uncovered) > 4 else ""
        )
        where = f"zone {zone.name}" if zone.name else "this zone"
        if not rules:
            existing = "the input holds no rate limiting rule for the zone"
        elif len(rules) == 1:
            existing = "the zone's one rate limiting rule does not cover it"
        else:
            existing = f"none of the zone's {len(rules)} rate limiting rules covers it"
        message = (
            f"The {kinds} traffic of {where} ({shown}) is not rate limited: {existing}, so nothing "
            f"limits how many requests one client sends there ({_abuse(uncovered)})."
        )
        fix = _suggestion(zone, uncovered, len(rules)) if ctx.suggestions else None
        yield self.finding("warning", message, _location(ctx, zone, uncovered), fix)


def _abuse(uncovered: list[Evidence]) -> str:
    """What unlimited requests let a client do to the traffic found."""
    abuse = []
    if any(e.kind == LOGIN for e in uncovered):
        abuse.append("password guessing, credential stuffing")
    if any(e.kind == API for e in uncovered):
        abuse.append("API abuse and scraping")
    return "; ".join(abuse)


def _phase_unreadable(zone: Zone) -> bool:
    """Whether the zone's rate limiting rules could not be read. A 404 is not that: fetch
    records it when the phase has no entry point, i.e. the zone has no rate limiting rule."""
    return any(
        part.what in (f"rulesets:{PHASE}", "rulesets") and part.status != 404 for part in zone.unreadable
    )


def _may_match(scope: Scope, item: Evidence) -> bool:
    """Whether some alternative of a rate limiting rule may count requests of ``item``;
    conditions rulelint cannot weigh count as matching (silence over a guess)."""
    return any(_disjunct_may_match(d, item) for d in scope.disjuncts)


def _disjunct_may_match(disjunct: Disjunct, item: Evidence) -> bool:
    if item.host is not None:
        for condition in disjunct.host:
            values = [v.lower() for v in condition_literals(condition.node)]
            if not condition.negated and condition.strength == "exact" and values and item.host not in values:
                return False
    if item.path is not None:
        path = item.path.lower()
        for condition in disjunct.path:
            values = [v.lower() for v in condition_literals(condition.node)]
            if (
                not condition.negated
                and condition.strength in ("exact", "prefix", "suffix", "broad")
                and values
                and not any(v in path or path in v for v in values)
            ):
                return False
    return True


def _location(ctx: CheckContext, zone: Zone, uncovered: list[Evidence]) -> Location:
    """Where the first piece of evidence is written."""
    best = uncovered[0]
    if best.expression is not None:
        return ctx.expression_location(best.expression, None, zone, best.rule_id, best.rule_ref)
    return ctx.location(best.origin, zone, rule_id=best.rule_id)


def _suggestion(zone: Zone, uncovered: list[Evidence], rule_count: int) -> Suggestion | None:
    plan_key = (zone.plan or "").lower()
    plan = PLANS.get(plan_key)
    limits = plan or _FREE
    login = [e for e in uncovered if e.kind == LOGIN]
    chosen = login or uncovered
    paths = list(dict.fromkeys(e.path for e in chosen if e.path is not None))
    hosts = list(dict.fromkeys(e.host for e in chosen if e.host is not None)) if limits.host else []
    alternatives: list[ast.Node] = []
    exact = [p for p in paths if not p.endswith("/")]
    prefixes = [p for p in paths if p.endswith("/")]
    if exact:
        alternatives.append(
            ast.Comparison(ast.Field("http.request.uri.path"), "eq", narrowing.string(exact[0]))
            if len(exact) == 1
            else ast.Comparison(
                ast.Field("http.request.uri.path"), "in", ast.ListLit(tuple(narrowing.string(p) for p in exact))
            )
        )
    alternatives.extend(narrowing.starts_with("http.request.uri.path", p) for p in prefixes)
    if hosts:
        alternatives.append(narrowing.host_in(hosts))
    # Free and an unknown plan read the same: what Free allows fits every plan.
    plan_words = "every plan (it uses only what the Free plan allows)" if limits is _FREE else f"the {limits.name} plan"
    if not alternatives:
        return Suggestion(
            note=(
                f"on {plan_words} a rate limiting rule can only test the path: add one in phase "
                f"{PHASE} for the login and API paths of {join_words(sorted({e.host or '' for e in chosen}))}"
            )
        )
    scope = narrowing.any_of(alternatives)
    if login and limits.method:
        scope = narrowing.all_of([scope, narrowing.method_is("POST")])
    from ..language import print_expression

    try:
        text = print_expression(scope)
    except Exception:
        return None
    if narrowing.verified(text) is None:
        return None
    requests = (_LOGIN_REQUESTS if login else _API_REQUESTS)[limits.period]
    ratelimit = {
        "characteristics": ["ip.src", "cf.colo.id"],
        "period": limits.period,
        "requests_per_period": requests,
        "mitigation_timeout": limits.timeout,
    }
    notes = [
        f"a starting point to tune against your traffic: add a rule in phase {PHASE} with action "
        f'"block", this expression and "ratelimit": {json.dumps(ratelimit)}; it fits {plan_words}',
    ]
    if login and limits.method:
        notes.append("confirm the sign-in endpoints only receive credentials by POST")
    if login and len(chosen) < len(uncovered):
        notes.append("the API traffic needs a rule of its own, with a higher limit")
    if limits.rules is not None and rule_count >= limits.rules:
        notes.append(
            f"the {limits.name} plan allows {limits.rules} rate limiting "
            f"rule{'s' if limits.rules > 1 else ''} and the zone has {rule_count}: widen an existing "
            "rule's expression to these paths or replace one"
        )
    return Suggestion(expression=text, note="; ".join(notes))
