"""The evaluator against the evaluation examples of Cloudflare's Rules language documentation.

Each case is transcribed from the page named beside it (the request the page describes, the
expression, and the result the page states). Pages, as read in cloudflare/cloudflare-docs:

FUNCS  https://developers.cloudflare.com/ruleset-engine/rules-language/functions/
OPS    https://developers.cloudflare.com/ruleset-engine/rules-language/operators/
VALUES https://developers.cloudflare.com/ruleset-engine/rules-language/values/
"""

from __future__ import annotations

import ipaddress

import pytest

from rulelint.analysis.evaluate import Environment, Headers, evaluate
from rulelint.language import parse
from rulelint.why.request import describe_request


def env(**fields) -> Environment:
    return Environment(fields={name.replace("__", "."): value for name, value in fields.items()})


def url(address: str, **extra) -> Environment:
    """The fields of a GET request to ``address`` (as ``rulelint why --url`` builds them)."""
    return describe_request(url=address, **extra).environment()


HOST = "http__host"
PATH = "http__request__uri__path"
BODY = "http__request__body__raw"

CASES = [
    # FUNCS, "Transformation functions": lower(http.host) == "www.cloudflare.com" matches WWW.cloudflare.com
    ("FUNCS lower", env(**{HOST: b"WWW.cloudflare.com"}), 'lower(http.host) == "www.cloudflare.com"', True),
    # FUNCS lower: "Only uppercase ASCII bytes are converted"
    ("FUNCS lower ASCII only", env(**{HOST: "WWW.ÇA.com".encode()}), 'lower(http.host) == "www.Ça.com"', True),
    # FUNCS upper: if http.host is "www.cloudflare.com", upper(http.host) returns "WWW.CLOUDFLARE.COM"
    ("FUNCS upper", env(**{HOST: b"www.cloudflare.com"}), 'upper(http.host) == "WWW.CLOUDFLARE.COM"', True),
    # FUNCS ends_with: path "/welcome.html", ends_with(path, ".html") is true
    ("FUNCS ends_with", env(**{PATH: b"/welcome.html"}), 'ends_with(http.request.uri.path, ".html")', True),
    # FUNCS starts_with: path "/blog/first-post", starts_with(path, "/blog") is true
    ("FUNCS starts_with", env(**{PATH: b"/blog/first-post"}), 'starts_with(http.request.uri.path, "/blog")', True),
    # FUNCS len: http.host "example.com" gives 11
    ("FUNCS len", env(**{HOST: b"example.com"}), "len(http.host) == 11", True),
    # FUNCS concat: concat("String1", " ", "String", "2") returns "String1 String2"
    ("FUNCS concat", env(**{HOST: b"String1"}), 'concat(http.host, " ", "String", "2") == "String1 String2"', True),
    # FUNCS remove_bytes: http.host "www.cloudflare.com", remove_bytes(http.host, "\x2e\x77") is "cloudflarecom"
    ("FUNCS remove_bytes", env(**{HOST: b"www.cloudflare.com"}), r'remove_bytes(http.host, "\x2e\x77") == "cloudflarecom"', True),
    # FUNCS lookup_json_string examples (body held in http.request.body.raw)
    ("FUNCS lookup_json_string key", env(**{BODY: b'{ "company": "cloudflare", "product": "rulesets" }'}),
     'lookup_json_string(http.request.body.raw, "company") == "cloudflare"', True),
    ("FUNCS lookup_json_string nested", env(**{BODY: b'{ "network": { "name": "cloudflare" } }'}),
     'lookup_json_string(http.request.body.raw, "network", "name") == "cloudflare"', True),
    ("FUNCS lookup_json_string root array", env(**{BODY: b'["other_company", "cloudflare"]'}),
     'lookup_json_string(http.request.body.raw, 1) == "cloudflare"', True),
    ("FUNCS lookup_json_string array in object", env(**{BODY: b'{ "networks": ["other_company", "cloudflare"] }'}),
     'lookup_json_string(http.request.body.raw, "networks", 1) == "cloudflare"', True),
    ("FUNCS lookup_json_string array of objects", env(**{BODY: b'[{ "network": "other_company" }, { "network": "cloudflare" }]'}),
     'lookup_json_string(http.request.body.raw, 1, "network") == "cloudflare"', True),
    # FUNCS lookup_json_integer examples
    ("FUNCS lookup_json_integer key", env(**{BODY: b'{ "record_id": "aed53a", "version": 2 }'}),
     'lookup_json_integer(http.request.body.raw, "version") == 2', True),
    ("FUNCS lookup_json_integer nested", env(**{BODY: b'{ "product": { "id": 356 } }'}),
     'lookup_json_integer(http.request.body.raw, "product", "id") == 356', True),
    ("FUNCS lookup_json_integer root array", env(**{BODY: b'["first_item", -234]'}),
     "lookup_json_integer(http.request.body.raw, 1) == -234", True),
    ("FUNCS lookup_json_integer array in object", env(**{BODY: b'{ "network_ids": [123, 456] }'}),
     'lookup_json_integer(http.request.body.raw, "network_ids", 0) == 123', True),
    ("FUNCS lookup_json_integer array of objects", env(**{BODY: b'[{ "product_id": 123 }, { "product_id": 456 }]'}),
     'lookup_json_integer(http.request.body.raw, 1, "product_id") == 456', True),
    # FUNCS lookup_json_integer: "will not work for floating numbers ... such as 42.0" (missing value)
    ("FUNCS lookup_json_integer float", env(**{BODY: b'{ "version": 42.0 }'}),
     'lookup_json_integer(http.request.body.raw, "version") == 42', False),
    # FUNCS substring, body "asdfghjk"
    ("FUNCS substring 2 5", env(**{BODY: b"asdfghjk"}), 'substring(http.request.body.raw, 2, 5) == "dfg"', True),
    ("FUNCS substring 2", env(**{BODY: b"asdfghjk"}), 'substring(http.request.body.raw, 2) == "dfghjk"', True),
    ("FUNCS substring -2", env(**{BODY: b"asdfghjk"}), 'substring(http.request.body.raw, -2) == "jk"', True),
    ("FUNCS substring 0 -2", env(**{BODY: b"asdfghjk"}), 'substring(http.request.body.raw, 0, -2) == "asdfgh"', True),
    # FUNCS url_decode ("John%20Doe", "John+Doe", "%2520" once and with "r")
    ("FUNCS url_decode %20", env(**{PATH: b"John%20Doe"}), 'url_decode(http.request.uri.path) == "John Doe"', True),
    ("FUNCS url_decode +", env(**{PATH: b"John+Doe"}), 'url_decode(http.request.uri.path) == "John Doe"', True),
    ("FUNCS url_decode once", env(**{PATH: b"%2520"}), 'url_decode(http.request.uri.path) == "%20"', True),
    ("FUNCS url_decode r", env(**{PATH: b"%2520"}), 'url_decode(http.request.uri.path, "r") == " "', True),
    # FUNCS url_decode u: "%u2601" decodes to the cloud, "\xe2\x98\x81"
    ("FUNCS url_decode u", env(**{PATH: b"%u2601"}), r'url_decode(http.request.uri.path, "u") == "\xe2\x98\x81"', True),
    # FUNCS cidr / cidr6 with ip.src 113.10.0.2 and 2001:0000:130F:0000:0000:09C0:876A:130B
    ("FUNCS cidr v4", env(ip__src=ipaddress.ip_address("113.10.0.2")), "cidr(ip.src, 24, 24) == 113.10.0.0", True),
    ("FUNCS cidr v6", env(ip__src=ipaddress.ip_address("2001:0000:130F:0000:0000:09C0:876A:130B")),
     "cidr(ip.src, 24, 24) == 2001::", True),
    ("FUNCS cidr6 v6", env(ip__src=ipaddress.ip_address("2001:0000:130F:0000:0000:09C0:876A:130B")),
     "cidr6(ip.src, 24) == 2001::", True),
    ("FUNCS cidr6 v4 unchanged", env(ip__src=ipaddress.ip_address("113.10.0.2")), "cidr6(ip.src, 24) == 113.10.0.2", True),
    # FUNCS decode_base64: header client_id: MTIzYWJj gives "123abc"
    ("FUNCS decode_base64",
     env(http__request__headers=Headers({"client_id": (b"MTIzYWJj",)}, complete=True, what="header")),
     '(any(decode_base64(http.request.headers["client_id"][*])[*] eq "123abc"))', True),
    # FUNCS all: all(http.request.headers["content-type"][*] == "application/json")
    ("FUNCS all", env(http__request__headers=Headers({"content-type": (b"application/json",)}, complete=True, what="header")),
     'all(http.request.headers["content-type"][*] == "application/json")', True),
    # FUNCS any with url_decode over form values
    ("FUNCS any url_decode", env(http__request__body__form__values=[b"hello", b"an%20xss%20attack%21"]),
     'any(url_decode(http.request.body.form.values[*])[*] contains "an xss attack")', True),
    # FUNCS regex_replace examples (literal replace, no match, case-sensitive, first match only, $$,
    # capture groups; the page writes the last result with a trailing slash its own replacement
    # "/bar/${2}/${1}" cannot produce)
    ("FUNCS regex_replace literal", env(**{PATH: b"/foo/bar"}), 'regex_replace(http.request.uri.path, "/bar$", "/baz") == "/foo/baz"', True),
    ("FUNCS regex_replace no match", env(**{PATH: b"/x"}), 'regex_replace(http.request.uri.path, "^/y$", "/mumble") == "/x"', True),
    ("FUNCS regex_replace case", env(**{PATH: b"/foo"}), 'regex_replace(http.request.uri.path, "^/FOO$", "/x") == "/foo"', True),
    ("FUNCS regex_replace first", env(**{PATH: b"/a/a"}), 'regex_replace(http.request.uri.path, "/a", "/b") == "/b/a"', True),
    ("FUNCS regex_replace $$", env(**{PATH: b"/b"}), 'regex_replace(http.request.uri.path, "^/b$", "/b$$") == "/b$"', True),
    ("FUNCS regex_replace groups", env(**{PATH: b"/foo/a/path"}),
     'regex_replace(http.request.uri.path, "^/foo/([^/]*)/(.*)$", "/bar/${2}/${1}") == "/bar/path/a"', True),
    # FUNCS wildcard_replace examples
    ("FUNCS wildcard_replace full uri", env(http__request__full_uri=b"https://apps.example.com/calendar/admin?expand=true"),
     'wildcard_replace(http.request.full_uri, "https://*.example.com/*/*", "https://example.com/${1}/${2}/${3}") '
     '== "https://example.com/apps/calendar/admin?expand=true"', True),
    ("FUNCS wildcard_replace no match", env(http__request__full_uri=b"https://example.com/applications/app1"),
     'wildcard_replace(http.request.full_uri, "/applications/*", "/apps/${1}") == "https://example.com/applications/app1"', True),
    ("FUNCS wildcard_replace path", env(**{PATH: b"/calendar"}), 'wildcard_replace(http.request.uri.path, "/*", "/apps/${1}") == "/apps/calendar"', True),
    ("FUNCS wildcard_replace insensitive", env(**{PATH: b"/Apps/calendar"}),
     'wildcard_replace(http.request.uri.path, "/apps/*", "/${1}") == "/calendar"', True),
    ("FUNCS wildcard_replace s flag", env(**{PATH: b"/Apps/calendar"}),
     'wildcard_replace(http.request.uri.path, "/apps/*", "/${1}", "s") == "/Apps/calendar"', True),
    ("FUNCS wildcard_replace middle", env(**{PATH: b"/apps/calendar/login"}),
     'wildcard_replace(http.request.uri.path, "/apps/*/login", "/${1}/login") == "/calendar/login"', True),
    # FUNCS remove_query_args examples
    ("FUNCS remove_query_args country", env(http__request__uri__query=b"order=asc&country=GB"),
     'remove_query_args(http.request.uri.query, "country") == "order=asc"', True),
    ("FUNCS remove_query_args search", env(http__request__uri__query=b"order=asc&country=GB"),
     'remove_query_args(http.request.uri.query, "search") == "order=asc&country=GB"', True),
    ("FUNCS remove_query_args repeated", env(http__request__uri__query=b"category=Foo&order=desc&category=Bar"),
     'remove_query_args(http.request.uri.query, "category") == "order=desc"', True),
    # FUNCS split and join (header x-categories: groceries,electronics,diy,auto)
    ("FUNCS split limit", env(http__request__headers=Headers({"x-categories": (b"groceries,electronics,diy,auto",)}, True, "header")),
     'split(http.request.headers["x-categories"][0], ",", 3)[2] == "diy,auto"', True),
    ("FUNCS split empty item", env(http__request__headers=Headers({"x-categories": (b"groceries,,electronics",)}, True, "header")),
     'split(http.request.headers["x-categories"][0], ",", 64)[1] == ""', True),
    ("FUNCS join", env(http__request__headers__names=[b"accept", b"host"]), 'join(http.request.headers.names, ",") == "accept,host"', True),
    # OPS "Comparing string values": lower(path) contains "/wp-login.php" for /WP-Login.php
    ("OPS lower contains", env(**{PATH: b"/WP-Login.php"}), 'lower(http.request.uri.path) contains "/wp-login.php"', True),
    ("OPS contains is case-sensitive", env(**{PATH: b"/WP-Login.php"}), 'http.request.uri.path contains "/wp-login.php"', False),
    # OPS table examples
    ("OPS eq", env(**{PATH: b"/articles/2008/"}), 'http.request.uri.path eq "/articles/2008/"', True),
    ("OPS ne", env(ip__src=ipaddress.ip_address("203.0.113.0")), "ip.src ne 203.0.113.0", False),
    ("OPS matches", env(**{PATH: b"/articles/2007/"}), 'http.request.uri.path matches "^/articles/200[7-8]/$"', True),
    ("OPS matches no", env(**{PATH: b"/articles/2009/"}), 'http.request.uri.path matches "^/articles/200[7-8]/$"', False),
    ("OPS in", env(ip__src=ipaddress.ip_address("203.0.113.1")), "ip.src in { 203.0.113.0 203.0.113.1 }", True),
]

