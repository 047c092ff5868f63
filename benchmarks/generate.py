"""Generate realistic synthetic Cloudflare exports for the scale benchmark.

For each size N (the number of ruleset rules, spread over zones of about 50 rules each) this
writes the same configuration three ways, so every tool lints the same rules:

* ``bundle-N.json``  — the rulelint zone bundle (``rulelint.zone-bundle/1``): rulesets per phase,
  page rules, settings, Bot Management and DNS records per zone;
* ``terraform-N/``   — Terraform in provider v5 attribute syntax (``main.tf`` with the provider,
  one ``<zone>.tf`` per zone, the way cf-terraforming output is usually committed);
* ``octorules-N/``   — ``config.yaml`` + ``rules/<zone>.yaml`` for ``octorules lint``
  (octorules has no Page Rules or DNS, so those parts are absent there).

The expression mix comes from ``SHAPES`` below, a small table derived once from the 138
real-world expressions in ``../shared/corpus/expressions.tsv`` (clause counts, connectives,
fields, operators, functions, set literals and list references). The generator never reads the
corpus, so it runs from a fresh checkout. Output is deterministic for a given seed.

    python benchmarks/generate.py [--sizes 10,100,1000,10000,100000] [--seed 7] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

DEFAULT_SIZES = (10, 100, 1000, 10000, 100000)
RULES_PER_ZONE = 50

# --------------------------------------------------------------------------------------------
# The expression shape table, derived from ../shared/corpus/expressions.tsv (138 expressions).
# Corpus facts it encodes: median length 42 chars, 90th percentile 145, max 3,548; 70% of
# expressions are one comparison, 16% two, 7% three to five, 3% six to twenty, 4% more than
# twenty (long "bad bot / bad path" or-lists over one field); multi-clause expressions of up
# to five clauses mostly use "and", longer ones "or" with a line break per clause; 12% use
# "not"; 12% call a function (lower, upper, url_decode, starts_with, concat, any, ...); 7% use
# a set literal ``in {...}``; 4% reference a list (``ip.src in $name``). Field weights are
# the corpus counts of each field, the long or-lists counted once per expression.
# --------------------------------------------------------------------------------------------
SHAPES = {
    # (min clauses, max clauses, weight)
    "clauses": [(1, 1, 96), (2, 2, 22), (3, 5, 10), (6, 20, 4), (21, 60, 6)],
    "and_share_short": 0.75,  # <= 5 clauses: share joined with "and"
    "and_share_long": 0.08,  # > 5 clauses
    "not_per_clause": 0.07,
    "parens_per_clause": 0.55,
    "function_per_clause": 0.08,
    "set_literal_per_clause": 0.07,
    "list_ref_per_expression": 0.04,
    # field, kind, weight
    "fields": [
        ("http.user_agent", "str", 30),
        ("http.request.uri.path", "path", 50),
        ("http.request.uri.query", "query", 30),
        ("http.host", "host", 27),
        ("http.request.full_uri", "uri", 15),
        ("http.request.uri", "uri", 12),
        ("cf.client.bot", "bool", 19),
        ("http.cookie", "cookie", 10),
        ("ip.src", "ip", 12),
        ("cf.threat_score", "score", 8),
        ("ip.src.asnum", "asn", 8),
        ("ip.src.country", "country", 8),
        ("http.request.method", "method", 5),
        ("cf.bot_management.score", "score", 5),
        ("http.request.version", "version", 5),
        ("http.referer", "uri", 3),
        ("cf.bot_management.verified_bot", "bool", 2),
        ("cf.waf.score", "score", 1),
        ("http.request.headers", "header", 4),
        ("ssl", "bool", 1),
    ],
    # operators per string kind: (operator, weight); "fn" = starts_with/ends_with call
    "str_ops": [("contains", 55), ("eq", 20), ("matches", 6), ("wildcard", 4), ("ne", 3), ("fn", 6)],
    # long or-lists are over one field: (field, kind, weight)
    "long_list_fields": [("http.user_agent", "str", 3), ("http.request.uri.path", "path", 2),
                         ("http.request.uri.query", "query", 1)],
}

# Rule kinds in a zone besides the mandatory managed-ruleset execute, with weights.
RULE_KINDS = [
    ("custom", 34), ("skip_custom", 10), ("skip_managed", 5), ("ratelimit", 10),
    ("redirect", 9), ("rewrite", 9), ("request_header", 4), ("response_header", 4),
    ("config", 5), ("cache", 8),
]
PHASE_OF = {
    "custom": "http_request_firewall_custom", "skip_custom": "http_request_firewall_custom",
    "skip_managed": "http_request_firewall_managed", "execute": "http_request_firewall_managed",
    "ratelimit": "http_ratelimit", "redirect": "http_request_dynamic_redirect",
    "rewrite": "http_request_transform", "request_header": "http_request_late_transform",
    "response_header": "http_response_headers_transform", "config": "http_config_settings",
    "cache": "http_request_cache_settings",
}
OCTORULES_SECTION = {
    "http_request_firewall_custom": "waf_custom_rules",
    "http_request_firewall_managed": "waf_managed_rules",
    "http_ratelimit": "rate_limiting_rules",
    "http_request_dynamic_redirect": "redirect_rules",
    "http_request_transform": "url_rewrite_rules",
    "http_request_late_transform": "request_header_rules",
    "http_response_headers_transform": "response_header_rules",
    "http_config_settings": "config_rules",
    "http_request_cache_settings": "cache_rules",
}
CF_MANAGED = "efb7b8c949ac4650a09736fc376e9aee"
OWASP = "4814384a9e5d4991b9815dcfc25d2f1f"

UA_TOKENS = ["curl", "python-requests", "sqlmap", "nikto", "zgrab", "masscan", "Go-http-client",
             "Wget", "libwww-perl", "HTTrack", "MJ12bot", "AhrefsBot", "SemrushBot", "DotBot",
             "PetalBot", "Bytespider", "GPTBot", "scrapy", "okhttp", "Java/", "httpclient",
             "WinHttp", "Nmap", "dirbuster", "WPScan", "Acunetix", "Nuclei", "headless"]
PATHS = ["/wp-login.php", "/xmlrpc.php", "/wp-admin", "/admin", "/api", "/api/v1", "/api/v2",
         "/login", "/signin", "/checkout", "/cart", "/account", "/.env", "/.git", "/phpmyadmin",
         "/graphql", "/webhook", "/static", "/images", "/assets", "/search", "/oauth/token",
         "/user/register", "/healthz", "/metrics", "/cgi-bin", "/vendor/phpunit", "/backup"]
QUERY_TOKENS = ["union select", "<script", "base64", "eval(", "../", "%00", "author=",
                "utm_source=", "sleep(", "onerror", "select%20", "passwd", "cmd=", "debug=1"]
COUNTRIES = ["CN", "RU", "KP", "IR", "BR", "IN", "VN", "US", "DE", "FR", "NL", "UA", "T1", "SG"]
METHODS = ["POST", "PUT", "DELETE", "PATCH", "GET", "OPTIONS"]
HEADERS = ["x-api-key", "x-forwarded-for", "authorization", "x-requested-with", "x-debug"]
WORDS = ["shop", "blog", "docs", "app", "portal", "status", "media", "cdn", "auth", "pay",
         "dev", "staging", "beta", "partners", "support", "mail"]
PUBLIC_FIRST_OCTETS = [23, 31, 45, 51, 62, 66, 81, 89, 94, 104, 141, 151, 176, 185, 193, 212]
LIST_NAMES = ["allowlist", "office_ips", "partner_ips", "bad_asns", "monitoring", "blocklist"]


class Generator:
    """Draws zones, rules and expressions from one seeded random stream."""

    def __init__(self, seed: int, size: int):
        self.rng = random.Random(seed * 1_000_003 + size)
        self.shared: list[str] = []  # expressions repeated across zones (org-wide rules)

    # -- small helpers ------------------------------------------------------------------------
    def pick(self, weighted):
        return self.rng.choices(weighted, weights=[w[-1] for w in weighted])[0]

    def hexid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def ip(self) -> str:
        r = self.rng
        return f"{r.choice(PUBLIC_FIRST_OCTETS)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"

    def cidr(self) -> str:
        r = self.rng
        prefix = r.choice((24, 24, 22, 20))
        third = r.randrange(256) & (0xFF << (24 - prefix)) & 0xFF
        return f"{r.choice(PUBLIC_FIRST_OCTETS)}.{r.randrange(256)}.{third}.0/{prefix}"

    def path(self) -> str:
        p = self.rng.choice(PATHS)
        if self.rng.random() < 0.5:
            p += "/" + self.rng.choice(WORDS) + str(self.rng.randrange(100))
        return p

    # -- expressions ----------------------------------------------------------------------------
    def string_value(self, kind: str, host: str) -> str:
        r = self.rng
        if kind == "str":
            return r.choice(UA_TOKENS) + (f"/{r.randrange(1, 12)}" if r.random() < 0.3 else "")
        if kind == "path":
            return self.path()
        if kind == "query":
            return r.choice(QUERY_TOKENS)
        if kind == "host":
            return f"{r.choice(WORDS)}.{host}"
        if kind == "cookie":
            return f"{r.choice(('session', 'wordpress_logged_in', 'auth', 'cf_clearance'))}="
        return f"https://{r.choice(WORDS)}.{host}{self.path()}"  # uri

    def quoted(self, s: str) -> str:
        return json.dumps(s)

    def comparison(self, field: str, kind: str, host: str, in_or_list: bool = False) -> str:
        r = self.rng
        if kind == "bool":
            return field
        if kind == "ip":
            u = r.random()
            if u < 0.45:
                items = " ".join(self.ip() if r.random() < 0.7 else self.cidr() for _ in range(r.randint(1, 6)))
                return f"{field} in {{{items}}}"
            if u < 0.65:
                return f"{field} in ${r.choice(LIST_NAMES)}"
            return f"{field} eq {self.ip()}"
        if kind == "score":
            return f"{field} {r.choice(('lt', 'gt', 'le', 'ge'))} {r.choice((1, 5, 10, 14, 20, 30, 40, 50))}"
        if kind == "asn":
            if r.random() < SHAPES["set_literal_per_clause"] * 4:
                return f"{field} in {{{' '.join(str(r.randrange(1000, 400000)) for _ in range(r.randint(2, 6)))}}}"
            return f"{field} eq {r.randrange(1000, 400000)}"
        if kind == "country":
            if r.random() < 0.5:
                return f"{field} in {{{' '.join(self.quoted(c) for c in r.sample(COUNTRIES, r.randint(2, 5)))}}}"
            return f"{field} {r.choice(('eq', 'ne'))} {self.quoted(r.choice(COUNTRIES))}"
        if kind == "method":
            if r.random() < 0.4:
                return f"{field} in {{{' '.join(self.quoted(m) for m in r.sample(METHODS, 2))}}}"
            return f"{field} eq {self.quoted(r.choice(METHODS))}"
        if kind == "version":
            return f"{field} in {{\"HTTP/1.0\" \"HTTP/1.1\"}}" if r.random() < 0.5 else f"{field} eq \"HTTP/1.0\""
        if kind == "header":
            name = self.quoted(r.choice(HEADERS))
            u = r.random()
            if u < 0.4:
                return f"any({field}[{name}][*] eq {self.quoted(self.rng.choice(WORDS))})"
            if u < 0.7:
                return f"any({field}.names[*] eq {name})"
            return f"not {field}[{name}][0] contains \"{r.choice(WORDS)}\""
        # string-like fields
        operand = field
        if kind in ("str", "path", "query", "uri", "cookie") and r.random() < SHAPES["function_per_clause"]:
            operand = f"{r.choice(('lower', 'url_decode', 'lower', 'upper'))}({field})"
        if kind in ("path", "host") and r.random() < SHAPES["set_literal_per_clause"]:
            values = " ".join(self.quoted(self.string_value(kind, host)) for _ in range(r.randint(2, 5)))
            return f"{field} in {{{values}}}"
        op = self.pick(SHAPES["str_ops"])[0]
        while in_or_list and op == "ne":  # "a ne x or a ne y" is a tautology nobody writes
            op = self.pick(SHAPES["str_ops"])[0]
        value = self.string_value(kind, host)
        if operand.startswith("upper("):
            value = value.upper()
        elif operand.startswith("lower("):
            value = value.lower()
        if op == "fn":
            return f"{r.choice(('starts_with', 'ends_with'))}({operand}, {self.quoted(value)})"
        if op == "matches":
            # regex literals are written raw (a backslash is the regex's own escape)
            escaped = value.replace(".", "\\.").replace("?", "\\?").replace("(", "\\(").replace('"', '\\"')
            return f'{operand} matches "{"^" + escaped if kind == "path" else escaped}"'
        if op == "wildcard":
            return f"{field} wildcard {self.quoted('*' + value + '*')}"
        return f"{operand} {op} {self.quoted(value)}"

    def expression(self, host: str) -> str:
        """A filter expression shaped like the corpus."""
        r = self.rng
        if self.shared and r.random() < 0.1:
            return r.choice(self.shared)
        low, high, _ = self.pick(SHAPES["clauses"])
        n = r.randint(low, high)
        if n > 20:  # a long or-list over one field
            field, kind, _ = self.pick(SHAPES["long_list_fields"])
            clauses = [f"({self.comparison(field, kind, host, in_or_list=True)})" for _ in range(n)]
            return " or\n".join(clauses)
        clauses = []
        for _ in range(n):
            field, kind, _ = self.pick(SHAPES["fields"])
            c = self.comparison(field, kind, host)
            if r.random() < SHAPES["not_per_clause"] and not c.startswith("not "):
                c = f"not {c}" if kind == "bool" else f"not ({c})"
            if n > 1 and r.random() < SHAPES["parens_per_clause"]:
                c = f"({c})"
            clauses.append(c)
        if n > 1 and r.random() < SHAPES["list_ref_per_expression"] * 2:
            clauses[-1] = f"ip.src in ${r.choice(LIST_NAMES)}"
        elif n == 1 and r.random() < SHAPES["list_ref_per_expression"] / 2:
            clauses = [f"ip.src in ${r.choice(LIST_NAMES)}"]
        share = SHAPES["and_share_short"] if n <= 5 else SHAPES["and_share_long"]
        sep = " and " if r.random() < share else " or "
        if n > 5:
            sep = sep.rstrip() + "\n"
        text = sep.join(clauses)
        if n > 1 and " or " in sep and r.random() < 0.3:
            text = f"({text}) and not cf.client.bot"
        if len(self.shared) < 200 and r.random() < 0.05:
            self.shared.append(text)
        return text

    # -- rules ----------------------------------------------------------------------------------
    def rule(self, kind: str, host: str, n: int) -> dict:
        r = self.rng
        rule: dict = {"id": self.hexid(), "ref": f"r{n:05d}", "version": "1"}
        if kind == "execute":
            ruleset = CF_MANAGED if n == 0 else OWASP
            params: dict = {"id": ruleset}
            overrides: dict = {}
            if ruleset == CF_MANAGED:
                if r.random() < 0.6:
                    overrides["rules"] = [
                        {"id": self.hexid(), "enabled": False} if r.random() < 0.5
                        else {"id": self.hexid(), "action": "log"}
                        for _ in range(r.randint(1, 5))]
                if r.random() < 0.3:
                    overrides["categories"] = [{"category": r.choice(("wordpress", "drupal", "joomla", "php")), "enabled": False}]
                if r.random() < 0.03:
                    overrides["action"] = "log"
            else:
                overrides["rules"] = [{"id": "6179ae15870a4bb7b2d480d4843b323c", "action": "managed_challenge",
                                       "score_threshold": r.choice((25, 40, 60))}]
            if overrides:
                params["overrides"] = overrides
            rule.update(action="execute", action_parameters=params,
                        expression="true" if r.random() < 0.8 else self.expression(host),
                        description=f"Execute {'Cloudflare Managed' if ruleset == CF_MANAGED else 'OWASP'} ruleset")
        elif kind == "custom":
            rule.update(action=r.choices(("block", "managed_challenge", "log", "js_challenge", "challenge"),
                                         weights=(50, 30, 10, 5, 5))[0],
                        expression=self.expression(host), description=f"custom {n}")
        elif kind == "skip_custom":
            u = r.random()
            if u < 0.5:
                params = {"ruleset": "current", "phases": ["http_ratelimit", "http_request_firewall_managed", "http_request_sbfm"],
                          "products": ["bic", "hot", "rateLimit", "securityLevel", "uaBlock", "waf", "zoneLockdown"]}
            elif u < 0.8:
                params = {"phases": r.sample(["http_ratelimit", "http_request_firewall_managed", "http_request_sbfm"], r.randint(1, 2))}
            else:
                params = {"ruleset": "current"}
            rule.update(action="skip", action_parameters=params, expression=self.expression(host),
                        description=f"allow {n}", logging={"enabled": r.random() < 0.7})
        elif kind == "skip_managed":
            params = ({"rulesets": [CF_MANAGED]} if r.random() < 0.3
                      else {"rules": {CF_MANAGED: [self.hexid() for _ in range(r.randint(1, 3))]}})
            rule.update(action="skip", action_parameters=params, expression=self.expression(host),
                        description=f"managed exception {n}", logging={"enabled": True})
        elif kind == "ratelimit":
            rl = {"characteristics": ["cf.colo.id", r.choice(("ip.src", "ip.src", "cf.unique_visitor_id", 'http.request.headers["x-api-key"]'))],
                  "period": r.choice((10, 60, 60, 120, 600)), "requests_per_period": r.choice((5, 20, 50, 100, 1000)),
                  "mitigation_timeout": r.choice((60, 600, 3600))}
            if r.random() < 0.2:
                rl["counting_expression"] = f"http.response.code in {{401 403 429}}"
            action = r.choice(("block", "block", "managed_challenge", "log"))
            if action == "managed_challenge":
                rl["mitigation_timeout"] = 0
            rule.update(action=action, ratelimit=rl, description=f"rate limit {n}",
                        expression=f"http.request.uri.path {r.choice(('eq', 'contains'))} {self.quoted(self.path())}"
                        if r.random() < 0.6 else self.expression(host))
        elif kind == "redirect":
            if r.random() < 0.5:
                target = {"value": f"https://{host}{self.path()}"}
            else:
                target = {"expression": f"concat(\"https://www.{host}\", http.request.uri.path)"}
            rule.update(action="redirect", description=f"redirect {n}",
                        expression=f"http.host eq \"{r.choice(WORDS)}.{host}\"" if r.random() < 0.5
                        else f"http.request.uri.path eq {self.quoted(self.path())}",
                        action_parameters={"from_value": {"target_url": target, "status_code": r.choice((301, 302)),
                                                          "preserve_query_string": r.random() < 0.5}})
        elif kind == "rewrite":
            old, new = self.path(), self.path()
            uri = ({"path": {"expression": f"regex_replace(http.request.uri.path, {self.quoted('^' + old)}, {self.quoted(new)})"}}
                   if r.random() < 0.6 else {"query": {"value": f"src={r.choice(WORDS)}"}})
            rule.update(action="rewrite", description=f"rewrite {n}", action_parameters={"uri": uri},
                        expression=f"starts_with(http.request.uri.path, {self.quoted(old)})")
        elif kind in ("request_header", "response_header"):
            headers = {"x-bot-score": {"operation": "set", "expression": "to_string(cf.bot_management.score)"},
                       f"x-{r.choice(WORDS)}": {"operation": "set", "value": r.choice(WORDS)}}
            if kind == "response_header":
                headers = {"strict-transport-security": {"operation": "set", "value": "max-age=31536000"},
                           "x-powered-by": {"operation": "remove"}}
            rule.update(action="rewrite", description=f"headers {n}", action_parameters={"headers": headers},
                        expression=self.expression(host) if r.random() < 0.5 else "true")
        elif kind == "config":
            params = r.choice(({"security_level": r.choice(("essentially_off", "under_attack"))},
                               {"bic": False}, {"automatic_https_rewrites": True}, {"ssl": "strict"}))
            rule.update(action="set_config", description=f"config {n}", action_parameters=params,
                        expression=self.expression(host))
        elif kind == "cache":
            params = r.choice(({"cache": False}, {"cache": True, "edge_ttl": {"mode": "override_origin", "default": 3600}},
                               {"cache": True, "browser_ttl": {"mode": "respect_origin"}}))
            rule.update(action="set_cache_settings", description=f"cache {n}", action_parameters=params,
                        expression=f"http.request.uri.path {r.choice(('contains', 'wildcard'))} {self.quoted(self.path() + ('*' if r.random() < 0.3 else ''))}")
        rule["enabled"] = r.random() > 0.04
        return rule

    def zone(self, index: int, n_rules: int) -> dict:
        r = self.rng
        name = f"{r.choice(WORDS)}{index:05d}.com"
        zone_id = self.hexid()
        kinds = ["execute"]
        if n_rules >= 20 and r.random() < 0.3:
            kinds.append("execute_owasp")
        kinds += [self.pick(RULE_KINDS)[0] for _ in range(n_rules - len(kinds))]
        by_phase: dict[str, list[dict]] = {}
        for i, kind in enumerate(kinds):
            rule = self.rule("execute" if kind.startswith("execute") else kind, name, 0 if kind == "execute" else i)
            by_phase.setdefault(PHASE_OF["execute" if kind.startswith("execute") else kind], []).append(rule)
        # skips precede what they skip: custom-phase skips first, managed-phase skips before executes
        for phase in ("http_request_firewall_custom", "http_request_firewall_managed"):
            if phase in by_phase:
                by_phase[phase].sort(key=lambda rule: rule["action"] != "skip")
        entrypoints = {
            phase: {"id": self.hexid(), "name": "default", "description": "", "kind": "zone", "phase": phase,
                    "version": str(r.randint(1, 40)), "last_updated": "2025-06-01T12:00:00Z", "rules": rules}
            for phase, rules in sorted(by_phase.items())
        }
        dns = [{"id": self.hexid(), "name": name, "type": "A", "content": self.ip(), "proxied": True, "ttl": 1}]
        for word in r.sample(WORDS, r.randint(2, 6)):
            dns.append({"id": self.hexid(), "name": f"{word}.{name}", "type": r.choice(("A", "CNAME", "AAAA")),
                        "content": self.ip(), "proxied": r.random() < 0.8, "ttl": 1})
        api_hosts = [d["name"] for d in dns if d["name"].split(".")[0] in ("app", "auth", "pay", "portal")]
        page_rules = []
        for p in range(r.choice((0, 0, 1, 1, 2, 3))):
            actions = r.choice(([{"id": "cache_level", "value": "cache_everything"}, {"id": "edge_cache_ttl", "value": 7200}],
                                [{"id": "always_use_https"}],
                                [{"id": "forwarding_url", "value": {"url": f"https://www.{name}/$1", "status_code": 301}}],
                                [{"id": "security_level", "value": "essentially_off"}],
                                [{"id": "disable_security"}], [{"id": "waf", "value": "off"}]))
            page_rules.append({"id": self.hexid(), "status": "active", "priority": p + 1,
                               "targets": [{"target": "url", "constraint": {"operator": "matches", "value": f"*{name}{self.path()}*"}}],
                               "actions": actions})
        settings = {
            "security_level": r.choice(("medium", "medium", "high", "low", "essentially_off", "under_attack")),
            "browser_check": r.choice(("on", "on", "on", "off")),
            "waf": r.choice(("on", "off")),
            "ssl": r.choice(("full", "strict", "strict", "flexible")),
            "min_tls_version": r.choice(("1.0", "1.2", "1.2")),
            "always_use_https": r.choice(("on", "off")),
            "challenge_ttl": r.choice((1800, 3600)),
        }
        plan = r.choice(("free", "pro", "business", "enterprise", "enterprise"))
        bot = {"fight_mode": r.random() < 0.3, "enable_js": r.random() < 0.5} if plan == "free" else \
            {"enable_js": True, "sbfm_definitely_automated": r.choice(("block", "managed_challenge", "allow")),
             "sbfm_verified_bots": "allow", "sbfm_static_resource_protection": False}
        return {
            "zone": {"id": zone_id, "name": name, "plan": plan, "status": "active"},
            "hostnames": {"api": api_hosts, "source": "dns_records"},
            "rulesets": {"entrypoints": entrypoints, "custom": [],
                         "managed_index": [{"id": CF_MANAGED, "name": "Cloudflare Managed Ruleset", "phase": "http_request_firewall_managed"},
                                           {"id": OWASP, "name": "Cloudflare OWASP Core Ruleset", "phase": "http_request_firewall_managed"}]},
            "page_rules": page_rules, "firewall_rules": [], "filters": [], "access_rules": [],
            "lockdowns": [], "ua_rules": [],
            "settings": {k: {"value": v, "editable": True, "modified_on": None} for k, v in settings.items()},
            "bot_management": bot,
            "dns_records": dns,
            "unreadable": [],
        }

    def bundle(self, size: int) -> dict:
        zones = max(1, round(size / RULES_PER_ZONE))
        weights = [self.rng.uniform(0.5, 1.5) for _ in range(zones)]
        total = sum(weights)
        counts = [max(1, int(size * w / total)) for w in weights]
        i = 0
        while sum(counts) != size:  # spread the rounding remainder
            step = 1 if sum(counts) < size else -1
            if counts[i % zones] + step >= 1:
                counts[i % zones] += step
            i += 1
        return {
            "bundle_format": "rulelint.zone-bundle/1",
            "generated_at": "2025-06-01T12:00:00Z",
            "generator": {"name": "rulelint-benchmarks/generate.py", "version": "1"},
            "zones": [self.zone(i + 1, n) for i, n in enumerate(counts)],
        }


# -- writers --------------------------------------------------------------------------------------
def rule_count(bundle: dict) -> int:
    return sum(len(rs["rules"]) for z in bundle["zones"] for rs in z["rulesets"]["entrypoints"].values())


def iter_expressions(bundle: dict):
    """Every expression of the bundle as (context, text): rule filters and counting expressions
    are ``filter``, rewrite/redirect/header expressions are ``value``."""
    for zone in bundle["zones"]:
        for ruleset in zone["rulesets"]["entrypoints"].values():
            for rule in ruleset["rules"]:
                yield "filter", rule["expression"]
                counting = (rule.get("ratelimit") or {}).get("counting_expression")
                if counting:
                    yield "filter", counting
                params = rule.get("action_parameters") or {}
                for part in (params.get("uri") or {}).values():
                    if "expression" in part:
                        yield "value", part["expression"]
                for header in (params.get("headers") or {}).values():
                    if "expression" in header:
                        yield "value", header["expression"]
                target = (params.get("from_value") or {}).get("target_url") or {}
                if "expression" in target:
                    yield "value", target["expression"]


def hcl_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def hcl_key(k: str) -> str:
    return k if k.replace("_", "a").isalnum() and not k[0].isdigit() else json.dumps(k)


def hcl_value(value, indent: int, heredoc_ok: bool = False) -> str:
    pad = "  " * indent
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if heredoc_ok and "\n" in value:
            body = value.replace("${", "$${").replace("%{", "%%{")
            return f"<<-EOT\n{body}\n{pad}EOT"
        return hcl_string(value)
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(hcl_value(v, indent) for v in value) + "]"
        inner = ",\n".join(f"{pad}  {hcl_value(v, indent + 1)}" for v in value)
        return f"[\n{inner},\n{pad}]"
    lines = [f"{pad}  {hcl_key(k)} = {hcl_value(v, indent + 1, heredoc_ok=k == 'expression')}" for k, v in value.items()]
    return "{\n" + "\n".join(lines) + f"\n{pad}}}"


def resource(kind: str, name: str, attrs: dict) -> str:
    body = "\n".join(f"  {hcl_key(k)} = {hcl_value(v, 1, heredoc_ok=k == 'expression')}" for k, v in attrs.items())
    return f'resource "{kind}" "{name}" {{\n{body}\n}}\n'


TF_RULE_FIELDS = ("action", "description", "enabled", "expression", "ref", "action_parameters", "ratelimit", "logging")


def write_terraform(bundle: dict, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "main.tf").write_text(
        'terraform {\n  required_providers {\n    cloudflare = {\n      source  = "cloudflare/cloudflare"\n'
        '      version = "~> 5.0"\n    }\n  }\n}\n\nprovider "cloudflare" {}\n')
    for zone in bundle["zones"]:
        name = zone["zone"]["name"].replace(".", "_")
        zid = zone["zone"]["id"]
        parts = [f"# zone {zone['zone']['name']}\n"]
        for phase, ruleset in zone["rulesets"]["entrypoints"].items():
            rules = [{k: rule[k] for k in TF_RULE_FIELDS if k in rule} for rule in ruleset["rules"]]
            parts.append(resource("cloudflare_ruleset", f"{name}_{phase}", {
                "zone_id": zid, "name": ruleset["name"], "description": ruleset["description"],
                "kind": "zone", "phase": phase, "rules": rules}))
        for i, pr in enumerate(zone["page_rules"]):
            actions = {a["id"]: a.get("value", True) for a in pr["actions"]}
            parts.append(resource("cloudflare_page_rule", f"{name}_page_rule_{i}", {
                "zone_id": zid, "target": pr["targets"][0]["constraint"]["value"], "priority": pr["priority"],
                "status": pr["status"], "actions": actions}))
        for setting_id, setting in zone["settings"].items():
            parts.append(resource("cloudflare_zone_setting", f"{name}_{setting_id}", {
                "zone_id": zid, "setting_id": setting_id, "value": setting["value"]}))
        parts.append(resource("cloudflare_bot_management", f"{name}_bots", {"zone_id": zid, **zone["bot_management"]}))
        for i, rec in enumerate(zone["dns_records"]):
            parts.append(resource("cloudflare_dns_record", f"{name}_dns_{i}", {
                "zone_id": zid, "name": rec["name"], "type": rec["type"], "content": rec["content"],
                "proxied": rec["proxied"], "ttl": rec["ttl"]}))
        (folder / f"{name}.tf").write_text("\n".join(parts))


OCTO_RULE_FIELDS = ("ref", "description", "enabled", "expression", "action", "action_parameters", "ratelimit", "logging")


def write_octorules(bundle: dict, folder: Path) -> None:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    rules_dir = folder / "rules"
    rules_dir.mkdir(parents=True)
    zones = {}
    for zone in bundle["zones"]:
        name = zone["zone"]["name"]
        doc: dict = {}
        for phase, ruleset in zone["rulesets"]["entrypoints"].items():
            doc[OCTORULES_SECTION[phase]] = [{k: rule[k] for k in OCTO_RULE_FIELDS if k in rule} for rule in ruleset["rules"]]
        bot = {k: v for k, v in zone["bot_management"].items() if k in ("fight_mode", "enable_js")}
        if bot:
            doc["bot_management"] = bot
        doc["zone_security"] = {"security_level": zone["settings"]["security_level"]["value"],
                                "browser_integrity_check": zone["settings"]["browser_check"]["value"]}
        with open(rules_dir / f"{name}.yaml", "w") as fh:
            yaml.dump({"cloudflare": doc}, fh, Dumper=dumper, sort_keys=False, allow_unicode=True)
        zones[name] = {"sources": ["rules"]}
    config = {"providers": {"cloudflare": {"token": "env/CLOUDFLARE_API_TOKEN"}, "rules": {"directory": "./rules"}},
              "zones": zones}
    with open(folder / "config.yaml", "w") as fh:
        yaml.dump(config, fh, Dumper=dumper, sort_keys=False)


def generate(size: int, seed: int, out: Path) -> dict:
    bundle = Generator(seed, size).bundle(size)
    assert rule_count(bundle) == size
    (out / f"bundle-{size}.json").write_text(json.dumps(bundle, indent=1))
    for sub in (f"terraform-{size}", f"octorules-{size}"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    write_terraform(bundle, out / f"terraform-{size}")
    write_octorules(bundle, out / f"octorules-{size}")
    return bundle


def describe(bundle: dict) -> str:
    import statistics

    texts = [text for _, text in iter_expressions(bundle)]
    lengths = sorted(len(t) for t in texts)
    q = statistics.quantiles(lengths, n=10) if len(lengths) > 1 else lengths
    return (f"{len(bundle['zones'])} zones, {rule_count(bundle)} rules, {len(texts)} expressions "
            f"({len(set(texts))} distinct), length median {statistics.median(lengths):.0f} "
            f"p90 {q[-1]:.0f} max {lengths[-1]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    parser.add_argument("--validate", action="store_true",
                        help="parse every generated expression with octorules_wirefilter and report failures")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for size in (int(s) for s in args.sizes.split(",") if s):
        bundle = generate(size, args.seed, out)
        print(f"size {size}: {describe(bundle)} -> {out}", flush=True)
        if args.validate:
            import octorules_wirefilter

            for context, text in iter_expressions(bundle):
                if context != "filter" or text == "true":  # the binding parses filters; "true" is special-cased by octorules
                    continue
                result = octorules_wirefilter.parse_expression(text)
                if "error" in result:
                    failures += 1
                    print(f"  invalid: {text[:120]!r}: {result['error'][:200]}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
