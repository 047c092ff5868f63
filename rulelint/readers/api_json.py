"""Cloudflare API responses (with or without the ``{success, errors, result}`` envelope).

Each object is recognised by its content, not by the file name: rulesets, page rules,
firewall rules, filters, IP access rules, lockdowns, user-agent rules, zone settings, Bot
Management, DNS records and zone details, one at a time or in arrays (also arrays of whole
responses).
"""

from __future__ import annotations

from ..findings import UNKNOWN_VALUE
from . import build
from .collect import Collector
from .nodes import Node
from .problems import INVALID_INPUT, Problems
from .vocabulary import BOT_MANAGEMENT_KEYS

EXPECTED = (
    "a rulesets list, a ruleset, a phase entry point, page rules, firewall rules, filters, "
    "IP access rules, zone lockdowns, user-agent rules, zone settings, bot_management, "
    "DNS records (with or without the {success, result} envelope), a rulelint bundle or "
    "`terraform show -json` output"
)

# Legacy objects rulelint recognises but does not analyse.
IGNORED = {"rate_limit": "legacy rate limit", "logpush_job": "Logpush job", "waf_override": "legacy WAF override"}


def classify(value: dict) -> str | None:
    """What kind of Cloudflare object ``value`` is, judged by its keys."""
    keys = value.keys()
    if "phase" in keys and ("kind" in keys or "rules" in keys):
        return "ruleset"
    if "rules" in keys and isinstance(value.get("rules"), list) and ("kind" in keys or "name" in keys):
        return "ruleset"
    if "targets" in keys and "actions" in keys:
        return "page_rule"
    if "filter" in keys and "action" in keys:
        return "firewall_rule"
    if "urls" in keys and "configurations" in keys:
        return "lockdown"
    configuration = value.get("configuration")
    if "mode" in keys and isinstance(configuration, dict):
        return "ua_rule" if configuration.get("target") == "ua" else "access_rule"
    if "threshold" in keys and "match" in keys:
        return "rate_limit"
    if "dataset" in keys and "destination_conf" in keys:
        return "logpush_job"
    if "expression" in keys and "action" not in keys and ("paused" in keys or "id" in keys):
        return "filter"
    if "type" in keys and "name" in keys and ("content" in keys or "data" in keys or "proxied" in keys or "ttl" in keys):
        return "dns_record"
    if "name_servers" in keys or ("name" in keys and "plan" in keys and "id" in keys):
        return "zone"
    if "id" in keys and "value" in keys and ("editable" in keys or "modified_on" in keys or len(keys) == 2):
        return "setting"
    if keys and all(key in BOT_MANAGEMENT_KEYS for key in keys):
        return "bot_management"
    return None


def zone_hint(value: dict, kind: str | None) -> tuple[str | None, str | None, str | None]:
    """(zone id, zone name, plan) that an object states about its own zone (strings only:
    anything else is bad input and says nothing)."""
    return tuple(part if isinstance(part, str) and part else None for part in _zone_hint(value, kind))


def _zone_hint(value: dict, kind: str | None) -> tuple:
    if kind == "zone":
        plan = value.get("plan")
        plan_name = None
        if isinstance(plan, dict):
            plan_name = plan.get("legacy_id") or plan.get("name")
        return value.get("id"), value.get("name"), plan_name if isinstance(plan_name, str) else None
    if kind == "dns_record":
        return value.get("zone_id"), value.get("zone_name"), None
    if kind == "access_rule":
        scope = value.get("scope")
        if isinstance(scope, dict) and scope.get("type") == "zone":
            return scope.get("id"), scope.get("name"), None
    return None, None, None


_ENVELOPE_KEYS = {"result", "success", "errors", "messages", "result_info"}


def _is_envelope(value) -> bool:
    return isinstance(value, dict) and "result" in value and set(value) <= _ENVELOPE_KEYS


def _objects(node: Node, problems: Problems, out: list) -> None:
    """Flatten envelopes and arrays into (kind, node) pairs, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        value = current.value
        if _is_envelope(value):
            if value.get("success") is False:
                errors = value.get("errors") or []
                text = "; ".join(
                    str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
                ) or "no detail"
                problems.node(INVALID_INPUT, "error", f"the recorded API response is an error: {text}", current)
            result = current.get("result")
            if result is not None and result.value is not None:
                stack.append(result)
        elif isinstance(value, list):
            stack.extend(reversed(current.elements()))
        elif isinstance(value, dict):
            out.append((classify(value), current))
        else:
            out.append((None, current))


def recognised(value) -> bool:
    """Whether ``read_api`` would read ``value``: an API envelope, an array (of responses or
    objects) or an object holding at least one Cloudflare object it recognises."""
    if _is_envelope(value) or value == []:
        return True
    stack = [value]
    while stack:
        current = stack.pop()
        if _is_envelope(current):
            stack.append(current.get("result"))
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict) and classify(current) is not None:
            return True
    return False


def read_api(node: Node, collector: Collector, problems: Problems) -> bool:
    """Read one API document into ``collector``; False when nothing in it was recognised."""
    objects: list = []
    _objects(node, problems, objects)
    value = node.value
    if not objects:
        # An empty array or an empty result: valid, nothing to read.
        return isinstance(value, list) or _is_envelope(value)
    if all(kind is None for kind, _ in objects):
        return False
    hints = {zone_hint(obj.value, kind)[:2] for kind, obj in objects if any(zone_hint(obj.value, kind)[:2])}
    file_zone = next(iter(hints)) if len(hints) == 1 else (None, None)
    for kind, obj in objects:
        zone_id, zone_name, plan = zone_hint(obj.value, kind) if kind else (None, None, None)
        if not zone_id and not zone_name:
            zone_id, zone_name = file_zone
        zone = collector.zone(zone_id, zone_name, plan)
        add_object(kind, obj, zone, collector, problems)
    return True


def add_object(kind: str | None, obj: Node, zone, collector: Collector, problems: Problems) -> None:
    if kind == "ruleset":
        ruleset = build.build_ruleset(obj, problems)
        if ruleset.account_level:
            collector.account().rulesets.append(ruleset)
        else:
            zone.rulesets.append(ruleset)
    elif kind == "page_rule":
        zone.page_rules.append(build.build_page_rule(obj, problems))
    elif kind == "firewall_rule":
        zone.firewall_rules.append(build.build_firewall_rule(obj, problems))
    elif kind == "filter":
        zone.filters.append(build.build_filter(obj, problems))
    elif kind == "access_rule":
        zone.access_rules.append(build.build_access_rule(obj, problems))
    elif kind == "ua_rule":
        zone.ua_rules.append(build.build_ua_rule(obj, problems))
    elif kind == "lockdown":
        zone.lockdowns.append(build.build_lockdown(obj, problems))
    elif kind == "setting":
        setting = build.build_setting(obj)
        if setting is not None:
            zone.settings[setting.id] = setting
    elif kind == "bot_management":
        zone.bot_management = build.build_bot_management(obj, problems)
    elif kind == "dns_record":
        zone.dns_records.append(build.build_dns_record(obj, problems))
    elif kind == "zone":
        pass  # zone details only name the zone (done through zone_hint)
    elif kind in IGNORED:
        problems.node(UNKNOWN_VALUE, "info", f"{IGNORED[kind]} objects are not analysed by rulelint", obj)
    else:
        problems.node(UNKNOWN_VALUE, "info",
                      "unrecognised object skipped: it is not one of the Cloudflare objects rulelint reads", obj)
