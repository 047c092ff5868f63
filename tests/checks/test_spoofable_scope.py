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


# -- every suggestion is proved narrower -------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from rulelint.analysis import narrowing  # noqa: E402
from rulelint.checks.base import CheckContext  # noqa: E402
from rulelint.checks.spoofable_scope import SpoofableScope  # noqa: E402
from rulelint.model import Configuration, Expression, Origin, Rule, Ruleset, Zone  # noqa: E402

from .evaluator import matched, samples  # noqa: E402
from .test_suggestion_properties import SKIPS, expressions  # noqa: E402


def _suggestions(text, skip, description):
    origin = Origin(file="generated.json")
    rule = Rule(action="skip", skip=skip, description=description,
                expression=Expression(text=text, origin=origin, content_offset=None), origin=origin)
    zone = Zone(rulesets=[Ruleset(phase="http_request_firewall_custom", kind="zone", rules=[rule], origin=origin)])
    for finding in SpoofableScope().run(zone, CheckContext(Configuration(zones=[zone]))):
        if finding.suggestion is not None and finding.suggestion.expression is not None:
            yield finding.suggestion.expression


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), SKIPS, st.sampled_from(["Stripe webhooks POST", "", "health checks"]))
def test_every_spoofable_scope_suggestion_is_strictly_narrower(text, skip, description):
    original = parse(text)
    for suggested in set(_suggestions(text, skip, description)):
        parsed = parse(suggested)
        assert parsed.ok, (text, suggested, parsed.diagnostics)
        assert narrowing.is_strictly_narrower(original.tree, parsed.tree), (text, suggested)
        if "cert_revoked" in suggested:
            continue  # the sample grid does not model revocation
        grid = samples(original.tree)
        assert matched(parsed.tree, grid) <= matched(original.tree, grid), (text, suggested)
