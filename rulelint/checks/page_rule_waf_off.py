"""page-rule-waf-off: a Page Rule that turns the WAF or security off (``waf: off``,
``disable_security``, ``browser_check: off``, a lowered ``security_level``), or a Configuration
Rule that turns Browser Integrity Check off or sets ``security_level`` to no effect.

Facts (Cloudflare, cloudflare-facts.md, "Page Rules and Configuration Rules"):
the WAF setting acts on WAF managed rules (previous version) only; Disable Security also on
Rate Limiting (previous version) and on three current products, Zone Lockdown, Scrape Shield
and Email Obfuscation, so on a new-WAF zone it still voids every Zone Lockdown rule its target
covers. Both are deprecated and not migrated; the WAF migration converted them into new-WAF
configuration. The threat score is always 0, so Security Level lowers nothing; in Configuration
Rules ``security_level`` is the "I'm Under Attack" toggle. Browser Integrity Check off is a
real downgrade. See docs/checks/page-rule-waf-off.md.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Lockdown, PageRule, Setting, Zone

from ..analysis import narrowing
from ..analysis.exemptions import MANAGED_PHASE, broadest, traffic_words
from ..analysis.managed_deployment import acting_managed_rulesets
from ..analysis.page_rule_targets import PageRuleTarget, parse_target, target_expression, targets_overlap
from ..findings import Finding, Related, Suggestion
from ..analysis.wording import join_words
from ..records import Record, record, set_field
from .base import Check, CheckContext
from ..model.names import object_name

_LOW_LEVELS = ("essentially_off", "off")
_PREVIOUS_VERSION = "WAF managed rules (previous version), Rate Limiting (previous version)"
_CURRENT_PRODUCTS = "Zone Lockdown, Scrape Shield and Email Obfuscation"


@record
class _Waf(Record):
    """Which WAF the zone runs: ``legacy`` (its legacy ``waf`` setting is on), ``new`` (the
    managed phase executes a managed ruleset that still blocks) or ``unknown``; ``setting`` is
    the legacy ``waf`` setting when the configuration has one."""

    version: str
    setting: Setting | None
    acting: tuple[str, ...]

    def __init__(self, version: str, setting: Setting | None, acting: tuple[str, ...]) -> None:
        set_field(self, "version", version)
        set_field(self, "setting", setting)
        set_field(self, "acting", acting)


class PageRuleWafOff(Check):
    id = "page-rule-waf-off"
    severity = "error"
    summary = (
        "A Page Rule turns the WAF, Disable Security or Browser Integrity Check off, or a "
        "Configuration Rule turns Browser Integrity Check off."
    )

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        waf = _waf_of(zone)
        lockdowns = _LockdownUrls(zone.lockdowns)
        for page_rule in zone.page_rules:
            if page_rule.status != "active":
                continue
            for text in page_rule.targets:
                target = parse_target(text)
                if target is not None:
                    yield from self._page_rule(zone, ctx, page_rule, target, waf, lockdowns)
        for ruleset in zone.rulesets:
            if ruleset.phase != "http_config_settings":
                continue
            for rule in ruleset.rules:
                if rule.action == "set_config" and rule.enabled:
                    yield from self._config_rule(zone, ctx, rule)

    # -- Page Rules --------------------------------------------------------------------------

    def _page_rule(self, zone, ctx, page_rule: PageRule, target: PageRuleTarget, waf: _Waf, lockdowns):
        subject = f'Page Rule "{target.text}"'
        coverage = _coverage(target)
        for action in page_rule.actions:
            location = ctx.location(action.origin or page_rule.origin, zone, page_rule.id)
            value = _text(action.value)
            if action.id == "waf" and value == "off":
                yield self._waf_off(zone, ctx, subject, coverage, target, waf, location)
            elif action.id == "disable_security" and value != "false":
                voided = lockdowns.covered_by(target)
                yield self._disable_security(zone, ctx, subject, coverage, target, waf, voided, location)
            elif action.id == "security_level" and value in _LOW_LEVELS:
                yield self._security_level(zone, ctx, subject, coverage, value, location)
            elif action.id == "browser_check" and value == "off":
                message = (
                    f"{subject} turns Browser Integrity Check off, which stops challenging requests "
                    f"with missing or abusive user agents and headers for {coverage}; the setting "
                    "migrates to a Configuration Rule and keeps acting."
                )
                fix = self._config_suggestion(ctx, zone, target, {"bic": False})
                yield self.finding("warning", message, location, fix)

    def _waf_off(self, zone, ctx, subject, coverage, target, waf: _Waf, location) -> Finding:
        turns_off = f"{subject} turns the Web Application Firewall setting off"
        if waf.version == "new":
            message = (
                f"{turns_off}, which acts only on WAF managed rules (previous version); this zone "
                "runs the new WAF Managed Rules, which the setting does not affect: remove the "
                "setting. The WAF migration converted it into new-WAF configuration: look for the "
                f"exception it created for {coverage}."
            )
            return self._with_related(self.finding("warning", message, location), _setting_related(ctx, zone, waf))
        message = f"{turns_off}, which turns off WAF managed rules (previous version) for {coverage}"
        if waf.version == "legacy":
            message += "; the zone still runs the previous WAF (its legacy waf setting is on)"
        message += "; the setting is deprecated and Cloudflare will not migrate it when it migrates Page Rules."
        severity = "error" if waf.version == "legacy" and target.covers_whole_host else "warning"
        fix = self._waf_exception(zone, ctx, target, waf, "waf")
        return self._with_related(self.finding(severity, message, location, fix), _setting_related(ctx, zone, waf))

    def _disable_security(self, zone, ctx, subject, coverage, target, waf: _Waf, voided, location) -> Finding:
        sets = f"{subject} sets Disable Security"
        if waf.version == "new":
            message = f"{sets}, which on this zone still turns off {_CURRENT_PRODUCTS} for {coverage}"
        else:
            message = f"{sets}, which turns off {_PREVIOUS_VERSION}, {_CURRENT_PRODUCTS} for {coverage}"
        if voided:
            names = sorted(dict.fromkeys(_lockdown_name(lockdown) for lockdown, _, _ in voided))
            rules = "rule" if len(names) == 1 else "rules"
            message += f"; it voids the Zone Lockdown {rules} {join_words(names)}, whose URLs it covers"
        if waf.version == "new":
            message += (
                "; the previous-version WAF managed rules and Rate Limiting it also turned off no "
                "longer run here. The setting is deprecated and will not be migrated: remove it. "
                "The WAF migration converted it into new-WAF configuration: look for the exception "
                "it created; put Scrape Shield and Email Obfuscation in a Configuration Rule if they "
                "must stay off."
            )
            fix = None
        else:
            if waf.version == "legacy":
                message += "; the zone still runs the previous WAF (its legacy waf setting is on)"
            message += "; the setting is deprecated and Cloudflare will not migrate it when it migrates Page Rules."
            fix = self._waf_exception(zone, ctx, target, waf, "disable_security")
        severity = "error" if voided or (waf.version == "legacy" and target.covers_whole_host) else "warning"
        related = [
            Related(
                f'Zone Lockdown {_lockdown_name(lockdown)} on "{url}": {subject} turns it off '
                "for the URLs both cover",
                ctx.location(lockdown.origin, zone, lockdown.id),
            )
            for lockdown, url, _ in voided
        ]
        return self._with_related(self.finding(severity, message, location, fix), related + _setting_related(ctx, zone, waf))

    def _security_level(self, zone, ctx, subject, coverage, value, location) -> Finding:
        level = value.replace("_", " ")
        zone_level = zone.settings.get("security_level")
        if zone_level is not None and _text(zone_level.value) == "under_attack":
            message = (
                f"{subject} sets Security Level to {level} for {coverage}, where it lifts I'm Under "
                "Attack mode, which is on for the zone."
            )
            related = [Related("I'm Under Attack mode is on for the zone here", ctx.location(zone_level.origin, zone))]
            return self._with_related(self.finding("warning", message, location), related)
        message = (
            f"{subject} sets Security Level to {level} for {coverage}; the threat score Security "
            "Level acted on is no longer populated (always 0), so it lowers nothing: remove the "
            "setting (in Configuration Rules it becomes \"I'm Under Attack\", where essentially off "
            "is the default)."
        )
        return self.finding("info", message, location)

    def _waf_exception(self, zone, ctx, target, waf: _Waf, setting: str) -> Suggestion | None:
        """A managed-rules exception replacing the Page Rule, for a zone that may still run the
        previous WAF (on a new-WAF zone the migration already converted the setting)."""
        if not ctx.suggestions:
            return None
        list_name = _list_for(target)
        expression = _replacement(ctx, zone, target, list_name)
        if expression is None:
            return None
        skipped = (
            "replace the rulesets with the ids of the rules that misfire"
            if waf.acting
            else "make it skip the managed rulesets you deploy, or better the ids of the rules that misfire"
        )
        note = (
            "a replacement, not a narrower Page Rule: remove the setting from the Page Rule and add "
            f"this WAF exception (a skip rule in phase {MANAGED_PHASE}, placed before its execute "
            f"rule); create the IP list ${list_name} with the clients that need it and "
            f"{skipped} (Security Events shows them)"
        )
        if setting == "disable_security":
            note += "; Email Obfuscation and Scrape Shield, if they must stay off, go in a Configuration Rule"
        # Name only rulesets the zone runs with blocking on: anything else would be a made-up fix.
        params = {"rulesets": list(waf.acting)} if waf.acting else None
        return Suggestion(expression=expression, action_parameters=params, note=note)

    def _config_suggestion(self, ctx, zone, target, parameters) -> Suggestion | None:
        if not ctx.suggestions:
            return None
        list_name = _list_for(target)
        expression = _replacement(ctx, zone, target, list_name)
        if expression is None:
            return None
        return Suggestion(
            expression=expression,
            action_parameters=parameters,
            note=(
                "a replacement, not a narrower Page Rule: remove the setting from the Page Rule and "
                "add this Configuration Rule (set_config in phase http_config_settings), limited to "
                f"the clients that need it; create the IP list ${list_name} with their addresses"
            ),
        )

    # -- Configuration Rules -------------------------------------------------------------------

    def _config_rule(self, zone, ctx, rule):
        params = rule.action_parameters or {}
        level = params.get("security_level")
        bic_off = params.get("bic") is False
        if level not in _LOW_LEVELS and not bic_off:
            return
        facts = ctx.facts(zone)
        tree = facts.tree(rule.expression)
        if tree is None:
            return
        scope = facts.scope(tree)
        if scope.never_matches:
            return
        name = object_name(rule)
        location = ctx.location(rule.field_origins.get("action_parameters", rule.origin), zone, rule.id, rule.ref)
        no_effect = (
            f"security_level {level.replace('_', ' ')} changes nothing: in Configuration Rules "
            "security_level is the \"I'm Under Attack\" setting, whose default is essentially off, "
            "and the threat score the other levels acted on is always 0"
            if level in _LOW_LEVELS
            else ""
        )
        if not bic_off:
            zone_level = zone.settings.get("security_level")
            if zone_level is not None and _text(zone_level.value) == "under_attack":
                return  # lifting I'm Under Attack for some traffic is what the toggle is for
            message = f"Configuration Rule {name}: its {no_effect}; remove it."
            yield self.finding("info", message, location, None, rule.expression.text)
            return
        wide = broadest(scope)
        traffic = traffic_words(wide or scope.disjuncts[0])
        message = f"Configuration Rule {name} turns Browser Integrity Check off for {traffic}."
        if no_effect:
            message = message[:-1] + f"; its {no_effect}."
        fix = None
        if ctx.suggestions:
            list_name = narrowing.list_name(rule.description, rule.ref, rule.id)
            added = narrowing.narrow(
                tree,
                lambda i, item: not all(d.has_source for d in facts.scope(item).disjuncts),
                lambda i, item: [narrowing.source_in_list(list_name)],
                replace_paths=False,
            )
            text = narrowing.checked_suggestion(tree, added, facts.proofs)
            if text is not None:
                fix = Suggestion(
                    expression=text,
                    note=f"create the IP list ${list_name} with the clients that need Browser Integrity Check off",
                )
        yield self.finding("warning", message, location, fix, rule.expression.text)

    @staticmethod
    def _with_related(finding: Finding, related: list[Related]) -> Finding:
        return dataclasses.replace(finding, related=tuple(related)) if related else finding


class _LockdownUrls:
    """The URLs of the zone's active Zone Lockdown rules, indexed by host, so a Page Rule is
    compared only with the lockdowns that can share a URL with it (a wildcard host on either
    side is compared with everything)."""

    def __init__(self, lockdowns: list[Lockdown]):
        self.by_host: dict[str, list[tuple[Lockdown, str, PageRuleTarget]]] = {}
        self.wildcard_hosts: list[tuple[Lockdown, str, PageRuleTarget]] = []
        self.every: list[tuple[Lockdown, str, PageRuleTarget]] = []
        for lockdown in lockdowns:
            if lockdown.paused:
                continue
            for url in lockdown.urls:
                target = parse_target(url)
                if target is None:
                    continue
                item = (lockdown, url, target)
                self.every.append(item)
                if "*" in target.host:
                    self.wildcard_hosts.append(item)
                else:
                    self.by_host.setdefault(target.host, []).append(item)
        self.position = {id(item): position for position, item in enumerate(self.every)}

    def covered_by(self, page_rule: PageRuleTarget) -> list[tuple[Lockdown, str, PageRuleTarget]]:
        """(lockdown, URL, parsed URL) for each lockdown URL the Page Rule target shares a URL
        with, in the zone's order."""
        if "*" in page_rule.host:
            candidates = self.every
        else:
            candidates = self.by_host.get(page_rule.host, []) + self.wildcard_hosts
        found = [item for item in candidates if targets_overlap(page_rule, item[2])]
        return sorted(found, key=lambda item: self.position[id(item)])