# OPS, "Wildcard matching", examples A, B and C (full URIs that match and that do not).
WILDCARD_A = 'http.request.full_uri wildcard "https://example.com/a/*"'
WILDCARD_B = 'http.request.full_uri wildcard "*.example.com/*/page.html"'
WILDCARD_C = 'http.request.full_uri wildcard "*.example.com/*" or http.request.full_uri wildcard "example.com/*"'
WILDCARDS = [
    (WILDCARD_A, "https://example.com/a/", True),
    (WILDCARD_A, "https://example.com/a/page.html", True),
    (WILDCARD_A, "https://example.com/a/sub/folder/?name=value", True),
    (WILDCARD_A, "https://example.com/ab/", False),
    (WILDCARD_A, "https://example.com/b/page.html", False),
    (WILDCARD_A, "https://sub.example.com/a/", False),
    (WILDCARD_B, "http://sub.example.com/folder/page.html", True),
    (WILDCARD_B, "https://admin.example.com/team/page.html", True),
    (WILDCARD_B, "https://admin.example.com/team/subteam/page.html", True),
    (WILDCARD_B, "https://example.com/ab/page.html", False),
    (WILDCARD_B, "https://sub.example.com/folder2/page.html?s=value", False),
    (WILDCARD_B, "https://sub.example.com/a/", False),
    (WILDCARD_C, "https://admin.example.com/folder/team/app1/", True),
    (WILDCARD_C, "https://admin.example.com/folder/team/app1/?s=foobar", True),
]

