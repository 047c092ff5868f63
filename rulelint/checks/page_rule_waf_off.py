"""page-rule-waf-off: a Page Rule that turns the WAF or security off (``waf: off``,
``disable_security``, ``security_level: essentially_off``, and as a warning
``browser_check: off``), or a Configuration Rule that lowers Security Level to essentially
off or turns Browser Integrity Check off.

Facts (Cloudflare, rules/reference/page-rules-migration.mdx): the WAF setting and Disable
Security act on WAF managed rules (previous version) — Disable Security also on Rate Limiting
(previous version), Zone Lockdown, Scrape Shield and Email Obfuscation; both are deprecated and
will not be migrated. Security Level migrates to a Configuration Rule and keeps acting.
See docs/checks/page-rule-waf-off.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import PageRule, Zone

import re
from typing import Iterable

from ..analysis import narrowing
from ..findings import Finding, Suggestion
from ..language import ast
from ..analysis.exemptions import MANAGED_PHASE, broadest, traffic_words
from .base import Check, CheckContext

_LOW_LEVELS = ("essentially_off", "off")
_WAF_OFF_WHAT = "WAF managed rules (previous version)"
_DISABLE_SECURITY_WHAT = (
    "WAF managed rules (previous version), Rate Limiting (previous version), Zone Lockdown, "
    "Scrape Shield and Email Obfuscation"
)


class PageRuleWafOff(Check):
    id = "page-rule-waf-off"
    severity = "error"
    summary = "A Page Rule or Configuration Rule turns the WAF, security level or Browser Integrity Check off."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        legacy_waf_on = _legacy_waf_on(zone)
        new_waf = bool(ctx.facts(zone).deployed_managed_rulesets)
        for page_rule in zone.page_rules:
            if page_rule.status != "active":
                continue
            for target in page_rule.targets:
                yield from self._page_rule(zone, ctx, page_rule, target, legacy_waf_on, new_waf)
        for ruleset in zone.rulesets:
            if ruleset.phase != "http_config_settings":
                continue
            for rule in ruleset.rules:
                if rule.action == "set_config" and rule.enabled:
                    yield from self._config_rule(zone, ctx, rule)

    # -- Page Rules --------------------------------------------------------------------------

    def _page_rule(self, zone, ctx, page_rule: PageRule, target, legacy_waf_on, new_waf):
        whole_host = _covers_whole_host(target)
        coverage = f"every URL of {_host_of(target)}" if whole_host else f'URLs matching "{target}"'
        subject = f'Page Rule "{target}"'
        for action in page_rule.actions:
            location = ctx.location(action.origin or page_rule.origin, zone, page_rule.id)
            value = _text(action.value)
            if action.id == "waf" and value == "off" or action.id == "disable_security" and value != "false":
                what = _WAF_OFF_WHAT if action.id == "waf" else _DISABLE_SECURITY_WHAT
                setting = "turns the Web Application Firewall setting off" if action.id == "waf" else "sets Disable Security"
                message = (
                    f"{subject} {setting}, which turns off {what} for {coverage}; the setting is "
                    "deprecated and Cloudflare will not migrate it when it migrates Page Rules."
                )
                if new_waf and not legacy_waf_on:
                    message = message[:-1] + (
                        "; this zone runs the new WAF Managed Rules, which the setting does not "
                        "affect, so the rule no longer does what its author meant and only blocks migration."
                    )
                elif legacy_waf_on:
                    message = message[:-1] + (
                        "; the zone still runs the previous WAF (its legacy waf setting is on, "
                        f"{_where(zone.settings['waf'].origin)})."
                    )
                severity = "error" if legacy_waf_on and whole_host else "warning"
                yield self.finding(
                    severity, message, location, self._waf_exception(zone, ctx, target, action.id)
                )
            elif action.id == "security_level" and value in _LOW_LEVELS:
                message = (
                    f"{subject} sets Security Level to {value.replace('_', ' ')}, which stops "
                    f"challenging visitors with a poor IP reputation for {coverage}; the setting "
                    "migrates to a Configuration Rule and keeps acting."
                )
                yield self.finding(
                    "error" if whole_host else "warning",
                    message,
                    location,
                    self._config_suggestion(ctx, target, {"security_level": value}),
                )
            elif action.id == "browser_check" and value == "off":
                message = (
                    f"{subject} turns Browser Integrity Check off, which stops challenging requests "
                    f"with missing or abusive user agents and headers for {coverage}; the setting "
                    "migrates to a Configuration Rule and keeps acting."
                )
                yield self.finding(
                    "warning", message, location, self._config_suggestion(ctx, target, {"bic": False})
                )

    def _waf_exception(self, zone, ctx, target, setting: str) -> Suggestion | None:
        if not ctx.suggestions:
            return None
        expression = _checked(target_expression(target), narrowing.source_in_list(_list_for(target)))
        if expression is None:
            return None
        deployed = list(ctx.facts(zone).deployed_managed_rulesets)
        skipped = (
            "replace the rulesets with the ids of the rules that misfire"
            if deployed
            else "make it skip the managed rulesets you deploy, or better the ids of the rules that misfire"
        )
        note = (
            "a replacement, not a narrower Page Rule: remove the setting from the Page Rule and add "
            f"this WAF exception (a skip rule in phase {MANAGED_PHASE}, placed before its execute "
            f"rule); create the IP list ${_list_for(target)} with the clients that need it and "
            f"{skipped} (Security Events shows them)"
        )
        if setting == "disable_security":
            note += "; Email Obfuscation and Scrape Shield, if they must stay off, go in a Configuration Rule"
        # Name only rulesets the zone deploys: an id it does not run would be a made-up fix.
        params = {"rulesets": deployed} if deployed else None
        return Suggestion(expression=expression, action_parameters=params, note=note)

    def _config_suggestion(self, ctx, target, parameters) -> Suggestion | None:
        if not ctx.suggestions:
            return None
        expression = _checked(target_expression(target), narrowing.source_in_list(_list_for(target)))
        if expression is None:
            return None
        return Suggestion(
            expression=expression,
            action_parameters=parameters,
            note=(
                "a replacement, not a narrower Page Rule: remove the setting from the Page Rule and "
                "add this Configuration Rule (set_config in phase http_config_settings), limited to "
                f"the clients that need it; create the IP list ${_list_for(target)} with their addresses"
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
        wide = broadest(scope)
        traffic = traffic_words(wide or scope.disjuncts[0])
        name = f'"{rule.description}"' if rule.description else (rule.ref or rule.id or "(unnamed)")
        if level in _LOW_LEVELS:
            what = f"sets Security Level to {level.replace('_', ' ')}"
            if bic_off:
                what += " and turns Browser Integrity Check off"
            severity = "error" if wide is not None and wide.breadth in ("always", "unrestricted", "host") else "warning"
        else:
            what, severity = "turns Browser Integrity Check off", "warning"
        message = f"Configuration Rule {name} {what} for {traffic}."
        fix = None
        if ctx.suggestions:
            added = narrowing.narrow(
                tree,
                lambda i, item: not all(d.has_source for d in facts.scope(item).disjuncts),
                lambda i, item: [narrowing.source_in_list(narrowing.list_name(rule.description, rule.ref, rule.id))],
                replace_paths=False,
            )
            text = narrowing.checked_suggestion(tree, added, facts.proofs)
            if text is not None:
                fix = Suggestion(
                    expression=text,
                    note=f"create the IP list ${narrowing.list_name(rule.description, rule.ref, rule.id)} "
                    "with the clients that need the lower setting",
                )
        yield self.finding(
            severity,
            message,
            ctx.location(rule.field_origins.get("action_parameters", rule.origin), zone, rule.id, rule.ref),
            fix,
            rule.expression.text,
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else "false"
    return str(value).lower()


def _legacy_waf_on(zone: Zone) -> bool:
    setting = zone.settings.get("waf")
    return setting is not None and _text(setting.value) == "on"


_TARGET = re.compile(
    r"^(?:(?P<scheme>[A-Za-z*]+)://)?(?P<host>[^/?]*)(?P<path>[^?]*)(?P<query>\?.*)?$", re.DOTALL
)


def _parts(target: str) -> tuple[str | None, str, str, str | None]:
    """(scheme or None, host as written lowercased, path, query with its ``?`` or None)."""
    match = _TARGET.match(target.strip())
    assert match is not None  # every group is optional
    scheme = match["scheme"]
    return (scheme.lower() if scheme else None), match["host"].lower(), match["path"], match["query"]


def _split(target: str) -> tuple[str, str]:
    _, host, path, _ = _parts(target)
    return host, path


def _where(origin) -> str:
    """``settings.tf:12:5``: a position short enough for a message (the file's name only)."""
    from pathlib import PurePath

    return f"{PurePath(origin.file).name}:{origin.line}:{origin.column}"


def _host_of(target: str) -> str:
    host, _ = _split(target)
    return host.lstrip("*").lstrip(".") or host


def _covers_whole_host(target: str) -> bool:
    """``example.com/*``, ``*example.com/*``, ``example.com*``: every path of a host."""
    _, host, path, query = _parts(target)
    return query is None and (path == "/*" or (not path and host.endswith("*")))


def target_expression(target: str) -> ast.Node | None:
    """The Page Rule URL pattern as a filter expression matching the same URLs.

    A pattern with no scheme, port or query string becomes conditions on host and path, which
    match exactly what the Page Rule matches (Page Rules ignore the scheme and the query string
    unless written). Otherwise it becomes Cloudflare's documented translation
    (rules/reference/page-rules-migration): ``http.request.full_uri wildcard`` on the pattern,
    with ``http*://`` in front when no scheme is written and a trailing ``*`` when no query
    string is."""
    scheme, host, path, query = _parts(target)
    if not host:
        return None
    if scheme in (None, "*") and ":" not in host and query is None:
        return _host_path_expression(host, path)
    rest = target.strip().split("://", 1)[1] if scheme else target.strip()
    pattern = ("http*" if scheme in (None, "*") else scheme) + "://" + rest
    if query is None and not pattern.endswith("*"):
        pattern += "*"
    return ast.Comparison(ast.Field("http.request.full_uri"), "wildcard", narrowing.string(pattern))


def _host_path_expression(host: str, path: str) -> ast.Node:
    parts: list[ast.Node] = []
    if "*" in host:
        parts.append(ast.Comparison(ast.Field("http.host"), "wildcard", narrowing.string(host)))
    else:
        parts.append(narrowing.host_in([host]))
    if path not in ("", "/*"):
        body = path[:-1] if path.endswith("*") else path
        if "*" not in body and path.endswith("*"):
            parts.append(narrowing.starts_with("http.request.uri.path", body))
        elif "*" not in path:
            parts.append(
                ast.Comparison(ast.Field("http.request.uri.path"), "eq", narrowing.string(path))
            )
        else:
            parts.append(
                ast.Comparison(ast.Field("http.request.uri.path"), "wildcard", narrowing.string(path))
            )
    return narrowing.all_of(parts)


def _checked(tree: ast.Node | None, source: ast.Node) -> str | None:
    if tree is None:
        return None
    from ..language import print_expression

    try:
        text = print_expression(narrowing.all_of([tree, source]))
    except Exception:
        return None
    return text if narrowing.verified(text) is not None else None


def _list_for(target: str) -> str:
    host, path = _split(target)
    return narrowing.list_name(f"{host} {path}".replace(".", " ").replace(":", " "))
