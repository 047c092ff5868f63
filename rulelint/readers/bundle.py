"""The rulelint zone bundle (``"bundle_format": "rulelint.zone-bundle/1"``, docs/bundle-format.md).

One JSON document holding an account and its zones, each section the verbatim API objects,
plus ``unreadable`` entries recording what could not be fetched (so "missing" is not "empty").
"""

from __future__ import annotations

from ..model import Unreadable
from . import build
from .api_json import add_object, classify
from .collect import Collector
from .nodes import Node
from .problems import INVALID_INPUT, Problems

FORMAT = "rulelint.zone-bundle/1"

_TOP_KEYS = {"bundle_format", "generated_at", "generator", "account", "zones"}
_ZONE_KEYS = {
    "zone", "hostnames", "rulesets", "page_rules", "firewall_rules", "filters", "access_rules",
    "lockdowns", "ua_rules", "settings", "bot_management", "dns_records", "unreadable",
}
_LIST_SECTIONS = {
    "page_rules": "page_rule", "firewall_rules": "firewall_rule", "filters": "filter",
    "access_rules": "access_rule", "lockdowns": "lockdown", "ua_rules": "ua_rule",
    "dns_records": "dns_record",
}


def is_bundle(value) -> bool:
    return isinstance(value, dict) and "bundle_format" in value


def read_bundle(node: Node, collector: Collector, problems: Problems) -> bool:
    version = node.get("bundle_format")
    if version.value != FORMAT:
        problems.node(INVALID_INPUT, "error",
                      f"unsupported bundle format {version.value!r}: this rulelint reads {FORMAT!r}", version)
        return False
    for key, child in node.items():
        if key not in _TOP_KEYS:
            problems.unknown(child, "bundle key", key)
    account_node = node.get("account")
    if account_node is not None and account_node.is_dict():
        value = account_node.value
        _strings_only(account_node, ("id", "name"), "account", problems)
        account = collector.account(value.get("id"), value.get("name"))
        for ruleset in _list(account_node.get("rulesets")):
            account.rulesets.append(build.build_ruleset(ruleset, problems, account_level=True))
        for rule in _list(account_node.get("access_rules")):
            account.access_rules.append(build.build_access_rule(rule, problems))
    for zone_node in _list(node.get("zones")):
        _read_zone(zone_node, collector, problems)
    return True


def _strings_only(node: Node, keys: tuple[str, ...], what: str, problems: Problems) -> None:
    for key in keys:
        child = node.get(key)
        if child is not None and child.value is not None and not isinstance(child.value, str):
            problems.node(INVALID_INPUT, "warning",
                          f"{what} {key} must be a string, not {type(child.value).__name__}: ignored", child)


def _list(node: Node | None) -> list[Node]:
    return [child for child in node.elements() if child.is_dict()] if node is not None else []


def _read_zone(node: Node, collector: Collector, problems: Problems) -> None:
    details = node.get("zone")
    info = details.value if details is not None and details.is_dict() else {}
    if info:
        _strings_only(details, ("id", "name", "plan"), "zone", problems)
    zone = collector.zone(info.get("id"), info.get("name"), info.get("plan"))
    for key, child in node.items():
        if key not in _ZONE_KEYS:
            problems.unknown(child, "bundle zone key", key)
    rulesets = node.get("rulesets")
    if rulesets is not None:
        entrypoints = rulesets.get("entrypoints")
        for _phase, ruleset in (entrypoints.items() if entrypoints is not None else []):
            if ruleset.is_dict():
                zone.rulesets.append(build.build_ruleset(ruleset, problems))
        for ruleset in _list(rulesets.get("custom")):
            zone.rulesets.append(build.build_ruleset(ruleset, problems))
        for ruleset in _list(rulesets.get("managed_index")):
            managed = build.build_ruleset(ruleset, problems)
            managed.kind = managed.kind or "managed"
            zone.rulesets.append(managed)
    for section, kind in _LIST_SECTIONS.items():
        for obj in _list(node.get(section)):
            add_object(kind, obj, zone, collector, problems)
    settings = node.get("settings")
    if settings is not None and settings.is_dict():
        for setting_id, setting_node in settings.items():
            setting = build.build_setting(setting_node, setting_id)
            if setting is not None:
                zone.settings[setting.id] = setting
    elif settings is not None and settings.is_list():
        for setting_node in _list(settings):
            add_object("setting", setting_node, zone, collector, problems)
    bot = node.get("bot_management")
    if bot is not None and bot.is_dict():
        zone.bot_management = build.build_bot_management(bot, problems)
    for entry in _list(node.get("unreadable")):
        value = entry.value
        status = value.get("status")
        zone.unreadable.append(Unreadable.trusted(
            what=str(value.get("what", "")),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            error=str(value.get("error") or ""),
            origin=entry.origin(),
        ))


__all__ = ["FORMAT", "is_bundle", "read_bundle", "classify"]
