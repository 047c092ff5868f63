"""Rules that turn security off, in one shape: Rulesets ``skip`` rules (custom-rule skips and
managed-rules exceptions) and legacy Firewall Rules with ``bypass`` or ``allow``.

``broad-skip`` and ``missing-ip-scope`` both judge these; this module says what each one
turns off (in words, and whether that is broad) and for which traffic (in words), after
Cloudflare's documentation (cloudflare-facts.md, "The skip action" and "Previous-version
products"): ``phase: "current"`` is as broad as ``ruleset: "current"``, only ``waf`` and
``rateLimit`` are previous-version products (and do nothing where the new WAF runs, or at all),
product names are case-sensitive, and an unknown option is named, never dropped.
``why_ineffective`` says why an exception turns nothing off (placed after every ``execute``
rule, options its phase does not take), for the checks that must stay silent on it or report
it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, FirewallRule, Rule, Ruleset, Zone

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..language import ast
from ..model.names import object_name
from ..model.phases import phase_table
from .wording import join_words
from .scope import Disjunct, Scope, describe_values, weakness

MANAGED_PHASE = "http_request_firewall_managed"
CUSTOM_PHASE = "http_request_firewall_custom"
RATELIMIT_PHASE = "http_ratelimit"

KNOWN_MANAGED_RULESETS = {
    "efb7b8c949ac4650a09736fc376e9aee": "Cloudflare Managed Ruleset",
    "4814384a9e5d4991b9815dcfc25d2f1f": "Cloudflare OWASP Core Ruleset",
    "77454fe2d30c4220b5701f6fdfb893ba": "Cloudflare Free Managed Ruleset",
    "c2e184081120413c86c3ab7e14069605": "Exposed Credentials Check",
    "4d21379b4f9f4bb088e0729962c8b3cf": "HTTP DDoS Attack Protection",
}
OWASP_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f"
# The last rule of the Cloudflare OWASP Core Ruleset: it blocks once the anomaly score passes
# the threshold, so skipping it switches off all OWASP blocking
# (waf/managed-rules/reference/owasp-core-ruleset/concepts).
OWASP_ANOMALY_RULE = "6179ae15870a4bb7b2d480d4843b323c"
# Managed rule ids whose ruleset is known without the zone overriding them.
KNOWN_MANAGED_RULES = {OWASP_ANOMALY_RULE: OWASP_RULESET}

WHOLE_PHASES = {
    MANAGED_PHASE: "all managed rules (phase http_request_firewall_managed)",
    RATELIMIT_PHASE: "all rate limiting rules (phase http_ratelimit)",
    "http_request_sbfm": "Super Bot Fight Mode (phase http_request_sbfm)",
}
# Phases whose rules inspect the request's content or rate: a skip of them lets a client past
# the checks a verified bot could be pointed at (see scope.CUSTOMER_DIRECTED_BOT_CATEGORIES).
INSPECTION_PHASES = frozenset({MANAGED_PHASE, RATELIMIT_PHASE})

# Security features outside the Ruleset Engine that a skip or bypass can name
# (waf/feature-interoperability). Names are case-sensitive.
CURRENT_PRODUCTS = {
    "zoneLockdown": "Zone Lockdown",
    "uaBlock": "User Agent Blocking",
    "bic": "Browser Integrity Check",
    "hot": "Hotlink Protection",
    "securityLevel": "Security Level",
}
PREVIOUS_VERSION_PRODUCTS = ("waf", "rateLimit")

# The skip options Cloudflare defines, and those each phase takes
# (waf/custom-rules/skip/options, ruleset-engine/managed-rulesets/create-exception).
SKIP_OPTIONS = ("ruleset", "phase", "phases", "products", "rulesets", "rules")
OPTIONS_OF_PHASE = {
    CUSTOM_PHASE: ("ruleset", "phase", "phases", "products"),
    MANAGED_PHASE: ("ruleset", "rulesets", "rules"),
}
ACCOUNT_NOTE = "(zone-level rules still run)"
# Said of every legacy Firewall Rule an exception check reports (firewall-rules-upgrade).
MIGRATION_WORDS = (
    "Firewall Rules are no longer supported since 2025-06-15: the rule must be migrated to a "
    "custom rule."
)


@dataclass
class Exemption:
    """One enabled rule that turns security off for the traffic its expression matches."""

    subject: str  # 'skip rule "Stripe webhooks"'
    expression: Expression | None
    skipped: list[str]  # what it turns off, in words
    broad_skip: bool  # what is skipped is wider than named rules
    description: str
    rule_id: str | None
    rule_ref: str | None
    phase: str | None
    rule: Rule | FirewallRule
    ruleset: Ruleset | None = None
    # Why it turns nothing off, when it does not (see ``why_ineffective``).
    ineffective: str | None = None
    # It turns off managed rules or rate limiting (see ``INSPECTION_PHASES``).
    inspection_skipped: bool = False
    # A legacy Firewall Rule: no longer supported, it must be migrated to a custom rule.
    legacy: bool = False

    @property
    def what(self) -> str:
        return join_words(self.skipped)

    @property
    def account_level(self) -> bool:
        return self.ruleset is not None and self.ruleset.account_level


def why_ineffective(exemption: Exemption) -> str | None:
    """Why ``exemption`` turns nothing off (a managed-rules exception after every ``execute``
    rule, options the phase does not take, products that do nothing), or None when it acts."""
    return exemption.ineffective


@dataclass
class Skipped:
    """What one skip, bypass or allow turns off."""

    words: list[str]
    broad: bool = False
    ineffective: str | None = None
    inspection: bool = False


def exemptions(zone: Zone) -> Iterator[Exemption]:
    """Every enabled skip rule and every active bypass/allow Firewall Rule of the zone."""
    new_waf = bool(deployed_managed_rulesets(zone))
    for ruleset in [*zone.rulesets, *zone.account_rulesets]:
        if ruleset.kind == "managed":
            continue
        for position, rule in enumerate(ruleset.rules):
            if rule.action != "skip" or not rule.enabled or rule.skip is None:
                continue  # skip None: unreadable action_parameters (invalid-input says so)
            what = describe_skip(rule, ruleset, position, new_waf)
            yield Exemption(
                subject=f"Skip rule {object_name(rule)}",
                expression=rule.expression,
                skipped=what.words,
                broad_skip=what.broad,
                description=rule.description,
                rule_id=rule.id,
                rule_ref=rule.ref,
                phase=ruleset.phase,
                rule=rule,
                ruleset=ruleset,
                ineffective=what.ineffective,
                inspection_skipped=what.inspection,
            )
    for rule in zone.firewall_rules:
        if rule.paused or rule.action not in ("bypass", "allow"):
            continue
        if rule.action == "allow":
            # Cloudflare, firewall/cf-firewall-rules/actions: Allow exempts matching requests
            # from the Bypass, Block and challenge actions of other Firewall Rules only; other
            # security products (WAF Managed Rules, IP Access Rules, Bot Fight Mode) still act.
            what = Skipped(["the block and challenge actions of every other Firewall Rule"], broad=True)
        else:
            what = describe_products(rule.products, new_waf)
        expression = rule.filter.expression if rule.filter else None
        yield Exemption(
            subject=f"Firewall Rule {object_name(rule)} (action {rule.action})",
            expression=expression,
            skipped=what.words,
            broad_skip=what.broad,
            description=rule.description,
            rule_id=rule.id,
            rule_ref=None,
            phase=None,
            rule=rule,
            ineffective=what.ineffective,
            inspection_skipped=what.inspection,
            legacy=True,
        )


def describe_products(products: list[str], new_waf: bool) -> Skipped:
    """What skipping or bypassing ``products`` turns off. ``waf`` is broad (every previous-version
    WAF managed rule) unless the zone runs the new WAF Managed Rules, where it does nothing;
    ``rateLimit`` does nothing (Rate Limiting, previous version, stopped working after
    2025-01-15); the current features are judged on the traffic alone."""
    out = Skipped([])
    idle: list[str] = []
    current = [p for p in products if p in CURRENT_PRODUCTS]
    out.words.extend(f"{CURRENT_PRODUCTS[p]} ({p})" for p in current)
    if "waf" in products:
        if new_waf:
            idle.append("waf")
            out.words.append(
                "the product waf (it does nothing here: the zone runs the new WAF Managed Rules, "
                "not the previous version)"
            )
        else:
            out.broad = out.inspection = True
            out.words.append("every WAF managed rule of the previous version (product waf)")
    if "rateLimit" in products:
        idle.append("rateLimit")
        out.words.append(
            "the product rateLimit (it does nothing: Rate Limiting, previous version, stopped "
            "working after 2025-01-15)"
        )
    unknown = [p for p in products if p not in CURRENT_PRODUCTS and p not in PREVIOUS_VERSION_PRODUCTS]
    for product in unknown:
        out.words.append(
            f'the product "{product}" (Cloudflare defines no such product; names are case-sensitive)'
        )
    if not current and not (out.broad):
        if idle and not unknown:
            out.ineffective = (
                f"it turns off only the product {idle[0]}, which does nothing here"
                if len(idle) == 1
                else f"it turns off only the products {join_words(idle)}, which do nothing here"
            )
        elif not products:
            out.ineffective = "it names no product"
    if not out.words:
        out.words.append("nothing")
    return out


def describe_skip(rule: Rule, ruleset: Ruleset, position: int, new_waf: bool) -> Skipped:
    """What a skip rule (``ruleset.rules[position]``) turns off, in words, whether that is more
    than named rules, and why it turns nothing off when it does not."""
    params = rule.skip
    if params is None:
        return Skipped(["nothing"])
    phase = ruleset.phase
    account = ruleset.account_level
    written = _written_options(rule)
    unknown = [key for key in written if key not in SKIP_OPTIONS]
    out = Skipped([])
    invalid = [key for key in written if key in SKIP_OPTIONS and key not in OPTIONS_OF_PHASE.get(phase, SKIP_OPTIONS)]
    if account and "phase" in written and "phase" not in invalid:
        invalid.append("phase")  # phase: "current" exists in the zone-level custom phase only
    if invalid:
        takes = OPTIONS_OF_PHASE.get(phase)
        out.ineffective = (
            f"{join_words([f'action_parameters.{key}' for key in invalid])} is not a skip option of "
            f"{'account-level ' if account and 'phase' in invalid else ''}phase {phase}"
            + (f" (it takes {join_words(list(takes))})" if takes else "")
        )
    elif phase == RATELIMIT_PHASE:
        out.ineffective = "a skip is not a valid action in phase http_ratelimit"
    level = "account-level " if account else ""
    if params.ruleset == "current":
        out.broad = True
        out.inspection = phase == MANAGED_PHASE
        if phase in (None, CUSTOM_PHASE):
            words = f"all remaining {level}custom rules"
        elif phase == MANAGED_PHASE:
            words = f"all remaining {level}managed rules"
        else:
            words = f"all remaining {level}rules of phase {phase}"
        out.words.append(words + (f" {ACCOUNT_NOTE}" if account else ""))
    if written.get("phase") == "current":
        out.broad = True
        out.words.append(
            f"every remaining rule of phase {phase or CUSTOM_PHASE} (custom rulesets executed later included)"
        )
    elif "phase" in written:
        unknown.append("phase")
    known_phases = phase_table().phases
    for skipped_phase in params.phases:
        if skipped_phase not in known_phases:
            continue  # a misspelt phase skips nothing: invalid-rule reports it
        out.broad = True
        out.inspection = out.inspection or skipped_phase in INSPECTION_PHASES
        words = WHOLE_PHASES.get(skipped_phase, f"the whole phase {skipped_phase}")
        out.words.append(words + (" at account and zone level" if account else ""))
    for ruleset_id in params.rulesets:
        out.broad = out.inspection = True
        name = KNOWN_MANAGED_RULESETS.get(ruleset_id) or f"managed ruleset {ruleset_id}"
        out.words.append(f"the whole {level}{name}" + (f" {ACCOUNT_NOTE}" if account else ""))
    if params.products:
        products = describe_products(params.products, new_waf)
        out.words.extend(w for w in products.words if w != "nothing")
        out.broad = out.broad or products.broad
        out.inspection = out.inspection or products.inspection
        if products.ineffective and out.ineffective is None and not _acts_otherwise(params, written):
            out.ineffective = products.ineffective
    rule_ids = [rid for ids in params.rules.values() for rid in ids]
    if rule_ids:
        out.inspection = True
        if OWASP_ANOMALY_RULE in rule_ids:
            out.broad = True
            out.words.append(
                f"the {level}OWASP anomaly-score rule {OWASP_ANOMALY_RULE} (skipping it switches off "
                "all OWASP blocking)" + (f" {ACCOUNT_NOTE}" if account else "")
            )
            rule_ids = [rid for rid in rule_ids if rid != OWASP_ANOMALY_RULE]
        if rule_ids:
            count = len(rule_ids)
            shown = ", ".join(rule_ids[:3]) + (", …" if count > 3 else "")
            out.words.append(
                f"{count} {level}managed rule{'s' if count > 1 else ''} ({shown})"
                + (f" {ACCOUNT_NOTE}" if account else "")
            )
    for key in unknown:
        out.words.append(
            f"action_parameters.{key} (a skip option rulelint does not know: what it turns off is not analysed)"
        )
    if out.ineffective is None and phase == MANAGED_PHASE and ruleset.rules_complete:
        if not any(
            later.action == "execute" and later.enabled for later in ruleset.rules[position + 1 :]
        ):
            out.ineffective = (
                "it comes after every execute rule of its ruleset, and a managed-rules exception "
                "only affects the execute rules listed after it"
            )
    if not out.words:
        out.words.append("nothing")
        if out.ineffective is None and not unknown:
            out.ineffective = "its action_parameters name nothing to skip"
    return out


def _acts_otherwise(params, written: dict) -> bool:
    """Whether a skip turns something off besides its products."""
    return bool(
        params.ruleset or params.phases or params.rulesets or params.rules or written.get("phase")
    )


def _written_options(rule: Rule) -> dict:
    """The skip options the rule writes (empty and null values left out: Terraform writes
    every attribute of the block)."""
    raw = rule.action_parameters or {}
    return {key: value for key, value in raw.items() if value not in (None, "", [], {})}


# -- the traffic, in words ---------------------------------------------------------------------

_OP_WORDS = {
    "exact": "is",
    "prefix": "starts with",
    "pattern": "matches",
    "suffix": "ends with",
    "broad": "contains",
}


def _field_words(name: str) -> str:
    if name == "http.user_agent":
        return "the user agent"
    if name.startswith("http.request.headers") or name == "http.x_forwarded_for":
        return "a request header"
    if name in ("http.cookie",) or name.startswith("http.request.cookies"):
        return "a cookie"
    if name == "http.referer":
        return "the referer"
    if "query" in name or "args" in name:
        return "the query string"
    if name.endswith(("uri", "full_uri")):
        return "the full URI, query string included"
    if name.startswith("http.request.body"):
        return "the request body"
    return name


def attacker_words(disjunct: Disjunct) -> str:
    """What the client-controlled conditions of ``disjunct`` test, and why they hold no one
    out: ``the user agent, which any client can set``."""
    names: list[str] = []
    lists: list[str] = []
    for cond in disjunct.attacker:
        if cond.strength == "managed_list" and isinstance(cond.node, ast.Comparison):
            lists.append(f"${cond.node.rhs.name}")
            continue
        fields = [cond.field] if cond.field else _fields(cond.node)
        for f in fields:
            words = _field_words(f)
            if words not in names:
                names.append(words)
    parts = []
    if names:
        parts.append(f"{join_words(names)}, which any client can set")
    if lists:
        which = "list" if len(lists) == 1 else "lists"
        parts.append(
            f"{join_words(lists)}, Cloudflare's managed {which} of hostile sources (proxies, VPNs, "
            "malware) that any client can send from"
        )
    return "; and on ".join(parts)


def hostile_lists(disjuncts: Iterable[Disjunct]) -> list[str]:
    """``$cf.vpn``… (Cloudflare managed lists of hostile sources) tested in ``disjuncts``, in
    order, once each."""
    names: list[str] = []
    for disjunct in disjuncts:
        for cond in disjunct.attacker:
            if cond.strength == "managed_list" and isinstance(cond.node, ast.Comparison):
                name = f"${cond.node.rhs.name}"
                if name not in names:
                    names.append(name)
    return names


def hostile_list_words(disjuncts: Iterable[Disjunct]) -> str:
    """``$cf.vpn is a Cloudflare managed list of hostile sources, not an allowlist`` for the
    managed lists ``disjuncts`` test (empty when none)."""
    hostile = hostile_lists(disjuncts)
    if not hostile:
        return ""
    one = len(hostile) == 1
    return (
        f"{join_words(hostile)} {'is a' if one else 'are'} Cloudflare managed "
        f"list{'' if one else 's'} of hostile sources, not an allowlist"
    )


def _fields(node: ast.Node) -> list[str]:
    from .scope import fields_in, is_attacker_field

    return [f for f in fields_in(node) if is_attacker_field(f)]


def traffic_words(disjunct: Disjunct, with_source: bool = True) -> str:
    """``requests to "api.example.com" whose path contains "/export", with any method, from
    any address`` — the traffic one disjunct matches (the source last, when asked)."""
    if disjunct.always_true:
        return "every request"
    hosts = disjunct.host
    if hosts:
        strength = hosts[0].strength
        verb = "" if strength == "exact" else "a host that " + _OP_WORDS.get(strength, "matches") + " "
        text = f"requests to {verb}{_each_of(hosts)}"
    else:
        text = "requests to any host"
    paths = disjunct.path
    if paths:
        strength = paths[0].strength
        text += f" whose path {_OP_WORDS.get(strength, 'matches')} {_each_of(paths)}"
    if disjunct.method:
        text += f", with method {join_words(describe_values(disjunct.method))}"
    elif paths:
        text += ", with any method"
    if disjunct.attacker_only:
        text += f", matched only on {attacker_words(disjunct)}"
    if with_source:
        text += f", from {source_words(disjunct)}" if disjunct.has_source else ", from any address"
        weak = weak_source_words(disjunct) if not disjunct.has_source else ""
        if weak:
            text += f" ({weak})"
    return text


def _each_of(conditions) -> str:
    """The values of host or path conditions in words: the values one condition lists are
    alternatives (``in {"/a" "/b"}``: "/a" or "/b"); several conditions must all hold."""
    parts = []
    for cond in conditions:
        values = [f'"{value}"' for value in describe_values([cond])]
        if values:
            parts.append(" or ".join(values))
    return " and ".join(parts) or "a pattern"


def weak_source_words(disjunct: Disjunct) -> str:
    """Why the weak sources of ``disjunct`` restrict nothing, each reason once."""
    reasons: list[str] = []
    for cond in disjunct.weak_sources:
        reason = weakness(cond)
        if reason and reason not in reasons:
            reasons.append(reason)
    return "; ".join(reasons)


def source_words(disjunct: Disjunct) -> str:
    out = []
    for cond in disjunct.sources:
        node = cond.node
        if cond.strength == "ip_list" and isinstance(node, ast.Comparison):
            out.append(f"the addresses in ${node.rhs.name}")
        elif cond.strength == "ip":
            out.append("listed addresses")
        elif cond.strength == "asn":
            out.append("listed networks (ASN)")
        elif cond.strength == "mtls":
            out.append("clients with a verified, unrevoked mTLS certificate")
        else:
            out.append("verified bots")
    return join_words(out)


_BREADTH_RANK = {"always": 0, "unrestricted": 1, "host": 2, "path-pattern": 3}


def broadest(scope: Scope) -> Disjunct | None:
    broad = scope.broad()
    if not broad:
        return None
    return min(broad, key=lambda d: _BREADTH_RANK[d.breadth])


# -- what the zone deploys ----------------------------------------------------------------------

_HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")


def deployed_managed_rulesets(zone: Zone, account_level: bool = False) -> list[str]:
    """Ids of the managed rulesets the zone's managed-phase entry point executes (the
    account's, when ``account_level``), leaving out an ``execute`` whose override turns the
    whole ruleset off or to ``log``: it blocks nothing, so nothing is there to skip."""
    ids: list[str] = []
    for rule in _managed_phase_rules(zone, account_level):
        execute = rule.execute
        if rule.action != "execute" or not rule.enabled or execute is None or not execute.id:
            continue
        if execute.enabled is False or execute.action == "log":
            continue
        if execute.id not in ids:
            ids.append(execute.id)
    return ids


def _managed_phase_rules(zone: Zone, account_level: bool) -> list[Rule]:
    if not account_level:
        return zone.rules_by_phase(MANAGED_PHASE)
    return [rule for ruleset in zone.account_rulesets if ruleset.phase == MANAGED_PHASE for rule in ruleset.rules]


def managed_rule_owners(zone: Zone, account_level: bool = False) -> dict[str, str]:
    """Managed rule id -> the managed ruleset it belongs to: rules an ``execute`` rule of the
    zone overrides (the first such rule wins), and the rules whose ruleset is known
    (``KNOWN_MANAGED_RULES``)."""
    owner: dict[str, str] = {}
    for rule in _managed_phase_rules(zone, account_level):
        if rule.action == "execute" and rule.execute and rule.execute.id:
            for override in rule.execute.rules:
                owner.setdefault(override.id, rule.execute.id)
    for rule_id, ruleset_id in KNOWN_MANAGED_RULES.items():
        owner.setdefault(rule_id, ruleset_id)
    return owner


def named_managed_rules(text: str, deployed: list[str], owners: dict[str, str]) -> dict[str, list[str]]:
    """Managed rule ids named in ``text`` (a rule description), keyed by the ruleset that holds
    them. Only known rule ids count (``owners``: overridden in an ``execute`` rule, or known to
    Cloudflare's rulesets) of a ``deployed`` ruleset: any other 32-hex string (a zone id, a
    ticket) is not taken for a rule id."""
    out: dict[str, list[str]] = {}
    for rule_id in _HEX_ID.findall(text.lower()):
        ruleset_id = owners.get(rule_id)
        if ruleset_id is not None and ruleset_id in deployed and rule_id not in out.get(ruleset_id, []):
            out.setdefault(ruleset_id, []).append(rule_id)
    return out
