"""Page Rule URL patterns (rules/page-rules/reference/wildcard-matching) translated into filter
expressions that match the same URLs, never more: host, path, scheme, port and query
conditions with the case-sensitive operators, never the ``http*://`` full-URI form whose
leading ``*`` absorbs scheme, host and path; and which targets cover the same URLs."""

import pytest

from rulelint.analysis.page_rule_targets import parse_target, patterns_overlap, target_expression, targets_overlap
from rulelint.language import parse, print_expression


@pytest.mark.parametrize(
    "target, expected",
    [
        ("example.com/api/*", 'http.host eq "example.com" and starts_with(http.request.uri.path, "/api/")'),
        ("*marketing.example.com/api/*", 'http.host strict wildcard "*marketing.example.com" and starts_with(http.request.uri.path, "/api/")'),
        ("example.com/login", 'http.host eq "example.com" and http.request.uri.path eq "/login"'),
        ("example.com/*", 'http.host eq "example.com"'),
        ("example.com*", 'http.host strict wildcard "example.com*"'),
        # no path: the bare host's root only
        ("example.com", 'http.host eq "example.com" and http.request.uri.path eq "/"'),
        ("Example.COM/", 'http.host eq "example.com" and http.request.uri.path eq "/"'),
        ("example.com/*/downloads/*.txt", 'http.host eq "example.com" and http.request.uri.path strict wildcard "/*/downloads/*.txt"'),
        ("example.com/a**b", 'http.host eq "example.com" and http.request.uri.path strict wildcard "/a*b"'),
        # a query string, a scheme, a port: conditions of their own, never http.request.full_uri
        ("example.com/api/*?x=1", 'http.host eq "example.com" and starts_with(http.request.uri.path, "/api/") and http.request.uri.query eq "x=1"'),
        ("https://example.com/admin/*", 'ssl and http.host eq "example.com" and starts_with(http.request.uri.path, "/admin/")'),
        ("http://example.com/admin", 'not ssl and http.host eq "example.com" and http.request.uri.path eq "/admin"'),
        ("*://example.com/x", 'http.host eq "example.com" and http.request.uri.path eq "/x"'),
        ("http://example.com:8080/x/*", 'not ssl and http.host eq "example.com" and cf.edge.server_port eq 8080 and starts_with(http.request.uri.path, "/x/")'),
    ],
)
def test_target_translation(target, expected):
    tree = target_expression(target)
    text = print_expression(tree)
    assert text == expected
    assert parse(text).ok
    assert "full_uri" not in text and " wildcard " not in text.replace("strict wildcard", "")


@pytest.mark.parametrize(
    "target",
    ["/only/a/path", "", "http*://example.com/x", "ftp://example.com/", "example.com:http/x", r"example.com/a\*b"],
)
def test_a_target_without_an_exact_translation_has_none(target):
    assert target_expression(target) is None


@pytest.mark.parametrize(
    "first, second, overlap",
    [
        ("example.com/*", "example.com/admin", True),
        ("example.com/api/*", "example.com/admin/*", False),
        ("*example.com/*", "shop.example.com/admin*", True),
        ("example.com", "example.com/admin/*", False),  # the root only
        ("example.com", "example.com", True),
        ("example.com*", "example.com/admin", True),
        ("example.com/*/downloads/*.txt", "example.com/a/downloads/b.txt", True),
        ("example.com/*/downloads/*.txt", "example.com/a/uploads/*", True),  # /a/uploads/x/downloads/y.txt
        ("example.com/*/downloads/*.txt", "example.com/a/uploads/*.png", False),
        ("https://example.com/*", "http://example.com/admin", False),
        ("https://example.com/*", "example.com/admin", True),
        ("example.com/api/*?x=1", "example.com/api/orders", True),
        ("example.com:8443/*", "example.com/admin", False),
    ],
)
def test_targets_overlap(first, second, overlap):
    assert targets_overlap(parse_target(first), parse_target(second)) is overlap
    assert targets_overlap(parse_target(second), parse_target(first)) is overlap


def test_overlap_is_linear_in_the_product_of_the_patterns():
    assert not patterns_overlap("a*" * 200 + "b", "a*" * 200 + "c")


def test_patterns_too_long_to_compare_are_not_said_to_overlap():
    huge = parse_target("example.com/" + "a*" * 5000)
    assert targets_overlap(huge, parse_target("example.com/*")) is False


@pytest.mark.parametrize("target", [None, 42, "", "?", "://", "\x00"])
def test_bad_targets_parse_to_nothing_or_something_harmless(target):
    parsed = parse_target(target)
    assert parsed is None or target_expression(target) is None or parse(print_expression(target_expression(target))).ok