# VALUES, "Maps": a request with one header Accept: application/json, and the request
# https://example.com/?filter=waf&filter=botm&filter=cdn.
ACCEPT = Environment(fields={"http.request.headers": Headers({"accept": (b"application/json",)}, complete=True, what="header")})
MAPS = [
    ("VALUES accept[0]", ACCEPT, 'http.request.headers["accept"][0] == "application/json"', True),
    ("VALUES any accept json", ACCEPT, 'any(http.request.headers["accept"][*] == "application/json")', True),
    ("VALUES any accept text", ACCEPT, 'any(http.request.headers["accept"][*] == "text/plain")', False),
    ("VALUES len filter[1]", url("https://example.com/?filter=waf&filter=botm&filter=cdn"),
     'len(http.request.uri.args["filter"][1]) == 4', True),
    ("VALUES all len in {3 4}", url("https://example.com/?filter=waf&filter=botm&filter=cdn"),
     'all(len(http.request.uri.args["filter"][*])[*] in {3 4})', True),
    ("VALUES all not len in {3 4}", url("https://example.com/?filter=waf&filter=botm&filter=cdn"),
     'all(not len(http.request.uri.args["filter"][*])[*] in {3 4})', False),
    ("VALUES has filter", url("https://example.com/?filter=waf&filter=botm&filter=cdn"),
     'len(http.request.uri.args["filter"]) >= 0', True),
    ("VALUES has no order", url("https://example.com/?filter=waf&filter=botm&filter=cdn"),
     'not len(http.request.uri.args["order"]) >= 0', True),
    # VALUES, "Arrays": header names, case-sensitive and with lower()
    ("VALUES names[0]", env(http__request__headers__names=[b"Content-Type", b"Accept"]),
     'http.request.headers.names[0] == "Content-Type"', True),
    ("VALUES any names", env(http__request__headers__names=[b"Accept", b"content-type"]),
     'any(http.request.headers.names[*] == "Content-Type")', False),
    ("VALUES any lower names", env(http__request__headers__names=[b"Accept", b"content-type"]),
     'any(lower(http.request.headers.names[*])[*] == "content-type")', True),
    # VALUES, "Raw string syntax" and quoted regex escaping
    ("VALUES raw regex", env(**{PATH: b"/x/api/login.aspx"}), r'http.request.uri.path matches r"/api/login\.aspx$"', True),
    ("VALUES quoted regex quote", env(**{PATH: b'/a"b'}), r'http.request.uri.path matches "a\"b"', True),
    ("VALUES raw regex quote", env(**{PATH: b'/a"#b'}), 'http.request.uri.path matches r##"a"#b"##', True),
    # VALUES, "Inline lists"
    ("VALUES ip range", env(ip__src=ipaddress.ip_address("198.51.100.5")),
     "ip.src in {198.51.100.1 198.51.100.3..198.51.100.7 192.0.2.0/24 2001:0db8::/32}", True),
    ("VALUES ip v6 cidr", env(ip__src=ipaddress.ip_address("2001:db8::1")),
     "ip.src in {198.51.100.1 198.51.100.3..198.51.100.7 192.0.2.0/24 2001:0db8::/32}", True),
    ("VALUES ip outside", env(ip__src=ipaddress.ip_address("198.51.100.2")),
     "ip.src in {198.51.100.1 198.51.100.3..198.51.100.7 192.0.2.0/24 2001:0db8::/32}", False),
    ("VALUES host list", env(**{HOST: b"example.net"}), 'http.host in {"example.com" "example.net"}', True),
    ("VALUES boolean ssl", url("http://example.com/"), "not ssl", True),
]