def _waf_of(zone: Zone) -> _Waf:
    setting = zone.settings.get("waf")
    acting = tuple(acting_managed_rulesets(zone))
    if setting is not None and _text(setting.value) == "on":
        version = "legacy"
    elif acting:
        version = "new"
    else:
        version = "unknown"
    return _Waf(version, setting, acting)


def _setting_related(ctx, zone, waf: _Waf) -> list[Related]:
    if waf.setting is None:
        return []
    value = _text(waf.setting.value)
    if value == "on":
        message = "the legacy waf setting is on: the zone still runs the previous WAF"
    else:
        message = f"the legacy waf setting ({value or 'no value'})"
    return [Related(message, ctx.location(waf.setting.origin, zone))]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else "false"
    return str(value).lower()


def _coverage(target: PageRuleTarget) -> str:
    if target.covers_whole_host:
        return f"every URL of {target.host_name}"
    if not target.path and target.query is None and target.port is None and "*" not in target.host:
        return f'only the root page "/" of {target.host}'
    return f'URLs matching "{target.text}"'


def _lockdown_name(lockdown: Lockdown) -> str:
    return object_name(lockdown)




def _replacement(ctx, zone, target: PageRuleTarget, list_name: str) -> str | None:
    """The target's expression limited to the clients in ``list_name``, proven narrower than
    the target's own expression; None when the target has no exact translation."""
    tree = target_expression(target.text)
    if tree is None:
        return None
    narrowed = narrowing.all_of([tree, narrowing.source_in_list(list_name)])
    return narrowing.checked_suggestion(tree, narrowed, ctx.facts(zone).proofs)


def _list_for(target: PageRuleTarget) -> str:
    words = f"{target.host} {target.path}".replace(".", " ").replace(":", " ")
    return narrowing.list_name(words)
