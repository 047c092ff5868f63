"""What `rulelint fetch` reads for one zone, and which token permission each read needs.

The permission names are Cloudflare's API token permission groups, so an "unreadable" entry in
the bundle tells the user exactly which read-only permission to add to the token.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.kinds import ACCOUNT_ACCESS_RULES, ACCOUNT_RULESETS, RULESETS, ZONE_KINDS
from ..model.phases import DEFAULT_PHASE_PERMISSION, PHASE_PERMISSIONS, SECURITY_PHASES, phase_permission

__all__ = ["DEFAULT_PHASE_PERMISSION", "PHASE_PERMISSIONS", "SECURITY_PHASES", "phase_permission"]

ZONE_READ = "Zone Read"
RULESETS_LIST_PERMISSION = RULESETS.permission
ACCOUNT_RULESETS_PERMISSION = ACCOUNT_RULESETS.permission
ACCOUNT_ACCESS_RULES_PERMISSION = ACCOUNT_ACCESS_RULES.permission


@dataclass(frozen=True)
class Section:
    """One list or object of the zone bundle read from one API path.

    ``paging`` is ``page`` (``?page=N&per_page=M``), ``cursor`` (``?cursor=``) or ``none``.
    """

    key: str  # the bundle key, e.g. "page_rules"
    path: str  # relative to the zone, e.g. "/pagerules"
    permission: str
    paging: str = "page"
    per_page: int = 100


#: The legacy and zone-level sections of a zone bundle (rulesets are read separately), from
#: the one table of object kinds.
ZONE_SECTIONS: tuple[Section, ...] = tuple(
    Section(kind.key, kind.path, kind.permission, kind.paging, kind.per_page) for kind in ZONE_KINDS
)

#: Security-relevant settings read one by one when the all-settings endpoint is not available.
SECURITY_SETTING_IDS: tuple[str, ...] = (
    "security_level",
    "browser_check",
    "waf",
    "challenge_ttl",
    "privacy_pass",
    "hotlink_protection",
    "email_obfuscation",
    "server_side_exclude",
    "ssl",
    "min_tls_version",
    "always_use_https",
    "security_header",
)


def not_readable(permission: str) -> str:
    """The bundle's error text for a 401/403 on a read."""
    return f"not readable: needs permission {permission}"


ABSENT = "absent"


def all_permissions() -> list[str]:
    """Every read permission a complete fetch can use (for docs and error hints)."""
    names = {ZONE_READ, RULESETS_LIST_PERMISSION, ACCOUNT_RULESETS_PERMISSION, ACCOUNT_ACCESS_RULES_PERMISSION}
    names.update(PHASE_PERMISSIONS.values())
    names.update(section.permission for section in ZONE_SECTIONS)
    return sorted(names)
