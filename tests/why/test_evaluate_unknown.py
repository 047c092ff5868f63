"""Three-valued evaluation: what the request does not say makes a condition Unknown, never
False, and the Unknown says what it depends on."""

from __future__ import annotations

import ipaddress

import pytest

from rulelint.analysis.evaluate import Environment, Headers, IpRange, Unknown, evaluate, first_failure, describe
from rulelint.language import parse
from rulelint.why.request import describe_request

REQUEST = describe_request(url="https://www.example.com/login?next=/a", method="POST", ip="192.0.2.10").environment()


def result(expression: str, environment: Environment = REQUEST):
    parsed = parse(expression)
    assert parsed.ok, parsed.diagnostics
    return evaluate(parsed.tree, environment)


@pytest.mark.parametrize("expression, reasons", [
    ("ip.src in $office", {"depends on $office"}),
    ("ip.src in $cf.open_proxies", {"depends on $cf.open_proxies"}),
    ("cf.bot_management.score lt 30", {"depends on the bot score (give --bot-score)"}),
    ('http.user_agent contains "curl"', {"depends on the header user-agent"}),
    ('any(http.request.headers["x-api-key"][*] eq "k")', {"depends on the header x-api-key"}),
    ('http.request.body.raw contains "<script"', {"depends on the request body"}),
    ('ip.src.country eq "DE"', {"depends on the client's country (give --country)"}),
    ("cf.edge.server_port eq 443", {"depends on cf.edge.server_port"}),
    (r'http.request.uri.path matches "(?u)\p{Greek}"',
     {r"depends on the regular expression '(?u)\\p{Greek}', which rulelint cannot evaluate exactly"}),
    ("ip.src in $office or ip.src in $partners", {"depends on $office", "depends on $partners"}),
])
def test_unknown_inputs_make_conditions_unknown_with_their_reason(expression, reasons):
    value = result(expression)
    assert isinstance(value, Unknown)
    assert set(value.reasons) == reasons


@pytest.mark.parametrize("expression, expected", [
    ('http.request.method eq "GET" and ip.src in $office', False),  # False and Unknown
    ('http.request.method eq "POST" or ip.src in $office', True),  # True or Unknown
    ('not http.request.method eq "GET" and http.request.uri.path eq "/login"', True),
    ('http.request.uri.query eq "next=/a" xor ssl', False),
    ('http.request.uri.args["next"][0] eq "/a"', True),
    ('http.request.uri.args["missing"][0] eq "/a"', False),  # a missing value: False, not Unknown
])
def test_kleene_logic_decides_what_the_known_part_decides(expression, expected):
    assert result(expression) is expected


def test_ne_on_a_missing_value_is_unknown_because_cloudflare_does_not_document_it():
    value = result('http.request.uri.args["missing"][0] ne "/a"')
    assert isinstance(value, Unknown)
    assert value.reasons == {"depends on how Cloudflare compares a missing value with ne (undocumented)"}


def test_given_headers_are_known_and_with_no_other_headers_the_rest_are_missing():
    partial = describe_request(url="https://a.example.com/", headers=(("X-Api-Key", "k1"),)).environment()
    assert result('any(http.request.headers["x-api-key"][*] eq "k1")', partial) is True
    assert isinstance(result('any(http.request.headers["x-other"][*] eq "k1")', partial), Unknown)
    complete = describe_request(url="https://a.example.com/", headers=(("X-Api-Key", "k1"),), headers_complete=True).environment()
    assert result('any(http.request.headers["x-other"][*] eq "k1")', complete) is False
    assert result('http.user_agent eq ""', complete) is True


def test_a_source_range_decides_in_by_containment_and_leaves_eq_unknown():
    environment = Environment(fields={"ip.src": IpRange(ipaddress.ip_network("192.0.2.0/28"))})
    assert result("ip.src in {192.0.2.0/24}", environment) is True
    assert result("ip.src in {198.51.100.0/24 2001:db8::/32}", environment) is False
    assert isinstance(result("ip.src in {192.0.2.0/30}", environment), Unknown)
    assert isinstance(result("ip.src eq 192.0.2.1", environment), Unknown)


def test_headers_map_is_read_case_insensitively_by_name():
    environment = Environment(fields={"http.request.headers": Headers({"content-type": (b"text/html",)}, True, "header")})
    assert result('http.request.headers["Content-Type"][0] eq "text/html"', environment) is True


def test_first_failure_follows_and_into_groups_and_stops_at_or():
    tree = parse('http.request.method eq "POST" and (ssl and (http.host eq "x" or http.host eq "y"))').tree
    assert describe(first_failure(tree, REQUEST)) == 'http.host eq "x" or http.host eq "y"'
    assert first_failure(parse('http.request.method eq "POST"').tree, REQUEST) is None


def test_an_unknown_is_never_taken_for_a_truth_value():
    with pytest.raises(TypeError):
        bool(result("ip.src in $office"))


@pytest.mark.parametrize("pattern, body, expected", [
    ("abc$", b"abc\n", False),  # Rust: $ is the very end of the text (Python's $ also matches before a final newline)
    ("(?m)abc$", b"abc\nx", True),
    (r"abc\z", b"abc", True),
    (r"\d+", "\u0663".encode(), False),  # byte-oriented: \d is ASCII digits only
    ("[a-c]x", b"--bx--", True),  # unanchored search
])
def test_regex_matching_follows_rust_where_python_can(pattern, body, expected):
    environment = Environment(fields={"http.request.body.raw": body})
    assert result(f'http.request.body.raw matches r"{pattern}"', environment) is expected


def test_a_regex_python_would_read_differently_is_unknown():
    environment = Environment(fields={"http.request.body.raw": b"b"})
    value = result(r'http.request.body.raw matches r"[a-z&&[^aeiou]]"', environment)
    assert isinstance(value, Unknown)
