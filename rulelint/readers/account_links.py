"""Which zones each account-level rule runs on, and which phase an executed custom ruleset runs in.

An account's ``root`` entry point runs against every zone of the account; its rules (and the
``custom`` rulesets it ``execute``s) are narrowed to zones by their expressions, e.g.
``cf.zone.name eq "example.com"``. A rule is linked to the zones its zone condition names
(the executing rule's condition and the rule's own, both). A rule without a zone condition
runs on every zone: it is put once in a pseudo-zone of the account (``Zone.account_scope``)
so it is analysed and reported once, not once per zone. See docs/bundle-format.md.
"""

from __future__ import annotations

import dataclasses

import re
from typing import TYPE_CHECKING, Callable, Iterable

from ..model import Ruleset, Zone

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Account, Expression, Rule

# A zone set: the indexes of the zones a rule runs on, or None for "every zone".
ZoneSet = frozenset[int] | None
Condition = Callable[[Zone], bool]

_PLAN_CODES = {"enterprise": "ENT", "business": "BIZ", "pro": "PRO", "free": "FREE"}
_TERRAFORM_ADDRESS = re.compile(r"^cloudflare_ruleset\.[A-Za-z0-9_-]+$")


def link_account_rulesets(accounts: list[Account], zones: list[Zone]) -> list[Zone]:
    """Fill ``account_rulesets`` of ``zones``; return the accounts' pseudo-zones (rules that
    run on every zone, or on no zone among ``zones``), one per account that has any."""
    for zone in zones:
        set_executed_phases(zone.rulesets)
    pseudo_zones = []
    for account in accounts:
        pseudo = Zone(account_scope=_account_words(account.id, account.name))
        placements = _placements(account.rulesets, zones)
        for target, rulesets in placements.items():
            zone = pseudo if target is None else zones[target]
            zone.account_rulesets.extend(rulesets)
        if pseudo.account_rulesets:
            pseudo_zones.append(pseudo)
    return pseudo_zones


def _account_words(account_id: str | None, name: str | None) -> str:
    label = account_id or name
    return f"account {label}" if label else "account"


def _placements(rulesets: list[Ruleset], zones: list[Zone]) -> dict[int | None, list[Ruleset]]:
    """Zone index (None: the pseudo-zone) -> views of ``rulesets`` holding the rules that run
    there, in the account's order."""
    by_key = _by_key(rulesets)
    conditions = _ZoneConditions(zones)
    # id(custom ruleset) -> [(zone set of the executing rule, executing rule enabled)]
    executions: dict[int, list[tuple[ZoneSet, bool]]] = {}
    for ruleset in rulesets:
        if ruleset.kind in ("custom", "managed"):
            continue
        for rule in ruleset.rules:
            target = _executed(rule, by_key)
            if target is None or target is ruleset or target.kind != "custom":
                continue
            executions.setdefault(id(target), []).append((conditions.of(rule.expression), rule.enabled))
            if target.phase is None:
                target.phase = ruleset.phase
    placed: dict[int | None, dict[int, tuple[Ruleset, list[Rule]]]] = {}
    for ruleset in rulesets:
        if ruleset.kind == "managed":
            continue  # Cloudflare's own rules: not analysed (as in a zone)
        runs = executions.get(id(ruleset)) if ruleset.kind == "custom" else None
        enabled_runs = [zone_set for zone_set, enabled in runs or () if enabled]
        for rule in ruleset.rules:
            own = conditions.of(rule.expression)
            zone_set = _union(_intersection(run, own) for run in enabled_runs) if enabled_runs else own
            for target in _targets(zone_set):
                entry = placed.setdefault(target, {}).setdefault(id(ruleset), (ruleset, []))
                entry[1].append(rule)
    return {target: [_view(ruleset, rules) for ruleset, rules in views.values()]
            for target, views in placed.items()}


def _targets(zone_set: ZoneSet) -> list[int | None]:
    if not zone_set:  # every zone, or none of the zones read: analysed once, at account level
        return [None]
    return sorted(zone_set)


def _view(ruleset: Ruleset, rules: list[Rule]) -> Ruleset:
    if len(rules) == len(ruleset.rules):
        return ruleset
    return dataclasses.replace(ruleset, rules=rules)


def _intersection(first: ZoneSet, second: ZoneSet) -> ZoneSet:
    if first is None:
        return second
    if second is None:
        return first
    return first & second