def _check(expression: str, environment: Environment, expected) -> None:
    parsed = parse(expression)
    assert parsed.ok, parsed.diagnostics
    assert evaluate(parsed.tree, environment) is expected


@pytest.mark.parametrize("name, environment, expression, expected", CASES + MAPS, ids=[c[0] for c in CASES + MAPS])
def test_documented_examples(name, environment, expression, expected):
    _check(expression, environment, expected)


@pytest.mark.parametrize("expression, full_uri, expected", WILDCARDS, ids=[f"{e[:30]}|{u}" for e, u, _ in WILDCARDS])
def test_documented_wildcard_examples(expression, full_uri, expected):
    _check(expression, url(full_uri), expected)


def test_documented_wildcard_example_c_first_uri_is_not_a_whole_value_match():
    """OPS example C lists https://example.com/folder/list.htm as matching ``*.example.com/*``
    or ``example.com/*``. Under the whole-value matching the same page states, neither can
    match it: the first needs a dot before example.com, the second a value starting with
    example.com. rulelint follows the stated rule, so a rule written from that example is
    reported as not matching, not silently taken to match."""
    _check(WILDCARD_C, url("https://example.com/folder/list.htm"), False)
    _check(WILDCARD_C, url("https://www.example.com/folder/list.htm"), True)


def test_wildcard_is_case_insensitive_and_strict_wildcard_is_not():
    """OPS: "The matching algorithm used by the wildcard operator is case insensitive. To
    perform case-sensitive wildcard matching, use the strict wildcard operator." """
    environment = url("https://EXAMPLE.com/A/page.html")
    _check('http.request.full_uri wildcard "https://example.com/a/*"', environment, True)
    _check('http.request.full_uri strict wildcard "https://example.com/a/*"', environment, False)


def test_escaped_star_in_a_wildcard_is_a_literal_star():
    """OPS: "To enter a literal * character ... escape it using \\*" (raw string form)."""
    _check(r'http.request.uri.path wildcard r"/a\*b"', env(**{PATH: b"/a*b"}), True)
    _check(r'http.request.uri.path wildcard r"/a\*b"', env(**{PATH: b"/axxb"}), False)


def test_missing_header_makes_comparisons_false_and_any_false():
    """VALUES notes: a non-existing key in a map is a missing value; comparisons with it are false."""
    headers = Environment(fields={"http.request.headers": Headers({}, complete=True, what="header")})
    _check('any(http.request.headers["x-token"][*] == "a")', headers, False)
    _check('http.request.headers["x-token"][0] == "a"', headers, False)
