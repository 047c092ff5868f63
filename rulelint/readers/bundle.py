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
from .problems import INVALID_INPUT, Problems, expect_object, kind_of, objects_in

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
    if not read_bundle_head(node, collector, problems):
        return False
    for zone_node in objects_in(node.get("zones"), "zones", problems):
        _read_zone(zone_node, collector, problems)
    return True


def read_bundle_head(node: Node, collector: Collector, problems: Problems) -> bool:
    """Everything of a bundle but its zone entries: the format, unknown keys, the account.
    False (reported) when the format is not one this rulelint reads."""
    version = node.get("bundle_format")
    if version.value != FORMAT:
        problems.node(INVALID_INPUT, "error",
                      f"unsupported bundle format {version.value!r}: this rulelint reads {FORMAT!r}", version)
        return False
    for key, child in node.items():
        if key not in _TOP_KEYS:
            problems.unknown(child, "bundle key", key)
    account_node = node.get("account")
    if expect_object(account_node, "account", problems):
        value = account_node.value
        _strings_only(account_node, ("id", "name"), "account", problems)
        account = collector.account(value.get("id"), value.get("name"))
        for ruleset in objects_in(account_node.get("rulesets"), "account rulesets", problems):
            account.rulesets.append(build.build_ruleset(ruleset, problems, account_level=True))
        for rule in objects_in(account_node.get("access_rules"), "account access_rules", problems):
            account.access_rules.append(build.build_access_rule(rule, problems))
    zones = node.get("zones")
    if zones is None or zones.value is None:
        problems.node(INVALID_INPUT, "error", 'bundle has no "zones" array (write [] for none)',
                      zones if zones is not None else node)
    return True


def _strings_only(node: Node, keys: tuple[str, ...], what: str, problems: Problems) -> None:
    for key in keys:
        child = node.get(key)
        if child is not None and child.value is not None and not isinstance(child.value, str):
            problems.node(INVALID_INPUT, "warning",
                          f"{what} {key} must be a string, not {kind_of(child.value)}: ignored", child)


def _read_zone(node: Node, collector: Collector, problems: Problems) -> None:
    details = node.get("zone")
    if details is None:
        problems.node(INVALID_INPUT, "error", 'zone entry has no "zone" object naming the zone '
                      '({"id", "name", …}): the entry is read as an unnamed zone', node)
    elif not details.is_dict():
        problems.node(INVALID_INPUT, "error", '"zone" must be an object naming the zone ({"id", "name", …}), '
                      f"not {kind_of(details.value)}: the entry is read as an unnamed zone", details)
    info = details.value if details is not None and details.is_dict() else {}
    if info:
        _strings_only(details, ("id", "name", "plan"), "zone", problems)
    read_zone_entry(node, collector.zone(info.get("id"), info.get("name"), info.get("plan")), collector, problems)


def zone_identity(value) -> tuple[str | None, str | None, str | None] | None:
    """(id, name, plan) of a zone entry whose ``zone`` object names it plainly (strings, an id
    or a name), else None: such an entry is read with the whole bundle (``read_bundle``)."""
    info = value.get("zone") if isinstance(value, dict) else None
    if not isinstance(info, dict):
        return None
    identity = info.get("id"), info.get("name"), info.get("plan")
    if any(part is not None and not isinstance(part, str) for part in identity):
        return None
    return identity if identity[0] or identity[1] else None


def read_zone_entry(node: Node, zone, collector: Collector, problems: Problems) -> None:
    """The content of one zone entry (all but its ``zone`` naming object) into ``zone``."""
    for key, child in node.items():
        if key not in _ZONE_KEYS:
            problems.unknown(child, "bundle zone key", key)
    rulesets = node.get("rulesets")
    if expect_object(rulesets, "rulesets", problems):
        entrypoints = rulesets.get("entrypoints")
        if expect_object(entrypoints, "rulesets.entrypoints", problems):
            for phase, ruleset in entrypoints.items():
                if expect_object(ruleset, f"entry point {phase}", problems):
                    zone.rulesets.append(build.build_ruleset(ruleset, problems))
        for ruleset in objects_in(rulesets.get("custom"), "rulesets.custom", problems):
            zone.rulesets.append(build.build_ruleset(ruleset, problems))
        for ruleset in objects_in(rulesets.get("managed_index"), "rulesets.managed_index", problems):
            managed = build.build_ruleset(ruleset, problems)
            managed.kind = managed.kind or "managed"
            zone.rulesets.append(managed)
    for section, kind in _LIST_SECTIONS.items():
        for obj in objects_in(node.get(section), section, problems):
            add_object(kind, obj, zone, collector, problems)
    settings = node.get("settings")
    if settings is not None and settings.is_dict():
        for setting_id, setting_node in settings.items():
            setting = build.build_setting(setting_node, setting_id)
            if setting is not None:
                zone.settings[setting.id] = setting
    elif settings is not None and settings.is_list():
        for setting_node in objects_in(settings, "settings", problems):
            add_object("setting", setting_node, zone, collector, problems)
    elif settings is not None:
        expect_object(settings, "settings", problems)
    bot = node.get("bot_management")
    if expect_object(bot, "bot_management", problems):
        zone.bot_management = build.build_bot_management(bot, problems)
    for entry in objects_in(node.get("unreadable"), "unreadable", problems):
        value = entry.value
        status = value.get("status")
        zone.unreadable.append(Unreadable.trusted(
            what=str(value.get("what", "")),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            error=str(value.get("error") or ""),
            origin=entry.origin(),
        ))


__all__ = ["FORMAT", "is_bundle", "read_bundle", "read_bundle_head", "read_zone_entry", "zone_identity", "classify"]