def _union(sets: Iterable[ZoneSet]) -> ZoneSet:
    result: frozenset[int] = frozenset()
    for zone_set in sets:
        if zone_set is None:
            return None
        result |= zone_set
    return result


def _by_key(rulesets: list[Ruleset]) -> dict[str, Ruleset]:
    """Rulesets by id and by Terraform address (the first of each wins)."""
    keys: dict[str, Ruleset] = {}
    for ruleset in rulesets:
        if ruleset.id:
            keys.setdefault(ruleset.id, ruleset)
        address = ruleset.origin.address
        if address and _TERRAFORM_ADDRESS.match(address):
            keys.setdefault(address, ruleset)
    return keys


def _executed(rule: Rule, by_key: dict[str, Ruleset]) -> Ruleset | None:
    """The ruleset an ``execute`` rule runs, when it is among ``by_key``."""
    if rule.action != "execute" or rule.execute is None:
        return None
    for key in (rule.execute.id, rule.execute.ruleset_ref):
        if key and key in by_key:
            return by_key[key]
    return None


def set_executed_phases(rulesets: list[Ruleset]) -> None:
    """A custom ruleset without a phase runs in the phase of the entry point executing it."""
    by_key = _by_key(rulesets)
    for ruleset in rulesets:
        if ruleset.kind in ("custom", "managed") or ruleset.phase is None:
            continue
        for rule in ruleset.rules:
            target = _executed(rule, by_key)
            if target is not None and target.kind == "custom" and target.phase is None:
                target.phase = ruleset.phase


class _ZoneConditions:
    """The zone set of an expression: the zones its ``cf.zone.*`` condition names."""

    def __init__(self, zones: list[Zone]) -> None:
        self.zones = zones
        self._cache: dict[str, ZoneSet] = {}

    def of(self, expression: Expression | None) -> ZoneSet:
        if expression is None or expression.unresolved or expression.context != "filter":
            return None
        text = expression.text
        if "cf.zone." not in text:
            return None
        if text not in self._cache:
            condition = zone_condition(text)
            self._cache[text] = None if condition is None else frozenset(
                index for index, zone in enumerate(self.zones) if condition(zone))
        return self._cache[text]


def zone_condition(text: str) -> Condition | None:
    """A test of which zones the filter expression ``text`` can match, from its literal
    comparisons of ``cf.zone.name``, ``cf.zone.id`` or ``cf.zone.plan`` (``eq`` or ``in``)
    that every match must pass; None when it does not restrict zones that way."""
    from ..language import parse

    try:
        tree = parse(text, "filter").tree
    except Exception:  # a parser bug must not stop reading; the checks report the expression
        return None
    return _condition(tree) if tree is not None else None


def _condition(node) -> Condition | None:
    from ..language import ast

    while isinstance(node, ast.Group):
        node = node.inner
    if isinstance(node, ast.Comparison):
        return _comparison(node)
    if isinstance(node, ast.Logical) and node.op == "and":
        parts = [part for part in (_condition(item) for item in node.items) if part is not None]
        if not parts:
            return None
        return lambda zone: all(part(zone) for part in parts)
    if isinstance(node, ast.Logical) and node.op == "or":
        parts = [_condition(item) for item in node.items]
        if not parts or any(part is None for part in parts):
            return None
        return lambda zone: any(part(zone) for part in parts)
    return None


def _comparison(node) -> Condition | None:
    from ..language import ast

    if not isinstance(node.lhs, ast.Field):
        return None
    if node.op == "eq" and isinstance(node.rhs, ast.StringLit):
        literals = [node.rhs]
    elif node.op == "in" and isinstance(node.rhs, ast.ListLit) and all(
            isinstance(item, ast.StringLit) for item in node.rhs.items):
        literals = list(node.rhs.items)
    else:
        return None
    values = {literal.value.decode("utf-8", "replace") for literal in literals}
    field = node.lhs.name
    if field == "cf.zone.name":
        names = {value.lower().rstrip(".") for value in values}
        return lambda zone: (zone.name or "").lower().rstrip(".") in names
    if field == "cf.zone.id":
        ids = {value.lower() for value in values}
        return lambda zone: (zone.id or "").lower() in ids
    if field == "cf.zone.plan":
        return lambda zone: _plan_code(zone.plan) in values
    return None


def _plan_code(plan: str | None) -> str | None:
    """``cf.zone.plan``'s value for a zone's plan as exported ("enterprise", "Pro Website"…)."""
    words = (plan or "").lower().split()
    return _PLAN_CODES.get(words[0]) if words else None
