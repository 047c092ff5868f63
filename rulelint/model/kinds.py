"""The kinds of Cloudflare object a zone holds, in one table.

Each kind says what it is called in findings, where it sits in the zone model and the bundle,
which API path ``rulelint fetch`` reads it from and with which token permission, and the field
that identifies one object. Fetch, suppressions, rule counts and ``unreadable-part`` read this
table instead of spelling the kinds out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from . import Zone


@dataclass(frozen=True)
class Kind:
    key: str  # the Zone attribute and the bundle key, e.g. "page_rules"
    words: str  # "the Page Rules": how a message names all of them
    path: str  # the API path relative to the zone, e.g. "/pagerules"
    permission: str  # the read-only API token permission that reads them
    paging: str = "page"  # "page" (?page=N&per_page=M), "cursor" or "none"
    per_page: int = 100
    id_field: str = "id"
    description_field: str | None = "description"  # where an inline suppression marker may go
    is_rule: bool = False  # counted as a rule in the report summary

    def objects(self, zone: Zone) -> list[Any]:
        """The zone's objects of this kind (a mapping's values, a single object as a list)."""
        value = getattr(zone, self.key)
        if value is None:
            return []
        if isinstance(value, dict):
            return list(value.values())
        return value if isinstance(value, list) else [value]


#: The zone-level kinds besides rulesets (which are read per phase, see ``RULESETS``).
ZONE_KINDS: tuple[Kind, ...] = (
    Kind("page_rules", "the Page Rules", "/pagerules", "Page Rules Read", paging="none",
         description_field=None, is_rule=True),
    Kind("firewall_rules", "the Firewall Rules", "/firewall/rules", "Firewall Services Read", is_rule=True),
    Kind("filters", "the firewall filters", "/filters", "Firewall Services Read"),
    Kind("access_rules", "the IP Access Rules", "/firewall/access_rules/rules", "Firewall Services Read",
         description_field="notes"),
    Kind("lockdowns", "the Zone Lockdown rules", "/firewall/lockdowns", "Firewall Services Read"),
    Kind("ua_rules", "the User Agent Blocking rules", "/firewall/ua_rules", "Firewall Services Read"),
    Kind("settings", "the zone settings", "/settings", "Zone Settings Read", paging="none",
         description_field=None),
    Kind("bot_management", "the Bot Management settings (Bot Fight Mode)", "/bot_management",
         "Bot Management Read", paging="none", id_field="", description_field=None),
    Kind("dns_records", "the DNS records", "/dns_records", "DNS Read", description_field=None),
)

RULESETS = Kind("rulesets", "the list of rulesets", "/rulesets", "Zone WAF Read")
ACCOUNT_RULESETS = Kind("account:rulesets", "the account's rulesets", "/rulesets", "Account Rulesets Read")
ACCOUNT_ACCESS_RULES = Kind(
    "account:access_rules", "the account's IP Access Rules", "/firewall/access_rules/rules",
    "Account Firewall Access Rules Read", description_field="notes",
)

KINDS_BY_KEY: dict[str, Kind] = {
    kind.key: kind for kind in (*ZONE_KINDS, RULESETS, ACCOUNT_RULESETS, ACCOUNT_ACCESS_RULES)
}


def zone_objects(zone: Zone) -> Iterator[tuple[Kind, Any]]:
    """(kind, object) for every zone-level object of ``zone`` (rulesets aside)."""
    for kind in ZONE_KINDS:
        for item in kind.objects(zone):
            yield kind, item


def rule_count(zone: Zone) -> int:
    """Rules of every ruleset plus the rule-like objects (Page Rules, Firewall Rules)."""
    return sum(len(r.rules) for r in zone.rulesets) + sum(
        len(kind.objects(zone)) for kind in ZONE_KINDS if kind.is_rule
    )
