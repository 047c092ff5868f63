"""Gather what every input contributes into zones and accounts of one ``Configuration``.

Objects are filed under the zone their data names (zone id or name); objects whose data does
not say go to one implicit zone, which joins the single named zone when there is exactly one.
Account rulesets are linked to the zones they run on by ``account_links``.
"""

from __future__ import annotations

from typing import Callable

from ..model import Account, Configuration, Ruleset, Zone
from ..model.sources import SourceFiles
from .account_links import link_account_rulesets


class Collector:
    def __init__(self, sources: SourceFiles | None = None) -> None:
        # The text of every input read in this run (readers of plans add the .tf files they
        # consult for positions).
        self.sources = sources if sources is not None else SourceFiles()
        self._zones: dict[str, Zone] = {}
        self._aliases: dict[str, str] = {}
        self._implicit: Zone | None = None
        self.accounts: dict[str, Account] = {}
        self.files: list[str] = []
        # .tf inputs of this run (absolute path -> name as given), found when a plan needs them.
        self.terraform_inputs: Callable[[], dict[str, str]] = dict
        # (absolute .tf path, resource address) already read from a plan JSON at its .tf position:
        # the Terraform reader skips them so nothing is counted twice.
        self.read_from_plan: set[tuple[str, str]] = set()

    def zone(self, zone_id: str | None = None, name: str | None = None, plan: str | None = None) -> Zone:
        """The zone with this id or name (created when new); the implicit zone when neither.
        Values that are not strings (bad input) are ignored."""
        zone_id, name, plan = _text(zone_id), _text(name), _text(plan)
        if not zone_id and not name:
            if self._implicit is None:
                self._implicit = Zone()
            return self._implicit
        key = self._aliases.get(zone_id or "") or self._aliases.get(name or "")
        if key is None:
            key = zone_id or name or ""
            self._zones[key] = Zone(id=zone_id, name=name)
        zone = self._zones[key]
        if zone_id and not zone.id:
            zone.id = zone_id
        if name and not zone.name:
            zone.name = name
        if plan and not zone.plan:
            zone.plan = plan
        for alias in (zone_id, name):
            if alias:
                self._aliases[alias] = key
        return zone

    def account(self, account_id: str | None = None, name: str | None = None) -> Account:
        account_id, name = _text(account_id), _text(name)
        key = account_id or name or ""
        if key not in self.accounts:
            self.accounts[key] = Account(id=account_id, name=name)
        return self.accounts[key]

    def implicit_zone(self) -> Zone | None:
        """The zone of what names no zone, if anything did."""
        return self._implicit

    def configuration(self) -> Configuration:
        zones = list(self._zones.values())
        implicit = self._implicit
        if implicit is not None and _has_content(implicit):
            if len(zones) == 1:
                merge_into(zones[0], implicit)
            else:
                zones.append(implicit)
        for zone in zones:
            zone.rulesets = without_metadata_duplicates(zone.rulesets)
        accounts = list(self.accounts.values())
        for account in accounts:
            account.rulesets = without_metadata_duplicates(account.rulesets)
        account_zones = link_account_rulesets(accounts, zones)
        if implicit is not None and not zones and not account_zones:
            zones.append(implicit)  # nothing read but an empty zone: still one zone to report on
        zones.extend(account_zones)
        return Configuration(zones=zones, accounts=accounts, files=list(self.files))


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


_LISTS = ("rulesets", "page_rules", "firewall_rules", "filters", "access_rules", "lockdowns", "ua_rules",
          "dns_records", "unreadable")


def settle_rulesets(zone: Zone) -> None:
    """What ``configuration`` does to a zone's rulesets, for a zone filled afterwards (read
    while checked: ``bundle_stream``, ``spilled_zones``)."""
    from .account_links import set_executed_phases

    zone.rulesets = without_metadata_duplicates(zone.rulesets)
    set_executed_phases(zone.rulesets)


def empty_zone(zone: Zone) -> None:
    """Let a checked zone's content go; its name, plan and linked account rules stay."""
    for name in _LISTS:
        setattr(zone, name, [])
    zone.settings = {}
    zone.bot_management = None


def _has_content(zone: Zone) -> bool:
    return any(getattr(zone, name) for name in _LISTS) or bool(zone.settings) or zone.bot_management is not None


def merge_into(target: Zone, source: Zone) -> None:
    """Add ``source``'s content after ``target``'s (a setting or bot management ``target``
    already has stays)."""
    for name in _LISTS:
        getattr(target, name).extend(getattr(source, name))
    for key, setting in source.settings.items():
        target.settings.setdefault(key, setting)
    if target.bot_management is None:
        target.bot_management = source.bot_management


def without_metadata_duplicates(rulesets: list[Ruleset]) -> list[Ruleset]:
    """Drop list-endpoint metadata (no rules) when the same ruleset was read with its rules."""
    complete = {r.id for r in rulesets if r.rules_complete and r.id}
    kept: list[Ruleset] = []
    seen_metadata: set[str] = set()
    for ruleset in rulesets:
        if not ruleset.rules_complete and ruleset.id:
            if ruleset.id in complete or ruleset.id in seen_metadata:
                continue
            seen_metadata.add(ruleset.id)
        kept.append(ruleset)
    return kept
