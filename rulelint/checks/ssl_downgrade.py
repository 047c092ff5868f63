"""ssl-downgrade: the SSL/TLS encryption mode ``off`` or ``flexible`` — as the zone setting, a
Page Rule setting or a Configuration Rule ``ssl`` — sends requests to the origin in plaintext.

Facts (Cloudflare, rules/reference/page-rules-migration.mdx, rules/configuration-rules/
settings.mdx, ssl/origin-configuration/ssl-modes): with Off or Flexible, Cloudflare connects
to the origin over HTTP. Error zone-wide or where the scope reaches login, API or admin hosts
or paths; warning for a narrower scope. See docs/checks/ssl-downgrade.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..analysis.exemptions import traffic_words
from ..analysis.sensitive_traffic import condition_literals, host_kind, path_kind, split_target
from ..findings import Suggestion
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.scope import Disjunct
    from ..findings import Finding
    from ..model import Zone

#: Modes that leave the Cloudflare-to-origin leg unencrypted, as the dashboard names them.
DOWNGRADED = {"off": "Off", "flexible": "Flexible"}

_NOTE = (
    "set the SSL/TLS encryption mode to Full (strict) (value \"strict\"); install an origin "
    "certificate first (a Cloudflare Origin CA certificate or a publicly trusted one), since Full "
    "(strict) only connects to an origin presenting a valid certificate"
)


class SslDowngrade(Check):
    id = "ssl-downgrade"
    severity = "error"
    summary = "The SSL/TLS mode off or flexible sends traffic to the origin unencrypted."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        setting = zone.settings.get("ssl")
        if setting is not None and _mode(setting.value) in DOWNGRADED and not _overridden_everywhere(zone, ctx):
            label = DOWNGRADED[_mode(setting.value)]
            where = f"zone {zone.name}" if zone.name else "this zone"
            yield self.finding(
                "error",
                f"The zone's SSL/TLS encryption mode is {label}: Cloudflare sends every request for "
                f"{where} to the origin over unencrypted HTTP, passwords, cookies and API tokens "
                "included.",
                ctx.location(setting.origin, zone, rule_id=setting.id),
                Suggestion(note=_NOTE) if ctx.suggestions else None,
            )
        for page_rule in zone.page_rules:
            if page_rule.status != "active":
                continue
            for action in page_rule.actions:
                if action.id != "ssl" or _mode(action.value) not in DOWNGRADED:
                    continue
                for target in page_rule.targets:
                    severity, reach = _target_reach(target)
                    yield self.finding(
                        severity,
                        f'Page Rule "{target}" sets the SSL/TLS encryption mode to '
                        f"{DOWNGRADED[_mode(action.value)]}: requests for {reach} reach the origin "
                        "over unencrypted HTTP.",
                        ctx.location(action.origin or page_rule.origin, zone, page_rule.id),
                        Suggestion(note="in the Page Rule, " + _NOTE) if ctx.suggestions else None,
                    )
        for ruleset in zone.rulesets:
            if ruleset.phase != "http_config_settings":
                continue
            for rule in ruleset.rules:
                params = rule.action_parameters or {}
                if not rule.enabled or rule.action != "set_config" or _mode(params.get("ssl")) not in DOWNGRADED:
                    continue
                facts = ctx.facts(zone)
                tree = facts.tree(rule.expression)
                if tree is None:
                    continue  # invalid-expression or unresolved-interpolation says why
                scope = facts.scope(tree)
                if scope.never_matches:
                    continue
                severity, reach = _scope_reach(scope.disjuncts)
                name = f'"{rule.description}"' if rule.description else (rule.ref or rule.id or "(unnamed)")
                fix = None
                if ctx.suggestions:
                    fix = Suggestion(
                        action_parameters={**params, "ssl": "strict"},
                        note="keep the rule's expression; " + _NOTE,
                    )
                yield self.finding(
                    severity,
                    f"Configuration Rule {name} sets the SSL/TLS encryption mode to "
                    f"{DOWNGRADED[_mode(params.get('ssl'))]} for {reach}: Cloudflare sends them to "
                    "the origin over unencrypted HTTP.",
                    ctx.location(rule.field_origins.get("action_parameters", rule.origin), zone, rule.id, rule.ref),
                    fix,
                    rule.expression.text if rule.expression is not None else None,
                )


def _overridden_everywhere(zone: Zone, ctx: CheckContext) -> bool:
    """Whether an enabled Configuration Rule matching every request, or an active Page Rule
    for every host and path, sets an encrypting mode: the zone setting then applies nowhere."""
    for ruleset in zone.rulesets:
        if ruleset.phase != "http_config_settings":
            continue
        for rule in ruleset.rules:
            mode = _mode((rule.action_parameters or {}).get("ssl"))
            if rule.enabled and rule.action == "set_config" and mode and mode not in DOWNGRADED:
                tree = ctx.facts(zone).tree(rule.expression)
                if tree is not None and ctx.facts(zone).scope(tree).always_true:
                    return True
    for page_rule in zone.page_rules:
        if page_rule.status != "active":
            continue
        modes = [_mode(a.value) for a in page_rule.actions if a.id == "ssl"]
        if modes and modes[0] not in DOWNGRADED and any(
            split_target(t)[0].startswith("*") and split_target(t)[1] in ("/*", "*") for t in page_rule.targets
        ):
            return True
    return False


def _mode(value) -> str:
    return value.lower() if isinstance(value, str) else ""


def _target_reach(target: str) -> tuple[str, str]:
    """(severity, what the Page Rule target covers): an error when the pattern names a login,
    API or admin host or path, or covers every host of the zone."""
    host, path = split_target(target)
    bare = host.lstrip("*").lstrip(".")
    kind = path_kind(path) or host_kind(bare)
    if kind:
        return "error", f'URLs matching "{target}" ({kind} traffic)'
    if path in ("/*", "*") or (not path and host.endswith("*")):
        if host.startswith("*"):
            return "error", f"every host and path of {bare}"
        return "warning", f"every path of {bare}"
    return "warning", f'URLs matching "{target}"'


def _scope_reach(disjuncts: tuple[Disjunct, ...]) -> tuple[str, str]:
    """(severity, the traffic words) for a Configuration Rule's scope: an error when some
    alternative has no host or path condition, or a positive one naming login, API or admin
    traffic."""
    for disjunct in disjuncts:
        if disjunct.always_true or (not disjunct.host and not disjunct.path):
            return "error", "every request of the zone" if disjunct.always_true else traffic_words(disjunct, with_source=False)
    for disjunct in disjuncts:
        for condition in (*disjunct.path, *disjunct.host):
            kinds = [
                path_kind(text) if condition.kind == "path" else host_kind(text)
                for text in condition_literals(condition.node)
            ]
            kind = next((k for k in kinds if k), None)
            if kind and not condition.negated:
                return "error", f"{kind} traffic ({traffic_words(disjunct, with_source=False)})"
    return "warning", traffic_words(disjuncts[0], with_source=False)

