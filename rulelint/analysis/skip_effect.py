"""What a ``skip`` rule really skips, given its phase, its place in the ruleset and the zone.

A skip can be valid syntax and still skip nothing (waf/custom-rules/skip/options,
ruleset-engine/managed-rulesets/create-exception):

- an option that is not valid in its phase: ``rules``/``rulesets`` in the custom phase,
  ``phases``/``products``/``phase`` in the managed phase, any skip in ``http_ratelimit``;
- a managed-rules exception only affects the ``execute`` rules listed after it;
- the products ``waf`` and ``rateLimit`` are the previous-version WAF managed rules and Rate
  Limiting, which no longer run;
- ``phases: ["http_request_sbfm"]`` on a zone that runs Bot Fight Mode: Super Bot Fight Mode
  is not running there (upgrading to it requires turning BFM off), and BFM cannot be skipped;
- a managed rule id listed under a ruleset it does not belong to.

``why_ineffective`` says which parts are dead and what would work; ``skips_nothing`` is the
predicate other exception checks use to stay silent about a rule that turns nothing off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .exemptions import KNOWN_MANAGED_RULESETS, deployed_managed_rulesets, managed_rule_owners
from .rule_order import executes_after, executes_before

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Rule, Ruleset, Zone

CUSTOM_PHASE = "http_request_firewall_custom"
MANAGED_PHASE = "http_request_firewall_managed"
RATELIMIT_PHASE = "http_ratelimit"
SBFM_PHASE = "http_request_sbfm"
# Previous-version products (waf/feature-interoperability): the product value, case-sensitive,
# and the phase that holds what replaced it.
PREVIOUS_VERSION_PRODUCTS = {"waf": MANAGED_PHASE, "rateLimit": RATELIMIT_PHASE}
# The phases a custom rule can skip (waf/custom-rules/skip/options).
SKIPPABLE_PHASES = (RATELIMIT_PHASE, MANAGED_PHASE, SBFM_PHASE)


@dataclass
class IneffectiveSkip:
    """The dead parts of one skip rule, in words, and what would work instead."""

    reasons: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    skips_nothing: bool = False
    # Equivalent action_parameters without the dead options (None when nothing would remain
    # or when the dead part cannot simply be dropped).
    action_parameters: dict | None = None
    # The execute rules an exception was placed after (to point at them).
    executes: list[Rule] = field(default_factory=list)


def skips_nothing(rule: Rule, ruleset: Ruleset, zone: Zone) -> bool:
    """Whether the enabled skip ``rule`` turns nothing off at all (broad-skip and
    missing-ip-scope have nothing to say about such a rule: ineffective-exception reports it)."""
    found = why_ineffective(rule, ruleset, zone)
    return found is not None and found.skips_nothing


def why_ineffective(rule: Rule, ruleset: Ruleset, zone: Zone) -> IneffectiveSkip | None:
    """The dead parts of an enabled skip rule, or None when rulelint finds none (or cannot tell)."""
    if rule.action != "skip" or not rule.enabled or rule.skip is None or ruleset.kind == "managed":
        return None
    phase = ruleset.phase
    if phase == RATELIMIT_PHASE:
        return IneffectiveSkip(
            ["a skip is not a valid rule in http_ratelimit"],
            [
                "to exempt these requests from rate limiting, write this skip in "
                'http_request_firewall_custom with phases: ["http_ratelimit"]'
            ],
            skips_nothing=True,
        )
    if phase == CUSTOM_PHASE:
        return _custom_phase(rule, zone)
    if phase == MANAGED_PHASE and ruleset.rules_complete:
        return _managed_phase(rule, ruleset, zone)
    return None


def _raw_parameters(rule: Rule) -> dict:
    return dict(rule.action_parameters) if isinstance(rule.action_parameters, dict) else {}


def _custom_phase(rule: Rule, zone: Zone) -> IneffectiveSkip | None:
    params = rule.skip
    raw = _raw_parameters(rule)
    found = IneffectiveSkip()
    live = dict(raw)
    if params.rules or params.rulesets:
        options = " and ".join(f"`{key}`" for key, value in (("rules", params.rules), ("rulesets", params.rulesets)) if value)
        found.reasons.append(f"{options} are not skip options of custom rules" if " and " in options
                             else f"{options} is not a skip option of custom rules")
        found.fixes.append(
            "skip managed rules with a managed-rules exception in http_request_firewall_managed, "
            f"placed before its execute rule, with these {options}"
        )
        live.pop("rules", None)
        live.pop("rulesets", None)
    unskippable = [p for p in params.phases if p not in SKIPPABLE_PHASES]
    if unskippable:
        names = " and ".join(f"`{p}`" for p in unskippable)
        found.reasons.append(
            f"a custom rule cannot skip the phase{'s' if len(unskippable) > 1 else ''} {names} "
            f"(only {', '.join(SKIPPABLE_PHASES)})"
        )
        found.fixes.append("skip only the phases a custom rule can skip")
    dead_products = [p for p in params.products if p in PREVIOUS_VERSION_PRODUCTS and _product_gone(p, zone)]
    if dead_products:
        names = " and ".join(f"`{p}`" for p in dead_products)
        plural = len(dead_products) > 1
        found.reasons.append(
            f"the product{'s' if plural else ''} {names} "
            f"{'are previous-version products that no longer run' if plural else 'is a previous-version product that no longer runs'}"
        )
        missing = [PREVIOUS_VERSION_PRODUCTS[p] for p in dead_products if PREVIOUS_VERSION_PRODUCTS[p] not in params.phases]
        if missing:
            phases = ", ".join(f'"{phase}"' for phase in missing)
            found.fixes.append(
                f"to skip what replaced {'them' if len(dead_products) > 1 else 'it'}, skip phases [{phases}] "
                "(better: a managed-rules exception for only the rule ids that misfire)"
            )
        else:
            found.fixes.append("drop them: the rule already skips the phases that replaced them")
        kept = [p for p in params.products if p not in dead_products]
        if kept:
            live["products"] = kept
        else:
            live.pop("products", None)
    if SBFM_PHASE in params.phases and _runs_bot_fight_mode(zone):
        found.reasons.append(
            "the zone runs Bot Fight Mode, not Super Bot Fight Mode, so phase http_request_sbfm has "
            "nothing to skip, and no skip rule can exempt requests from Bot Fight Mode"
        )
        found.fixes.append(
            "let a known client past Bot Fight Mode with an IP Access rule (allow) for its addresses, "
            "or turn Bot Fight Mode off and use Super Bot Fight Mode, which this skip can skip"
        )
    phases = [p for p in params.phases if p in SKIPPABLE_PHASES and not (p == SBFM_PHASE and _runs_bot_fight_mode(zone))]
    if phases != list(params.phases):
        if phases:
            live["phases"] = phases
        else:
            live.pop("phases", None)
    if not found.reasons:
        return None
    found.skips_nothing = not any(live.get(key) for key in ("ruleset", "phase", "phases", "products"))
    # Plans write every attribute, null or empty ones too: the suggestion keeps what is set.
    found.action_parameters = None if found.skips_nothing else {k: v for k, v in live.items() if v not in (None, [], {})}
    return found


def _managed_phase(rule: Rule, ruleset: Ruleset, zone: Zone) -> IneffectiveSkip | None:
    params = rule.skip
    raw = _raw_parameters(rule)
    found = IneffectiveSkip()
    invalid = [key for key in ("phases", "products", "phase") if raw.get(key)]
    if invalid:
        options = " and ".join(f"`{key}`" for key in invalid)
        found.reasons.append(
            f"{options} {'are not skip options' if len(invalid) > 1 else 'is not a skip option'} "
            "of managed-rules exceptions"
        )
        if params.phases == [MANAGED_PHASE] and not params.products:
            found.fixes.append('to skip the remaining managed rules here, use ruleset: "current"')
        else:
            found.fixes.append(
                "skip whole phases or products from a skip rule in http_request_firewall_custom"
            )
    after = executes_after(ruleset, rule)
    before = executes_before(ruleset, rule)
    after_ids = {r.execute.id for r in after if r.execute and r.execute.id}
    before_ids = {r.execute.id for r in before if r.execute and r.execute.id}
    targets = [*params.rulesets, *params.rules]
    stranded_all = False  # placed after every execute rule of what it skips
    if params.ruleset == "current" or targets:
        if params.ruleset == "current":
            where = "every execute rule of the ruleset" if before and not after else None
            found.executes = list(before) if where else []
        else:
            stranded = [t for t in dict.fromkeys(targets) if t in before_ids and t not in after_ids]
            where = " and ".join(f"the execute rule of {_ruleset_name(t)}" for t in stranded) or None
            found.executes = [r for r in before if r.execute and r.execute.id in stranded]
        if where:
            stranded_all = params.ruleset == "current" or all(t in before_ids and t not in after_ids for t in targets)
            found.reasons.append(
                f"it is placed after {where}, and an exception only affects the execute rules listed after it"
            )
            found.fixes.append(f"move it above {where.replace('every execute rule', 'the execute rules')}")
    owners = managed_rule_owners(zone)
    # ruleset id -> rule ids, with each misplaced id moved under the ruleset it belongs to
    regrouped: dict[str, list[str]] = {}
    misplaced = 0
    moved = 0
    listed = 0
    for ruleset_id, rule_ids in params.rules.items():
        for rule_id in rule_ids:
            listed += 1
            owner = owners.get(rule_id)
            if rule_id in KNOWN_MANAGED_RULESETS:
                misplaced += 1
                found.reasons.append(
                    f"{rule_id} under {_ruleset_name(ruleset_id)} is the id of the "
                    f"{KNOWN_MANAGED_RULESETS[rule_id]}, not of one of its rules"
                )
                found.fixes.append("list it under `rulesets` to skip that whole ruleset, or name its rules")
            elif owner not in (None, ruleset_id):
                misplaced += 1
                found.reasons.append(
                    f"rule {rule_id} belongs to {_ruleset_name(owner)}, whose execute rule overrides it, "
                    f"not to {_ruleset_name(ruleset_id)}"
                )
                found.fixes.append(f"list rule {rule_id} under {owner}")
                regrouped.setdefault(owner, []).append(rule_id)
                moved += 1
            else:
                regrouped.setdefault(ruleset_id, []).append(rule_id)
    if not found.reasons:
        return None
    rules_all_misplaced = bool(params.rules) and misplaced == listed
    found.skips_nothing = (
        stranded_all
        or not (params.ruleset or params.rulesets or params.rules)
        or (rules_all_misplaced and not params.ruleset and not params.rulesets)
    )
    # Every dead part is a rule id under the wrong ruleset: the same ids, each under its own
    # ruleset, are what the author meant.
    if moved and len(found.reasons) == moved:
        found.action_parameters = {
            **{k: v for k, v in raw.items() if k in ("ruleset", "rulesets") and v},
            "rules": regrouped,
        }
    return found


def _ruleset_name(ruleset_id: str) -> str:
    name = KNOWN_MANAGED_RULESETS.get(ruleset_id)
    return f"the {name} ({ruleset_id})" if name else f"ruleset {ruleset_id}"


def _product_gone(product: str, zone: Zone) -> bool:
    """Rate Limiting (previous version) stopped working after 2025-01-15 on every zone. WAF
    managed rules (previous version) are gone from a zone that migrated to WAF Managed Rules
    (it deploys a managed ruleset; the migration is irreversible) or whose legacy ``waf``
    setting is off."""
    if product == "rateLimit":
        return True
    if deployed_managed_rulesets(zone):
        return True
    setting = zone.settings.get("waf")
    return setting is not None and setting.value == "off"


def _runs_bot_fight_mode(zone: Zone) -> bool:
    bots = zone.bot_management
    return bots is not None and bots.fight_mode is True
