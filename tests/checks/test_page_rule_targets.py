"""Page Rule URL patterns translated into filter expressions that match the same URLs: host and
path conditions when the pattern has no scheme, port or query string; otherwise Cloudflare's
documented ``http.request.full_uri wildcard`` translation (rules/reference/page-rules-migration)."""

import pytest

from rulelint.checks.page_rule_waf_off import target_expression
from rulelint.language import parse, print_expression


@pytest.mark.parametrize(
    "target, expected",
    [
        ("example.com/api/*", 'http.host eq "example.com" and starts_with(http.request.uri.path, "/api/")'),
        ("*marketing.example.com/api/*", 'http.host wildcard "*marketing.example.com" and starts_with(http.request.uri.path, "/api/")'),
        ("example.com/login", 'http.host eq "example.com" and http.request.uri.path eq "/login"'),
        ("example.com/*", 'http.host eq "example.com"'),
        ("example.com/*/downloads/*.txt", 'http.host eq "example.com" and http.request.uri.path wildcard "/*/downloads/*.txt"'),
        # a query string is matched only by the full URI
        ("example.com/api/*?x=1", 'http.request.full_uri wildcard "http*://example.com/api/*?x=1"'),
        # a written scheme narrows the rule to it: keep it
        ("https://example.com/admin/*", 'http.request.full_uri wildcard "https://example.com/admin/*"'),
        ("https://example.com/admin", 'http.request.full_uri wildcard "https://example.com/admin*"'),
        # a port is part of the URL, not of http.host
        ("http://example.com:8080/x/*", 'http.request.full_uri wildcard "http://example.com:8080/x/*"'),
        ("example.com:8443/x", 'http.request.full_uri wildcard "http*://example.com:8443/x*"'),
    ],
)
def test_target_translation(target, expected):
    tree = target_expression(target)
    text = print_expression(tree)
    assert text == expected
    assert parse(text).ok


def test_a_target_without_a_host_has_no_translation():
    assert target_expression("/only/a/path") is None
