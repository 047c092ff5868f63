"""bot-fight-mode-api: Bot Fight Mode on a zone that serves machine clients.

Facts (Cloudflare, bots/get-started/bot-fight-mode.mdx): Bot Fight Mode is one switch for the
whole zone; no WAF skip rule or Page Rule can exempt a request from it; only an IP Access
Rule matching the client's address does. API clients, webhooks and mobile apps with changing
addresses get challenged and cannot answer. What to use instead depends on the zone's bot
products (``analysis.bot_products``): Super Bot Fight Mode, skippable per client from Pro up;
with Bot Management, a custom rule on the bot score. See docs/checks/bot-fight-mode-api.md.
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
from ..analysis.wording import join_words
from ..analysis.bot_products import BotProducts, bot_products
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
        evidence = [f"host {h}" for h in hosts] + [f'{kind} on path "{p}"' for kind, p in paths[:4]]
        if not evidence:
            return
        more = len(hosts) + len(paths) - 4
        shown = join_words(evidence[:4]) + (f" and {more} more" if more > 0 else "")
        products = bot_products(zone)
        serves = f"Bot Fight Mode is on for {_zone_words(zone)}, which serves machine clients ({shown})"
        if products.bot_management:
            # Bot Management replaces and disables Bot Fight Mode: the switch is left over.
            severity = "info"
            message = (
                f"{serves}; the zone has Bot Management, which replaces and disables Bot Fight "
                "Mode, so the switch does nothing: turn it off, and keep the machine clients out "
                "of the rules that act on the bot score."
            )
        else:
            severity = "error" if hosts else "warning"
            message = (
                f"{serves}; it challenges them and no skip rule or Page Rule can exempt them, "
                "only an IP Access Rule for a known address"
            )
            if products.tier == "free":
                message += (
                    "; Super Bot Fight Mode, whose phase a custom rule can skip for them, needs the "
                    "Pro plan or above."
                )
            else:
                message += "."
        fix = None
        if ctx.suggestions:
            unique_paths = list(dict.fromkeys(p for _, p in paths))
            fix = _suggestion(products, hosts, unique_paths)
        where = bots.field_origins.get("fight_mode", bots.origin)
        yield self.finding(severity, message, ctx.location(where, zone), fix)


# A path-scoped suggestion lists every path as an alternative; past this many it would be a
# wall of conditions nobody checks, so none is made.
_MAX_SUGGESTED_PATHS = 8
_CLIENTS_LIST = "machine_clients_ips"


def _suggestion(products: BotProducts, hosts: list[str], paths: list[str]) -> Suggestion | None:
    """A custom rule on the bot score that leaves the machine clients out (Bot Management), or
    a Super Bot Fight Mode skip for them, scoped by host or path and by source (Pro and above,
    or plan unknown). None on the Free plan, which has neither."""
    if hosts:
        scope_node: ast.Node = narrowing.host_in(hosts)
    elif 0 < len(paths) <= _MAX_SUGGESTED_PATHS:
        scope_node = narrowing.any_of([narrowing.starts_with("http.request.uri.path", p) for p in paths])
    else:
        return None
    if products.bot_management:
        excluded = ast.Group(scope_node) if isinstance(scope_node, ast.Logical) else scope_node
        tree = narrowing.all_of([
            ast.Not(excluded),
            ast.Comparison(ast.Field("cf.bot_management.score"), "lt", ast.IntLit(30)),
            ast.Not(ast.Field("cf.bot_management.verified_bot")),
        ])
        return _checked(tree, None, (
            "if the zone challenges likely bots, do it with this custom rule (action "
            "managed_challenge) in http_request_firewall_custom: Cloudflare's baseline bot rule, "
            "which leaves verified bots out, with the machine clients left out too"
        ))
    if products.has_super_bot_fight_mode is False:
        return None
    tree = narrowing.all_of([scope_node, narrowing.source_in_list(_CLIENTS_LIST)])
    plan = " (Pro plan and above)" if products.tier is None else ""
    return _checked(tree, {"phases": ["http_request_sbfm"]}, (
        f"two steps: first turn Bot Fight Mode off and Super Bot Fight Mode on{plan}; then add "
        "this skip rule in http_request_firewall_custom, after creating the IP list "
        f"${_CLIENTS_LIST} with the machine clients' addresses. Skipping http_request_sbfm "
        "also skips the Block AI bots rule, which Super Bot Fight Mode's ruleset carries; a "
        "custom rule can only skip the whole phase, so broad-skip still warns about it. Confirm "
        "these are all the machine-client hosts and paths"
    ))


def _checked(tree: ast.Node, params: dict | None, note: str) -> Suggestion | None:
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
    found: dict[tuple[str, str], None] = {}  # insertion-ordered set: one lookup per literal
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
                if marker:
                    found.setdefault((kind, literal))
    return list(found)


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
