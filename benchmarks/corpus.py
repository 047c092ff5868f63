"""Unique, realistic rule expressions for the parse benchmark, generated deterministically.

The shapes follow what real zones contain (the shared corpus of published rules): host and path
scoping, country/ASN/IP allow- and block-lists, user-agent and method filters, bot and threat
scores, regex and wildcard path matches, header checks with any(), and value expressions of
rewrites and redirects. Nothing is read from disk, so the benchmark runs from a fresh checkout,
and a fixed seed makes every run time the same text.
"""

from __future__ import annotations

import random

HOSTS = ["example.com", "www.example.com", "api.example.com", "shop.example.org", "admin.example.net", "cdn.example.io"]
PATHS = ["/wp-login.php", "/xmlrpc.php", "/admin", "/api/v1/", "/login", "/checkout", "/.env", "/graphql", "/static/"]
COUNTRIES = ["US", "GB", "FR", "DE", "CN", "RU", "IN", "BR", "KP", "NL", "AU", "CA"]
AGENTS = ["curl/", "python-requests", "zgrab", "sqlmap", "Go-http-client", "masscan", "Nikto", "wget"]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]
LISTS = ["allowlist", "office_ips", "partners", "blocked_asns", "bad_bots"]
HEADERS = ["x-api-key", "authorization", "x-forwarded-for", "cf-connecting-ip", "x-requested-with"]


def _ip(rng: random.Random) -> str:
    return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _cidr(rng: random.Random) -> str:
    return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/24"


def _predicate(rng: random.Random) -> str:
    kind = rng.randrange(16)
    if kind == 0:
        return f'http.host eq "{rng.choice(HOSTS)}"'
    if kind == 1:
        return f'starts_with(http.request.uri.path, "{rng.choice(PATHS)}")'
    if kind == 2:
        return f'http.request.uri.path contains "{rng.choice(PATHS)}{rng.randint(0, 999)}"'
    if kind == 3:
        picked = rng.sample(COUNTRIES, rng.randint(1, 5))
        negate = "not " if rng.random() < 0.4 else ""
        return negate + "ip.src.country in {" + " ".join(f'"{c}"' for c in picked) + "}"
    if kind == 4:
        return f"ip.src.asnum in {{{' '.join(str(rng.randint(1000, 400000)) for _ in range(rng.randint(1, 6)))}}}"
    if kind == 5:
        items = [_ip(rng) if rng.random() < 0.5 else _cidr(rng) for _ in range(rng.randint(1, 6))]
        return f"ip.src in {{{' '.join(items)}}}"
    if kind == 6:
        return f"ip.src in ${rng.choice(LISTS)}"
    if kind == 7:
        return f'lower(http.user_agent) contains "{rng.choice(AGENTS).lower()}"'
    if kind == 8:
        picked = rng.sample(METHODS, rng.randint(1, 3))
        return "http.request.method in {" + " ".join(f'"{m}"' for m in picked) + "}"
    if kind == 9:
        return f"cf.threat_score gt {rng.randint(1, 60)}"
    if kind == 10:
        return f"cf.bot_management.score lt {rng.randint(1, 99)} and not cf.bot_management.verified_bot"
    if kind == 11:
        return rng.choice(["cf.client.bot", "not cf.client.bot", "ssl", "not ssl"])
    if kind == 12:
        return f'http.request.uri.path matches "^/api/v[0-9]+/{rng.choice(["users", "orders", "items"])}{rng.randint(0, 99)}"'
    if kind == 13:
        return f'http.request.full_uri wildcard r"https://*.example.com/{rng.choice(["a", "b", "c"])}{rng.randint(0, 999)}/*"'
    if kind == 14:
        return f'any(lower(http.request.headers.names[*])[*] eq "{rng.choice(HEADERS)}")'
    return f'not http.request.headers["{rng.choice(HEADERS)}"][0] eq "{rng.getrandbits(32):08x}"'


def _filter(rng: random.Random) -> str:
    groups = []
    for _ in range(rng.randint(1, 4)):
        terms = [_predicate(rng) for _ in range(rng.randint(1, 3))]
        joined = f" {rng.choice(['and', 'and', '&&'])} ".join(terms)
        groups.append(f"({joined})" if len(terms) > 1 or rng.random() < 0.5 else joined)
    return f" {rng.choice(['or', 'or', '||'])} ".join(groups)


def _value(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return f'concat("https://{rng.choice(HOSTS)}", http.request.uri.path)'
    if kind == 1:
        return f'regex_replace(http.request.uri.path, "^/old{rng.randint(0, 9999)}/(.*)$", "/new/${{1}}")'
    return f'lower(http.request.headers["{rng.choice(HEADERS)}"][0])'


def realistic_expressions(count: int = 5000, seed: int = 20240601, value_share: float = 0.05) -> list[tuple[str, str]]:
    """``count`` unique ``(expression, context)`` pairs; about ``value_share`` of them are values."""
    rng = random.Random(seed)
    seen: dict[str, str] = {}
    while len(seen) < count:
        if rng.random() < value_share:
            seen.setdefault(_value(rng), "value")
        else:
            seen.setdefault(_filter(rng), "filter")
    return list(seen.items())
