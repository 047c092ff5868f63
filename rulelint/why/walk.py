"""The phase walk: a request through one zone's security features, in Cloudflare's order.

Order (shared/spec/cloudflare-facts.md, "Order of request phases", and
docs/waf/troubleshooting/phase-interactions: IP Access rules run before custom rules):
IP Access Rules → Zone Lockdown → User Agent Blocking → custom rules
(``http_request_firewall_custom``, account-level rulesets first, custom rulesets they
``execute``) → rate limiting (``http_ratelimit``) → managed rules
(``http_request_firewall_managed``) → Bot Fight Mode / Super Bot Fight Mode
(``http_request_sbfm``) → Page Rules and Configuration Rules that change security settings.

Zone Lockdown and UA Blocking run outside the Ruleset Engine, and a custom-rule skip with
``products: [zoneLockdown, uaBlock]`` turns them off; they are judged with the skips of the
custom rules that match applied. Nothing is simulated that the configuration does not hold:
the managed rulesets' own rules, rate-limit counters and bot detection are outside it, so the
trace says which ``execute`` rules apply, which rules count the request, and what a bot
verdict depends on.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
from dataclasses import dataclass, field

from ..analysis.evaluate import Environment, Unknown, describe, evaluate, first_failure
from ..analysis.exemptions import KNOWN_MANAGED_RULESETS, managed_rule_owners
from ..language import parse
from ..model import Rule, Ruleset, Zone
from .request import RequestDescription
from .trace import (
    BLOCKED, DISABLED, MATCHED, NOT_MATCHED, NOT_REACHED, ORIGIN, SKIPPED, TERMINATING,
    UNDECIDED, UNKNOWN, Step, Trace, Verdict,
)

CUSTOM = "http_request_firewall_custom"
RATELIMIT = "http_ratelimit"
MANAGED = "http_request_firewall_managed"
SBFM = "http_request_sbfm"
CONFIG = "http_config_settings"

OWASP_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f"
OWASP_ANOMALY_RULE = "6179ae15870a4bb7b2d480d4843b323c"
# Security Events name some managed rules by their legacy number: the OWASP anomaly-score
# rule is 949110 (cloudflare-facts, "OWASP").
LEGACY_RULE_NUMBERS = {
    "949110": (OWASP_RULESET, OWASP_ANOMALY_RULE),
    OWASP_ANOMALY_RULE: (OWASP_RULESET, OWASP_ANOMALY_RULE),
}

ALLOW_MODES = {"whitelist", "allow"}
# IP Access Rules: the more specific target wins (an IP over a range over an ASN over a country).
TARGET_ORDER = {"ip": 0, "ip6": 0, "ip_range": 1, "asn": 2, "country": 3}
SECURITY_PAGE_RULE_ACTIONS = {"security_level", "waf", "disable_security", "browser_check"}
SECURITY_CONFIG_SETTINGS = {"security_level", "bic", "waf", "ssl"}


@dataclass
class _State:
    """What earlier steps decided for later ones."""

    allowed_by_access_rule: str | None = None  # the allow rule's value
    country_allow: bool = False  # a country allow does not bypass managed rules
    skipped_phases: dict[str, str] = field(default_factory=dict)  # phase -> by which rule
    skipped_products: dict[str, str] = field(default_factory=dict)
    skip_rest_of_phase: bool = False
    terminated: int | None = None  # index of the terminating step
    # Indexes of the steps of terminating rules whose match is unknown.
    possible: list[int] = field(default_factory=list)
    managed_executes: list[tuple[int, Rule]] = field(default_factory=list)


def select_zone(zones: list[Zone], host: str) -> Zone | None:
    """The zone serving ``host``: the longest zone name equal to it or a parent domain of it;
    a lone zone without a name serves every host."""
    best: Zone | None = None
    for zone in zones:
        name = (zone.name or "").lower().rstrip(".")
        if name and (host == name or host.endswith("." + name)):
            if best is None or len(name) > len(best.name or ""):
                best = zone
    if best is None:
        unnamed = [z for z in zones if not z.name and z.account_scope is None]
        if len(unnamed) == 1 and len([z for z in zones if z.account_scope is None]) == 1:
            return unnamed[0]
    return best


def walk(zone: Zone, request: RequestDescription, blocked_by: str | None = None,
         blocked_in: str | None = None) -> Trace:
    """Trace ``request`` through ``zone``; ``blocked_by`` is the rule id Security Events
    names (a managed rule id, a legacy number such as 949110, or a rule of the zone) and
    ``blocked_in`` the managed ruleset id it gives with it, when it does."""
    trace = Trace(request=_request_summary(request), zone=zone.label, blocked_by=blocked_by,
                  blocked_in=blocked_in or None)
    env = request.environment()
    env.fields = {**env.fields, **zone_fields(zone)}
    state = _State()
    custom_steps = _Custom(zone, env, state)
    _ip_access_rules(zone, request, trace, state)
    if state.terminated is None:
        custom_steps.run()  # decides the product skips the legacy features obey
        _zone_lockdown(zone, request, trace, state)
        _ua_blocking(zone, request, trace, state)
        for step in custom_steps.steps if state.terminated is None else ():
            index = trace.add(step)
            if step is custom_steps.terminating and state.terminated is None:
                state.terminated = index
            if any(step is candidate for candidate in custom_steps.possible_steps):
                state.possible.append(index)
    if state.terminated is None:
        _rate_limiting(zone, env, trace, state)
    if state.terminated is None:
        _managed(zone, env, trace, state, blocked_by)
    if state.terminated is None:
        _bots(zone, request, trace, state)
    _security_settings(zone, request, env, trace)
    trace.verdict = _verdict(trace, state)
    if blocked_by is not None:
        _reconcile(zone, trace, state, blocked_by, env)
    return trace


# -- helpers ----------------------------------------------------------------------------------


PLAN_CODES = {"free": "FREE", "pro": "PRO", "business": "BIZ", "enterprise": "ENT"}


def zone_fields(zone: Zone) -> dict:
    """``cf.zone.name`` and ``cf.zone.plan``, which account-level rules test to pick zones."""
    fields = {}
    if zone.name:
        fields["cf.zone.name"] = zone.name.lower().encode()
    plan = (zone.plan or "").lower().removesuffix(" website").removesuffix(" plan")
    if plan:
        fields["cf.zone.plan"] = PLAN_CODES.get(plan, plan.upper()).encode()
    return fields


def _request_summary(request: RequestDescription) -> dict:
    return {
        "url": request.url, "method": request.method, "ip": request.ip,
        "headers": [f"{k}: {v}" for k, v in request.headers],
        "cookies": [f"{k}={v}" for k, v in request.cookies],
        "country": request.country, "asn": request.asn, "verified_bot": request.verified_bot,
        "bot_score": request.bot_score,
    }


def where(origin) -> str | None:
    if origin is None:
        return None
    return f"{origin.file}:{origin.line}:{origin.column}"


def rule_handle(rule: Rule) -> str | None:
    """What names a rule in a trace: its id, else its ref, else its Terraform address."""
    return rule.id or rule.ref or rule.origin.address


def ruleset_handle(ruleset: Ruleset) -> str | None:
    return ruleset.id or ruleset.origin.address


def rule_name(rule: Rule) -> str:
    handle = rule_handle(rule)
    label = f'"{rule.description}"' if rule.description else (handle or "(no id)")
    if rule.description and handle:
        label += f" ({handle})"
    return f"rule {label}"


def _match(rule_expression, env: Environment) -> tuple[object, str | None, list[str], str | None]:
    """(True | False | Unknown, first failed condition, depends on, expression text)."""
    if rule_expression is None:
        return True, None, [], None
    text = rule_expression.text
    if rule_expression.unresolved is not None:
        return Unknown(frozenset({f"depends on {rule_expression.unresolved}"})), None, [
            f"depends on the unresolved Terraform value {rule_expression.unresolved}"], text
    parsed = parse(text, rule_expression.context)
    if parsed.tree is None or not parsed.ok:
        reason = "the expression does not parse (rulelint check reports why)"
        return Unknown(frozenset({reason})), None, [reason], text
    result = evaluate(parsed.tree, env)
    if result is False:
        failed = first_failure(parsed.tree, env)
        return False, describe(failed) if failed is not None else None, [], text
    if isinstance(result, Unknown):
        return result, None, sorted(result.reasons), text
    return True, None, [], text


def _outcome(result) -> str:
    if result is True:
        return MATCHED
    if result is False:
        return NOT_MATCHED
    return UNKNOWN


def _rule_step(stage: str, ruleset: Ruleset, rule: Rule, env: Environment) -> tuple[Step, object]:
    if not rule.enabled:
        return Step(stage, rule_name(rule), DISABLED, "none (the rule is disabled)", rule.action,
                    rule_handle(rule), ruleset_handle(ruleset), where(rule.origin)), False
    result, failed, depends, text = _match(rule.expression, env)
    step = Step(stage, rule_name(rule), _outcome(result), "", rule.action, rule_handle(rule), ruleset_handle(ruleset),
                where(rule.origin), failed, depends, text)
    return step, result


def entry_rulesets(zone: Zone, phase: str) -> list[Ruleset]:
    """The rulesets that run in ``phase``: account-level ones first, then the zone's entry
    point (custom rulesets run only when an ``execute`` rule calls them)."""
    account = [r for r in zone.account_rulesets if r.phase == phase]
    own = [r for r in zone.rulesets if r.phase == phase and r.kind not in ("custom", "managed")]
    return account + own


def _ruleset_by_id(zone: Zone, ruleset_id: str | None, ref: str | None) -> Ruleset | None:
    for ruleset in [*zone.rulesets, *zone.account_rulesets]:
        if ruleset_id and ruleset.id == ruleset_id:
            return ruleset
        if ref and ruleset.origin.address and ruleset.origin.address.startswith(ref):
            return ruleset
    return None


def _skip_effect(rule: Rule, state: _State, label: str) -> str:
    params = rule.skip
    done = []
    if params is None:
        return "skips nothing (no action_parameters)"
    if params.ruleset == "current":
        done.append("the remaining rules of this ruleset")
    if rule.action_parameters.get("phase") == "current":
        done.append("every remaining rule of this phase")
        state.skip_rest_of_phase = True
    for phase in params.phases:
        state.skipped_phases.setdefault(phase, label)
        done.append(f"phase {phase}")
    for product in params.products:
        state.skipped_products.setdefault(product, label)
        done.append(f"product {product}")
    for ruleset_id in params.rulesets:
        done.append(f"managed ruleset {ruleset_id}")
    for ruleset_id, ids in params.rules.items():
        done.append(f"managed rules {', '.join(ids)} of ruleset {ruleset_id}")
    return "skips " + ", ".join(done) if done else "skips nothing"


# -- IP Access Rules --------------------------------------------------------------------------


def _access_rule_match(rule, request: RequestDescription) -> object:
    value = rule.value.strip()
    target = rule.target
    if target in ("ip", "ip6", "ip_range"):
        source = request.source
        if source is None:
            return Unknown(frozenset({"depends on the client address (give --ip)"}))
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return Unknown(frozenset({f"the rule's value {value!r} is not an address"}))
        if isinstance(source, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            if source.version == network.version and source.subnet_of(network):
                return True
            if source.version != network.version or not source.overlaps(network):
                return False
            return Unknown(frozenset({f"depends on which address of {source} sends the request"}))
        return source.version == network.version and source in network
    if target == "asn":
        if request.asn is None:
            return Unknown(frozenset({"depends on the client's ASN (give --asn)"}))
        return value.upper().removeprefix("AS") == str(request.asn)
    if target == "country":
        if request.country is None:
            return Unknown(frozenset({"depends on the client's country (give --country)"}))
        return value.upper() == request.country
    return Unknown(frozenset({f"IP Access Rule target {target!r}"}))


def _ip_access_rules(zone: Zone, request: RequestDescription, trace: Trace, state: _State) -> None:
    rules = sorted(zone.access_rules, key=lambda r: TARGET_ORDER.get(r.target, 9))
    for rule in rules:
        if state.terminated is not None or state.allowed_by_access_rule:
            trace.add(Step("ip_access_rules", _access_name(rule), NOT_REACHED, "", rule.mode, rule.id,
                           None, where(rule.origin)))
            continue
        result = _access_rule_match(rule, request)
        step = Step("ip_access_rules", _access_name(rule), _outcome(result), "", rule.mode, rule.id, None,
                    where(rule.origin))
        if result is False:
            step.failed_condition = f"the client's {rule.target} is not {rule.value}"
        if isinstance(result, Unknown):
            step.depends_on = sorted(result.reasons)
        index = trace.add(step)
        if rule.mode in ALLOW_MODES:
            step.effect = (
                "allows: custom rules, rate limiting, managed rules and Bot Fight Mode do not act"
                if rule.target != "country"
                else "allows: custom rules and rate limiting do not act; managed rules still do (a country allow does not bypass them)"
            )
            if result is True:
                state.allowed_by_access_rule = rule.value
                state.country_allow = rule.target == "country"
        else:
            step.effect = f"terminates: {rule.mode}"
            if result is True:
                state.terminated = index
            elif isinstance(result, Unknown):
                state.possible.append(index)


def _access_name(rule) -> str:
    notes = f' "{rule.notes}"' if rule.notes else ""
    return f"IP Access Rule {rule.mode} {rule.target} {rule.value}{notes}"


# -- custom rules -----------------------------------------------------------------------------


class _Custom:
    """The custom-rules phase, walked before it is listed (its product skips decide the legacy
    features listed before it)."""

    def __init__(self, zone: Zone, env: Environment, state: _State) -> None:
        self.zone, self.env, self.state = zone, env, state
        self.steps: list[Step] = []
        self.terminating: Step | None = None
        self.possible_steps: list[Step] = []  # terminating rules whose match is unknown

    def run(self) -> None:
        if self.state.allowed_by_access_rule:
            self.steps.append(Step(CUSTOM, "custom rules", SKIPPED,
                                   f"not evaluated: IP Access Rule allow {self.state.allowed_by_access_rule} matched"))
            return
        for ruleset in entry_rulesets(self.zone, CUSTOM):
            self._ruleset(ruleset, CUSTOM)
            if self.terminating is not None or self.state.skip_rest_of_phase:
                break

    def _ruleset(self, ruleset: Ruleset, stage: str, depth: int = 0) -> None:
        for position, rule in enumerate(ruleset.rules):
            if self.terminating is not None or self.state.skip_rest_of_phase:
                return
            step, result = _rule_step(stage, ruleset, rule, self.env)
            self.steps.append(step)
            if step.outcome == DISABLED:
                continue
            action = rule.action
            if action in TERMINATING:
                step.effect = f"terminates: {action}"
                if result is True:
                    self.terminating = step
                    return
                if isinstance(result, Unknown):
                    self.possible_steps.append(step)
            elif action == "skip":
                step.effect = _skip_effect(rule, self.state if result is True else _State(), rule_name(rule))
                if result is True and rule.skip and rule.skip.ruleset == "current":
                    self._mark_rest(ruleset.rules[position + 1:], ruleset, stage,
                                    f"skipped by {rule_name(rule)}")
                    return
            elif action == "execute":
                target = _ruleset_by_id(self.zone, rule.execute.id if rule.execute else None,
                                        rule.execute.ruleset_ref if rule.execute else None)
                name = target.name if target and target.name else (rule.execute.id if rule.execute else "?")
                step.effect = f"runs custom ruleset {name}"
                if result is True and target is not None and depth < 4:
                    self._ruleset(target, stage, depth + 1)
                elif result is True:
                    step.notes.append("the executed ruleset is not in the configuration")
            elif action == "log":
                step.effect = "logs only (does not stop the request)"
            else:
                step.effect = f"{action} (does not stop the request)"

    def _mark_rest(self, rules: list[Rule], ruleset: Ruleset, stage: str, why: str) -> None:
        for rule in rules:
            self.steps.append(Step(stage, rule_name(rule), SKIPPED, why, rule.action, rule_handle(rule),
                                   ruleset_handle(ruleset), where(rule.origin)))


# -- Zone Lockdown and UA Blocking ------------------------------------------------------------


def _url_pattern_matches(pattern: str, request: RequestDescription) -> bool:
    """A Zone Lockdown URL (``example.com/admin*``): host and path, ``*`` any characters,
    case-insensitive on the host."""
    pattern = pattern.strip()
    for scheme in ("https://", "http://"):
        pattern = pattern.removeprefix(scheme)
    target = f"{request.host}{request.uri}"
    return fnmatch.fnmatchcase(target.lower(), pattern.lower().replace("?", "[?]"))


def _zone_lockdown(zone: Zone, request: RequestDescription, trace: Trace, state: _State) -> None:
    disabled_by = _disable_security_page_rule(zone, request)
    for lockdown in zone.lockdowns:
        name = f'Zone Lockdown "{lockdown.description}"' if lockdown.description else f"Zone Lockdown {lockdown.id}"
        step = Step("zone_lockdown", name, NOT_MATCHED, "", "block", lockdown.id, None, where(lockdown.origin))
        if state.terminated is not None or state.allowed_by_access_rule:
            step.outcome = NOT_REACHED
            trace.add(step)
            continue
        if lockdown.paused:
            step.outcome, step.effect = DISABLED, "none (paused)"
            trace.add(step)
            continue
        if "zoneLockdown" in state.skipped_products:
            step.outcome, step.effect = SKIPPED, f"skipped by {state.skipped_products['zoneLockdown']}"
            trace.add(step)
            continue
        if disabled_by:
            step.outcome, step.effect = SKIPPED, f"voided by Page Rule {disabled_by} (Disable Security)"
            trace.add(step)
            continue
        if not any(_url_pattern_matches(u, request) for u in lockdown.urls):
            step.failed_condition = f"the URL is not one of {', '.join(lockdown.urls)}"
            trace.add(step)
            continue
        allowed = _lockdown_allows(lockdown, request)
        if allowed is True:
            step.failed_condition = "the client address is one the lockdown allows"
            step.effect = "allows this client"
        elif allowed is False:
            step.outcome, step.effect = MATCHED, "terminates: block (the client is not on the lockdown's list)"
        else:
            step.outcome, step.effect = UNKNOWN, "terminates: block unless the client is on the lockdown's list"
            step.depends_on = [allowed.because]
        index = trace.add(step)
        if allowed is False:
            state.terminated = index
        elif isinstance(allowed, Unknown):
            state.possible.append(index)


def _lockdown_allows(lockdown, request: RequestDescription) -> object:
    source = request.source
    if source is None:
        return Unknown(frozenset({"depends on the client address (give --ip)"}))
    for item in lockdown.configurations:
        try:
            network = ipaddress.ip_network(str(item.get("value", "")), strict=False)
        except ValueError:
            continue
        if isinstance(source, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            if source.version == network.version and source.subnet_of(network):
                return True
            if source.version == network.version and source.overlaps(network):
                return Unknown(frozenset({f"depends on which address of {source} sends the request"}))
        elif source.version == network.version and source in network:
            return True
    return False


def _ua_blocking(zone: Zone, request: RequestDescription, trace: Trace, state: _State) -> None:
    agent = request.header("user-agent")
    for rule in zone.ua_rules:
        name = f'UA Blocking rule "{rule.description}"' if rule.description else f"UA Blocking rule {rule.id}"
        step = Step("ua_blocking", name, NOT_MATCHED, f"terminates: {rule.mode}", rule.mode, rule.id, None,
                    where(rule.origin))
        if state.terminated is not None or state.allowed_by_access_rule:
            step.outcome, step.effect = NOT_REACHED, ""
        elif rule.paused:
            step.outcome, step.effect = DISABLED, "none (paused)"
        elif "uaBlock" in state.skipped_products:
            step.outcome, step.effect = SKIPPED, f"skipped by {state.skipped_products['uaBlock']}"
        elif agent is None and not request.headers_complete:
            step.outcome = UNKNOWN
            step.depends_on = ["depends on the User-Agent header (give --header 'User-Agent: …')"]
        elif (agent or "") == rule.value:
            step.outcome = MATCHED
        else:
            step.failed_condition = f'the User-Agent is not "{rule.value}"'
        index = trace.add(step)
        if step.outcome == MATCHED:
            state.terminated = index
        elif step.outcome == UNKNOWN:
            state.possible.append(index)


# -- rate limiting ----------------------------------------------------------------------------


def _rate_limiting(zone: Zone, env: Environment, trace: Trace, state: _State) -> None:
    for ruleset in entry_rulesets(zone, RATELIMIT):
        for rule in ruleset.rules:
            if state.allowed_by_access_rule and not state.country_allow:
                trace.add(Step(RATELIMIT, rule_name(rule), SKIPPED, "not evaluated: an IP Access Rule allows the client",
                               rule.action, rule_handle(rule), ruleset_handle(ruleset), where(rule.origin)))
                continue
            if RATELIMIT in state.skipped_phases:
                trace.add(Step(RATELIMIT, rule_name(rule), SKIPPED, f"skipped by {state.skipped_phases[RATELIMIT]}",
                               rule.action, rule_handle(rule), ruleset_handle(ruleset), where(rule.origin)))
                continue
            step, result = _rule_step(RATELIMIT, ruleset, rule, env)
            if step.outcome != DISABLED:
                limit = rule.ratelimit or {}
                rate = ""
                if limit.get("requests_per_period") and limit.get("period"):
                    rate = f" ({limit['requests_per_period']} requests per {limit['period']} s, then {rule.action})"
                step.effect = f"counts the request{rate}"
                if result is True:
                    step.notes.append("whether it acts depends on the request rate, which rulelint does not simulate")
            trace.add(step)


# -- managed rules ----------------------------------------------------------------------------


def resolve_blocked_by(blocked_by: str | None) -> tuple[str | None, str | None]:
    """(managed ruleset id if known, rule id) for the id Security Events shows."""
    if blocked_by is None:
        return None, None
    if blocked_by in LEGACY_RULE_NUMBERS:
        return LEGACY_RULE_NUMBERS[blocked_by]
    return None, blocked_by.lower()


def _managed(zone: Zone, env: Environment, trace: Trace, state: _State, blocked_by: str | None) -> None:
    if state.allowed_by_access_rule and not state.country_allow:
        trace.add(Step(MANAGED, "managed rules", SKIPPED,
                       f"not evaluated: IP Access Rule allow {state.allowed_by_access_rule} matched"))
        return
    if MANAGED in state.skipped_phases:
        trace.add(Step(MANAGED, "managed rules", SKIPPED, f"skipped by {state.skipped_phases[MANAGED]}"))
        return
    _, target_rule = resolve_blocked_by(blocked_by)
    for ruleset in entry_rulesets(zone, MANAGED):
        exceptions: list[tuple[Rule, object]] = []  # matched (or unknown) skip rules so far
        stop = False
        for rule in ruleset.rules:
            if stop:
                trace.add(Step(MANAGED, rule_name(rule), SKIPPED, "skipped by an earlier exception (ruleset current)",
                               rule.action, rule_handle(rule), ruleset_handle(ruleset), where(rule.origin)))
                continue
            step, result = _rule_step(MANAGED, ruleset, rule, env)
            index = trace.add(step)
            if step.outcome == DISABLED:
                continue
            if rule.action == "skip":
                step.effect = ("exception: " + _skip_effect(rule, _State(), rule_name(rule))
                               + " for the execute rules after it")
                if result is True or isinstance(result, Unknown):
                    exceptions.append((rule, result))
                if result is True and rule.skip and rule.skip.ruleset == "current":
                    stop = True
            elif rule.action == "execute" and rule.execute is not None:
                _execute_step(step, result, rule, exceptions, target_rule, state, index)
            elif rule.action in TERMINATING:
                step.effect = f"terminates: {rule.action}"
                if result is True:
                    state.terminated = index
                    return
            else:
                step.effect = f"{rule.action}"


def _execute_step(step: Step, result, rule: Rule, exceptions, target_rule: str | None, state: _State,
                  index: int) -> None:
    params = rule.execute
    ruleset_id = params.id or "?"
    name = KNOWN_MANAGED_RULESETS.get(ruleset_id, f"managed ruleset {ruleset_id}")
    if result is not True:
        step.effect = f"runs {name}"
        return
    state.managed_executes.append((index, rule))
    if params.enabled is False:
        step.effect = f"runs {name} with every rule disabled (overrides.enabled = false)"
        return
    step.effect = f"runs {name}; its rules are not in the configuration"
    if params.action:
        step.notes.append(f"override: every rule's action is {params.action}")
    for override in params.rules:
        if override.enabled is False:
            step.notes.append(f"override: rule {override.id} disabled")
        elif override.action:
            step.notes.append(f"override: rule {override.id} action {override.action}")
    for category in params.categories:
        if category.enabled is False:
            step.notes.append(f"override: tag {category.category} disabled")
        elif category.action:
            step.notes.append(f"override: tag {category.category} action {category.action}")
    for skip_rule, matched in exceptions:
        skipped = _exception_skips(skip_rule, ruleset_id, target_rule)
        if skipped:
            qualifier = "" if matched is True else " if it matches"
            step.notes.append(f"exception {rule_name(skip_rule)} skips {skipped}{qualifier}")


def _exception_skips(rule: Rule, ruleset_id: str, target_rule: str | None) -> str | None:
    """What of the executed ruleset ``ruleset_id`` the exception ``rule`` skips, in words."""
    params = rule.skip
    if params is None:
        return None
    if params.ruleset == "current":
        return "every managed rule after it"
    if ruleset_id in params.rulesets:
        return "the whole ruleset"
    ids = params.rules.get(ruleset_id)
    if ids:
        if target_rule and target_rule in ids:
            return f"rule {target_rule}"
        return f"rules {', '.join(ids)}"
    return None


def managed_rule_fate(zone: Zone, trace: Trace, blocked_by: str, env: Environment) -> tuple[str, str | None, int | None]:
    """What happens to managed rule ``blocked_by`` for this request:
    ("runs" | "skipped" | "maybe-skipped" | "disabled" | "logs" | "not-run" | "unknown", ruleset id, index of the
    execute step that runs it)."""
    known_ruleset, rule_id = resolve_blocked_by(blocked_by)
    known_ruleset = known_ruleset or trace.blocked_in
    owners = managed_rule_owners(zone)
    executes = [(i, s) for i, s in enumerate(trace.steps) if s.stage == MANAGED and s.action == "execute"
                and s.outcome == MATCHED]
    if not executes:
        return "not-run", known_ruleset, None
    rules_by_step = {}
    for ruleset in entry_rulesets(zone, MANAGED):
        for rule in ruleset.rules:
            rules_by_step[(rule_handle(rule), ruleset_handle(ruleset))] = (ruleset, rule)
    for index, step in executes:
        ruleset, rule = rules_by_step.get((step.rule_id, step.ruleset_id), (None, None))
        if rule is None or rule.execute is None:
            continue
        executed = rule.execute.id
        owner = known_ruleset or owners.get(rule_id) or (executed if len(executes) == 1 else None)
        if owner is None:
            return "unknown", None, executes[0][0]
        if owner != executed:
            continue
        if rule.execute.enabled is False:
            return "disabled", executed, index
        for override in rule.execute.rules:
            if override.id == rule_id and override.enabled is False:
                return "disabled", executed, index
            if override.id == rule_id and override.action == "log":
                return "logs", executed, index
        # exceptions placed before this execute rule that match (or may)
        maybe = False
        for earlier in trace.steps[:index]:
            if earlier.stage != MANAGED or earlier.action != "skip" or earlier.outcome not in (MATCHED, UNKNOWN):
                continue
            skip_rule = next((r for (rid, rsid), (_, r) in rules_by_step.items()
                              if rid == earlier.rule_id and rsid == earlier.ruleset_id), None)
            if skip_rule is None or skip_rule.skip is None:
                continue
            params = skip_rule.skip
            if params.ruleset == "current" or executed in params.rulesets or rule_id in params.rules.get(executed, []):
                if earlier.outcome == MATCHED:
                    return "skipped", executed, index
                maybe = True
        return ("maybe-skipped" if maybe else "runs"), executed, index
    return "unknown", known_ruleset, executes[0][0]


# -- bots -------------------------------------------------------------------------------------


BFM_ADVICE = [
    "No skip rule can help: Bot Fight Mode cannot be bypassed or skipped with the Skip action nor with Page Rules; "
    "it is one switch for the whole zone (docs/bots/get-started/bot-fight-mode).",
    "What can: an IP Access Rule with action allow for the client's address (Bot Fight Mode does not trigger when an "
    "IP Access rule matches the request); or Super Bot Fight Mode (Pro and above; turning it on turns Bot Fight Mode "
    "off), whose phase http_request_sbfm a custom rule can skip for this client only; or Bot Management (Enterprise), "
    "which replaces both.",
]


def _bots(zone: Zone, request: RequestDescription, trace: Trace, state: _State) -> None:
    bots = zone.bot_management
    if bots is None:
        return
    if bots.fight_mode:
        step = Step("bot_fight_mode", "Bot Fight Mode (fight_mode = true)", UNKNOWN,
                    "challenges requests Cloudflare detects as automated; cannot be skipped",
                    "managed_challenge", None, None, where(bots.field_origins.get("fight_mode", bots.origin)))
        if state.allowed_by_access_rule:
            step.outcome, step.effect = SKIPPED, f"does not trigger: IP Access Rule {state.allowed_by_access_rule} matched"
        elif request.verified_bot:
            step.outcome, step.failed_condition = NOT_MATCHED, "the client is a verified bot"
        elif request.bot_score is not None:
            automated = request.bot_score == 1
            step.outcome = MATCHED if automated else NOT_MATCHED
            if not automated:
                step.failed_condition = f"bot score {request.bot_score} is not 1 (definitely automated)"
        else:
            step.depends_on = ["depends on whether Cloudflare detects the client as a bot (give --bot-score)"]
        if SBFM in state.skipped_phases:
            step.notes.append(f"{state.skipped_phases[SBFM]} skips phase {SBFM}: that does nothing for Bot Fight Mode")
        index = trace.add(step)
        if step.outcome == MATCHED:
            state.terminated = index
        elif step.outcome == UNKNOWN:
            state.possible.append(index)
        return
    settings = {
        "definitely automated": bots.sbfm_definitely_automated,
        "likely automated": bots.sbfm_likely_automated,
    }
    if not any(v and v != "allow" for v in settings.values()):
        return
    for label, action in settings.items():
        if not action or action == "allow":
            continue
        step = Step(SBFM, f"Super Bot Fight Mode: {label} → {action}", UNKNOWN, f"terminates: {action}", action,
                    None, None, where(bots.origin))
        if state.allowed_by_access_rule:
            step.outcome, step.effect = SKIPPED, f"bypassed: IP Access Rule allow {state.allowed_by_access_rule} matched"
        elif SBFM in state.skipped_phases:
            step.outcome, step.effect = SKIPPED, f"skipped by {state.skipped_phases[SBFM]}"
        elif request.verified_bot:
            step.outcome, step.failed_condition = NOT_MATCHED, "the client is a verified bot"
        elif request.bot_score is not None:
            hit = request.bot_score == 1 if label == "definitely automated" else 2 <= request.bot_score <= 29
            step.outcome = MATCHED if hit else NOT_MATCHED
            if not hit:
                step.failed_condition = f"bot score {request.bot_score} is not {label}"
        else:
            step.depends_on = ["depends on the bot score (give --bot-score)"]
        index = trace.add(step)
        if step.outcome == MATCHED:
            state.terminated = index
            return
        if step.outcome == UNKNOWN:
            state.possible.append(index)


# -- Page Rules and Configuration Rules -------------------------------------------------------


def page_rule_matches(target: str, request: RequestDescription) -> bool:
    """A Page Rule URL pattern against the request (wildcard-matching: ``*`` any characters;
    a pattern without a path matches only the root; scheme optional)."""
    pattern = target.strip()
    scheme = ""
    for prefix in ("https://", "http://"):
        if pattern.lower().startswith(prefix):
            scheme, pattern = prefix[:-3], pattern[len(prefix):]
    if scheme and scheme != request.parts.scheme:
        return False
    if "/" not in pattern:
        pattern += "/"
    return fnmatch.fnmatchcase(f"{request.host}{request.uri}".lower(), pattern.lower().replace("?", "[?]"))


def _disable_security_page_rule(zone: Zone, request: RequestDescription) -> str | None:
    rule = _first_page_rule(zone, request)
    if rule is not None and any(a.id == "disable_security" for a in rule.actions):
        return rule.id or ", ".join(rule.targets)
    return None


def _first_page_rule(zone: Zone, request: RequestDescription):
    """Page Rules apply the first matching rule only (highest priority first)."""
    active = [r for r in zone.page_rules if r.status == "active"]
    active.sort(key=lambda r: -(r.priority or 0))
    for rule in active:
        if any(page_rule_matches(t, request) for t in rule.targets):
            return rule
    return None


def _security_settings(zone: Zone, request: RequestDescription, env: Environment, trace: Trace) -> None:
    rule = _first_page_rule(zone, request)
    if rule is not None:
        security = [a for a in rule.actions if a.id in SECURITY_PAGE_RULE_ACTIONS]
        if security:
            changes = ", ".join(f"{a.id} = {a.value}" if a.value is not None else a.id for a in security)
            step = Step("page_rules", f"Page Rule {', '.join(rule.targets)}", MATCHED, f"sets {changes} for this URL",
                        None, rule.id, None, where(rule.origin))
            if any(a.id == "waf" for a in security):
                step.notes.append("the waf setting acts on WAF managed rules (previous version) only")
            if any(a.id == "disable_security" for a in security):
                step.notes.append("Disable Security voids every Zone Lockdown rule for this URL")
            trace.add(step)
    for ruleset in entry_rulesets(zone, CONFIG):
        for config_rule in ruleset.rules:
            params = config_rule.action_parameters or {}
            changes = {k: v for k, v in params.items() if k in SECURITY_CONFIG_SETTINGS}
            if not changes:
                continue
            step, result = _rule_step("configuration_rules", ruleset, config_rule, env)
            if step.outcome != DISABLED:
                text = ", ".join(f"{k} = {v}" for k, v in changes.items())
                step.effect = f"sets {text} for this URL"
            trace.add(step)


# -- the verdict ------------------------------------------------------------------------------


def _verdict(trace: Trace, state: _State) -> Verdict:
    possible = [f"{trace.steps[i].subject}: {', '.join(trace.steps[i].depends_on) or 'unknown'}"
                for i in state.possible if i < len(trace.steps) and (state.terminated is None or i < state.terminated)]
    if state.terminated is not None:
        step = trace.steps[state.terminated]
        kind = TERMINATING.get((step.action or "").lower(), BLOCKED)
        word = "blocked" if kind == BLOCKED else "challenged"
        verdict = Verdict(kind, f"{word} by {step.subject} ({_stage_name(step.stage)})", step.stage, step.rule_id,
                          state.terminated, possible)
        if step.stage == "bot_fight_mode":
            verdict.summary = f"{word} by Bot Fight Mode"
            verdict.advice = list(BFM_ADVICE)
            if trace.request.get("ip") and "/" not in trace.request["ip"]:
                verdict.advice.append(
                    "The IP Access Rule for this client (zone-level, POST /zones/{zone_id}/firewall/access_rules/rules): "
                    + json.dumps({"mode": "whitelist", "configuration": {"target": "ip", "value": trace.request["ip"]},
                                  "notes": "API client: exempt from Bot Fight Mode"})
                    + " — it also exempts this address from custom rules, rate limiting and managed rules: keep it to "
                    "a single address you control."
                )
        return verdict
    runs = [trace.steps[i].subject for i, _ in state.managed_executes]
    if runs:
        summary = ("reaches the origin unless a rule of the managed rulesets run by "
                   + ", ".join(runs) + " blocks it (give --blocked-by with the rule id from Security Events)")
        outcome = UNDECIDED if possible else ORIGIN
        return Verdict(outcome, summary, None, None, None, possible)
    if possible:
        return Verdict(UNDECIDED, "reaches the origin unless one of these rules matches", None, None, None, possible)
    return Verdict(ORIGIN, "reaches the origin: no rule or feature blocks or challenges it", None, None, None, [])


def _stage_name(stage: str) -> str:
    return {
        "ip_access_rules": "IP Access Rules",
        "zone_lockdown": "Zone Lockdown",
        "ua_blocking": "User Agent Blocking",
        CUSTOM: "custom rules, phase http_request_firewall_custom",
        RATELIMIT: "rate limiting, phase http_ratelimit",
        MANAGED: "managed rules, phase http_request_firewall_managed",
        SBFM: "Super Bot Fight Mode, phase http_request_sbfm",
        "bot_fight_mode": "Bot Fight Mode",
    }.get(stage, stage)




def _reconcile(zone: Zone, trace: Trace, state: _State, blocked_by: str, env: Environment) -> None:
    """Set the verdict against what Security Events says blocked the request."""
    verdict = trace.verdict
    own = [i for i, s in enumerate(trace.steps) if s.rule_id and s.rule_id.lower() == blocked_by.lower()]
    if own:
        step = trace.steps[own[0]]
        if state.terminated == own[0]:
            return
        if step.stage == RATELIMIT and step.outcome == MATCHED and state.terminated is None:
            kind = TERMINATING.get((step.action or "").lower(), BLOCKED)
            trace.verdict = Verdict(
                kind, f"{'blocked' if kind == BLOCKED else 'challenged'} by {step.subject} "
                f"({_stage_name(RATELIMIT)}): it counts this request and Security Events says the rate was exceeded",
                RATELIMIT, step.rule_id, own[0], verdict.possible,
            )
            return
        detail = step.failed_condition or ", ".join(step.depends_on) or step.effect or step.outcome
        verdict.advice.append(
            f"Security Events names {step.subject}, but for this request it is {step.outcome}"
            + (f" ({detail})" if detail and detail != step.outcome else "")
            + ": the request differs from the one given, or the configuration changed since."
        )
        return
    if state.terminated is not None:
        verdict.advice.append(
            f"Security Events names {blocked_by}, but the request stops earlier, at {trace.steps[state.terminated].subject}."
        )
        return
    fate, ruleset_id, index = managed_rule_fate(zone, trace, blocked_by, env)
    _, rule_id = resolve_blocked_by(blocked_by)
    name = KNOWN_MANAGED_RULESETS.get(ruleset_id or "", f"managed ruleset {ruleset_id}" if ruleset_id else "a managed ruleset")
    shown = rule_id if rule_id == blocked_by else f"{rule_id} ({blocked_by})"
    if fate == "runs":
        step = trace.steps[index]
        trace.verdict = Verdict(
            BLOCKED, f"blocked by managed rule {shown} of {name}, run by {step.subject} "
            f"({_stage_name(MANAGED)})", MANAGED, rule_id, index, verdict.possible,
        )
        return
    reasons = {
        "skipped": "an exception placed before its execute rule skips it for this request",
        "disabled": "an override disables it",
        "logs": "an override sets its action to log",
        "not-run": "no execute rule runs managed rules for this request",
        "unknown": "rulelint cannot tell which of the executed rulesets holds it (the event's ruleset id, "
                   "or an override naming the rule, would say)",
        "maybe-skipped": "an exception placed before its execute rule skips it if that exception matches "
                         "(see its line above for what it depends on)",
    }
    verdict.advice.append(f"Managed rule {shown} cannot block this request: {reasons[fate]}.")
