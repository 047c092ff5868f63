"""Values Cloudflare documents today; anything else is kept and reported as ``unknown-value``.

Sources: the Cloudflare API and Terraform provider v4.52/v5 schemas, as summarised in the
project's export-format notes. Lists grow over time, so an unknown value is information, not
an error.
"""

PHASES = frozenset({
    "ddos_l4", "ddos_l7", "http_config_settings", "http_custom_errors", "http_log_custom_fields",
    "http_ratelimit", "http_request_cache_settings", "http_request_dynamic_redirect",
    "http_request_firewall_custom", "http_request_firewall_managed", "http_request_late_transform",
    "http_request_origin", "http_request_redirect", "http_request_sanitize", "http_request_sbfm",
    "http_request_transform", "http_response_cache_settings", "http_response_compression",
    "http_response_firewall_managed", "http_response_headers_transform", "magic_transit",
    "magic_transit_ids_managed", "magic_transit_managed", "magic_transit_ratelimit",
    "http_request_select_configuration",
})

RULESET_KINDS = frozenset({"managed", "custom", "root", "zone"})

RULE_ACTIONS = frozenset({
    "block", "challenge", "compress_response", "ddos_dynamic", "execute", "force_connection_close",
    "js_challenge", "log", "log_custom_field", "managed_challenge", "redirect", "rewrite", "route",
    "score", "serve_error", "set_cache_control", "set_cache_settings", "set_cache_tags",
    "set_config", "skip", "allow", "ddos_mitigation",
})

# Compared lower-case: the API writes camelCase, provider v4 lower-case.
SKIP_PRODUCTS = frozenset({"bic", "hot", "ratelimit", "securitylevel", "uablock", "waf", "zonelockdown"})

FIREWALL_ACTIONS = frozenset({"block", "challenge", "js_challenge", "managed_challenge", "allow", "log", "bypass"})

ACCESS_MODES = frozenset({"block", "challenge", "whitelist", "js_challenge", "managed_challenge"})
ACCESS_TARGETS = frozenset({"ip", "ip6", "ip_range", "asn", "country"})

PAGE_RULE_ACTIONS = frozenset({
    "waf", "security_level", "disable_security", "browser_check", "cache_level", "ssl",
    "forwarding_url", "always_use_https", "automatic_https_rewrites", "cache_by_device_type",
    "cache_deception_armor", "email_obfuscation", "explicit_cache_control", "ip_geolocation",
    "mirage", "opportunistic_encryption", "origin_error_page_pass_thru", "respect_strong_etag",
    "response_buffering", "rocket_loader", "server_side_exclude", "sort_query_string_for_cache",
    "true_client_ip_header", "always_online", "smart_errors", "polish", "browser_cache_ttl",
    "edge_cache_ttl", "cache_key_fields", "cache_ttl_by_status", "bypass_cache_on_cookie",
    "cache_on_cookie", "host_header_override", "resolve_override", "minify", "disable_apps",
    "disable_performance", "disable_zaraz", "disable_railgun", "cache_key", "webp",
})

RULE_KEYS = frozenset({
    "id", "ref", "version", "last_updated", "expression", "action", "action_parameters",
    "enabled", "description", "logging", "ratelimit", "exposed_credential_check", "categories",
})

BOT_MANAGEMENT_KEYS = frozenset({
    "fight_mode", "enable_js", "ai_bots_protection", "crawler_protection", "cf_robots_variant",
    "content_bots_protection", "is_robots_txt_managed", "using_latest_model",
    "stale_zone_configuration", "sbfm_definitely_automated", "sbfm_verified_bots",
    "sbfm_static_resource_protection", "optimize_wordpress", "sbfm_likely_automated",
    "auto_update_model", "suppress_session_score", "bm_cookie_enabled",
})
