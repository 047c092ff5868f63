"""Facts about ruleset phases that several layers need: the token permission that reads a
phase's entry point, and the phases rulelint's security checks depend on."""

from __future__ import annotations

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


def phase_permission(phase: str | None) -> str:
    return PHASE_PERMISSIONS.get(phase or "", DEFAULT_PHASE_PERMISSION)
