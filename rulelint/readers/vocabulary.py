"""Values Cloudflare documents today; anything else is kept and reported as ``unknown-value``.

Sources: the Cloudflare API and Terraform provider v4.52/v5 schemas, as summarised in the
project's export-format notes. Lists grow over time, so an unknown value is information, not
an error. Phases, rule actions, their parameters and Page Rule settings are in
``grammars/phases.json`` (``model.phases``), which the ``invalid-rule`` check reads.
"""

RULESET_KINDS = frozenset({"managed", "custom", "root", "zone"})

# Compared lower-case: the API writes camelCase, provider v4 lower-case.
SKIP_PRODUCTS = frozenset({"bic", "hot", "ratelimit", "securitylevel", "uablock", "waf", "zonelockdown"})

FIREWALL_ACTIONS = frozenset({"block", "challenge", "js_challenge", "managed_challenge", "allow", "log", "bypass"})

ACCESS_MODES = frozenset({"block", "challenge", "whitelist", "js_challenge", "managed_challenge"})
ACCESS_TARGETS = frozenset({"ip", "ip6", "ip_range", "asn", "country"})

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
