"""What `rulelint fetch` reads for one zone, and which token permission each read needs.

The permission names are Cloudflare's API token permission groups, so an "unreadable" entry in
the bundle tells the user exactly which read-only permission to add to the token.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Token permission needed to read a phase entry point, by phase (Cloudflare permission groups).
PHASE_PERMISSIONS: dict[str, str] = {
    "http_request_firewall_custom": "Zone WAF Read",
    "http_request_firewall_managed": "Zone WAF Read",
    "http_response_firewall_managed": "Zone WAF Read",
    "http_ratelimit": "Zone WAF Read",
    "http_request_sbfm": "Bot Management Read",
    "http_request_sanitize": "Sanitize Read",
    "http_request_transform": "Transform Rules Read",
    "http_request_late_transform": "Transform Rules Read",
    "http_response_headers_transform": "Transform Rules Read",
    "http_request_origin": "Origin Read",
    "http_request_cache_settings": "Cache Settings Read",
    "http_response_cache_settings": "Cache Settings Read",
    "http_config_settings": "Config Settings Read",
    "http_request_dynamic_redirect": "Dynamic URL Redirects Read",
    "http_request_redirect": "Dynamic URL Redirects Read",
    "http_custom_errors": "Custom Errors Read",
    "http_response_compression": "Response Compression Read",
    "http_log_custom_fields": "Logs Read",
    "ddos_l7": "HTTP DDoS Managed Ruleset Read",
}
DEFAULT_PHASE_PERMISSION = "Zone WAF Read"

#: Phases whose entry point rulelint's checks depend on. When the ruleset list does not show an
#: entry point for one of them, fetch asks for it directly, so a phase the token cannot read is
#: recorded as "not readable" (403) and a phase that is not configured as "absent" (404).
SECURITY_PHASES: tuple[str, ...] = (
    "http_request_firewall_custom",
    "http_ratelimit",
    "http_request_firewall_managed",
    "http_request_sbfm",
)

ZONE_READ = "Zone Read"
RULESETS_LIST_PERMISSION = "Zone WAF Read"
ACCOUNT_RULESETS_PERMISSION = "Account Rulesets Read"
ACCOUNT_ACCESS_RULES_PERMISSION = "Account Firewall Access Rules Read"


def phase_permission(phase: str | None) -> str:
    return PHASE_PERMISSIONS.get(phase or "", DEFAULT_PHASE_PERMISSION)


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


#: The legacy and zone-level sections of a zone bundle (rulesets are read separately).
ZONE_SECTIONS: tuple[Section, ...] = (
    Section("page_rules", "/pagerules", "Page Rules Read", paging="none"),
    Section("firewall_rules", "/firewall/rules", "Firewall Services Read"),
    Section("filters", "/filters", "Firewall Services Read"),
    Section("access_rules", "/firewall/access_rules/rules", "Firewall Services Read"),
    Section("lockdowns", "/firewall/lockdowns", "Firewall Services Read"),
    Section("ua_rules", "/firewall/ua_rules", "Firewall Services Read"),
    Section("settings", "/settings", "Zone Settings Read", paging="none"),
    Section("bot_management", "/bot_management", "Bot Management Read", paging="none"),
    Section("dns_records", "/dns_records", "DNS Read"),
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
