"""bot-fight-mode-api: Bot Fight Mode on a zone that serves machine clients.

Facts (Cloudflare, bots/get-started/bot-fight-mode.mdx): Bot Fight Mode is one switch for the
whole zone; no WAF skip rule or Page Rule can exempt a request from it; only an IP Access
Rule matching the client's address does. API clients, webhooks and mobile apps with changing
addresses get challenged and cannot answer. See docs/checks/bot-fight-mode-api.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.expressions import ExpressionParser
    from ..model import Zone

import re
from typing import Iterable

from ..analysis import narrowing
from ..findings import Finding, Suggestion
from ..language import ast
from ..analysis.scope import PATH_FIELDS, base_field, literal_text
from ..analysis.exemptions import join_words
from .base import Check, CheckContext, Option

API_LABELS = ("api", "webhook", "webhooks", "hooks", "graphql", "mobile", "app-api")
API_PATHS = ("/api/", "/graphql", "/webhook", "/v1/")


class BotFightModeApi(Check):
    id = "bot-fight-mode-api"
    severity = "error"
    summary = "Bot Fight Mode is on for a zone that serves API, webhook or mobile clients."
    options = (
        Option(
            "api_host_words",
            "list[str]",
            list(API_LABELS),
            "A hostname is API evidence when its first label is one of these words or starts with "
            "one followed by `-` (`api.example.com`, `api-eu.example.com`). Replaces the default list.",
        ),
        Option(
            "api_path_words",
            "list[str]",
            list(API_PATHS),
            "A path in a rule condition is API evidence when it contains one of these "
            "(case-insensitive). Replaces the default list.",
        ),
    )

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        bots = zone.bot_management
        if bots is None or not _fight_mode(bots):
            return
        host_words = ctx.option(self.id, "api_host_words", list(API_LABELS))
        path_words = [w.lower() for w in ctx.option(self.id, "api_path_words", list(API_PATHS)) if w]
        api_host = _host_pattern(host_words)
        hosts = [h for h in ctx.facts(zone).hostnames if api_host is not None and api_host.match(h)]
        paths = _api_paths(zone, path_words, ctx.parser)
        evidence = [f"host {h}" for h in hosts] + [f'{kind} on path "{p}"' for kind, p in paths]
        if not evidence:
            return
        shown = join_words(evidence[:4]) + (f" and {len(evidence) - 4} more" if len(evidence) > 4 else "")
        message = (
            f"Bot Fight Mode is on for {_zone_words(zone)}, which serves machine clients ({shown}); "
            "it challenges them and no skip rule or Page Rule can exempt them, only an IP Access "
            "Rule for a known address."
        )
        fix = self._suggestion(zone, hosts, [p for _, p in paths]) if ctx.suggestions else None
        where = bots.field_origins.get("fight_mode", bots.origin)
        yield self.finding("error" if hosts else "warning", message, ctx.location(where, zone), fix)

    def _suggestion(self, zone: Zone, hosts: list[str], paths: list[str]) -> Suggestion | None:
        if hosts:
            scope_node: ast.Node = narrowing.host_in(hosts)
        else:
            unique = list(dict.fromkeys(paths))
            alternatives = [narrowing.starts_with("http.request.uri.path", p) for p in unique]
            scope_node = narrowing.any_of(alternatives)
        enterprise = (zone.plan or "").lower() == "enterprise"
        if enterprise:
            tree = narrowing.all_of([ast.Not(ast.Group(scope_node) if isinstance(scope_node, ast.Logical) else scope_node),
                                     ast.Comparison(ast.Field("cf.bot_management.score"), "lt", ast.IntLit(30))])
            params = None
            note = (
                "turn Bot Fight Mode off and add this custom rule (action managed_challenge) in "
                "http_request_firewall_custom, which leaves the machine clients out"
            )
        else:
            tree = scope_node
            params = {"phases": ["http_request_sbfm"]}
            note = (
                "turn Bot Fight Mode off, turn on Super Bot Fight Mode (Pro and above) and add this "
                "skip rule in http_request_firewall_custom; confirm these are all the machine-client "
                "hosts, and add ip.src in a list where the clients' addresses are known (broad-skip "
                "reports a host-wide skip until then)"
            )
        from ..language import print_expression

        try:
            text = print_expression(tree)
        except Exception:
            return None
        if narrowing.verified(text) is None:
            return None
        return Suggestion(expression=text, action_parameters=params, note=note)


def _fight_mode(bots) -> bool:
    if bots.fight_mode:
        return True
    stale = bots.raw.get("stale_zone_configuration") if isinstance(bots.raw, dict) else None
    return isinstance(stale, dict) and stale.get("fight_mode") is True


def _host_pattern(words: list[str]) -> re.Pattern[str] | None:
    """Hostnames whose first label is one of ``words`` or starts with one and a ``-``."""
    words = [w.lower().strip(".") for w in words if w.strip(".")]
    if not words:
        return None
    return re.compile(r"^(?:%s)[.-]" % "|".join(re.escape(w) for w in words))


def _api_paths(zone: Zone, words: list[str], parser: ExpressionParser) -> list[tuple[str, str]]:
    """(kind of rule, path literal) for rule conditions on API-looking paths."""
    found: list[tuple[str, str]] = []
    for ruleset in zone.rulesets:
        for rule in ruleset.rules:
            tree = parser.tree(rule.expression)
            if tree is None:
                continue
            if ruleset.phase == "http_ratelimit":
                kind = "rate limiting rule"
            elif any(isinstance(n, ast.Field) and n.name.startswith("cf.tls_client_auth") for n in ast.walk(tree)):
                kind = "mTLS rule"
            else:
                kind = "rule"
            for literal in _path_literals(tree):
                marker = next((m for m in words if m in literal.lower()), None)
                if marker and (kind, literal) not in found:
                    found.append((kind, literal))
    return found


def _path_literals(tree: ast.Node) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Comparison) and base_field(node.lhs) in PATH_FIELDS:
            text = literal_text(node.rhs)
            if text is not None:
                out.append(text)
        elif isinstance(node, ast.Call) and node.args and base_field(node.args[0]) in PATH_FIELDS:
            for arg in node.args[1:]:
                text = literal_text(arg)
                if text is not None:
                    out.append(text)
    return out


def _zone_words(zone: Zone) -> str:
    return f"zone {zone.name}" if zone.name else "this zone"
