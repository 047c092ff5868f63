"""The predicate broad-skip and missing-ip-scope call to leave spoofable-scope's cases to it."""

from __future__ import annotations

import pytest

from rulelint.analysis.client_controlled import owned_by_spoofable_scope
from rulelint.analysis.scope import analyse_scope
from rulelint.language import parse


def _owned(text: str) -> bool:
    parsed = parse(text, "filter")
    assert parsed.ok, text
    return owned_by_spoofable_scope(analyse_scope(parsed.tree))


@pytest.mark.parametrize(
    "text",
    [
        'http.request.uri.path eq "/webhooks/stripe" and http.user_agent contains "Stripe"',
        'http.request.uri contains "/healthz"',
        'http.request.uri.path eq "/status" and cf.verified_bot_category eq ""',
        'http.host eq "partner.example.com" and cf.tls_client_auth.cert_verified',
        "ip.src.asnum in {16509 14618}",
        'http.user_agent contains "x" or ip.src in $office_ips',
    ],
)
def test_spoofable_scopes_are_owned(text):
    assert _owned(text)


@pytest.mark.parametrize(
    "text",
    [
        'http.request.uri.path eq "/webhooks/stripe"',  # no gate at all: missing-ip-scope's case
        'http.user_agent contains "x" and ip.src in $office_ips',  # a real source
        'http.user_agent contains "x" or http.request.uri.path eq "/a"',  # an unscoped alternative remains
        "cf.tls_client_auth.cert_verified and not cf.tls_client_auth.cert_revoked",
        'cf.verified_bot_category eq "Search Engine Crawler"',
        "ip.src in $cf.open_proxies",  # a hostile-source list: missing-ip-scope's case
        "true",
    ],
)
def test_other_scopes_are_left_to_the_other_checks(text):
    assert not _owned(text)
