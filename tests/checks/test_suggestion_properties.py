"""Property: on generated skip rules, every suggestion the exception checks make parses,
type-checks with rulelint's own parser, and is strictly narrower than the original.

"Narrower" is judged twice: by ``narrowing.is_strictly_narrower`` (the proof the checks use)
and, independently, by evaluating both expressions on a grid of sample requests
(tests/checks/evaluator.py): every sample the suggestion matches, the original matches, and
some sample the original matches, the suggestion does not.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from rulelint.analysis import narrowing
from rulelint.checks.base import CheckContext
from rulelint.checks.broad_skip import BroadSkip
from rulelint.checks.missing_ip_scope import MissingIpScope
from rulelint.language import parse
from rulelint.model import Configuration, Expression, Origin, Rule, Ruleset, SkipParameters, Zone

from .evaluator import matched, samples

ATOMS = st.sampled_from(
    [
        'http.host eq "api.example.com"',
        'http.host wildcard "*.example.com"',
        'http.request.uri.path contains "/admin/export"',
        'http.request.uri.path contains "/hooks/"',
        'http.request.uri.path contains "export"',
        'starts_with(http.request.uri.path, "/api/")',
        'http.request.uri.path eq "/webhooks/stripe"',
        'http.request.method eq "POST"',
        "ip.src in $stripe_ips",
        "ip.src in {192.0.2.0/24}",
        "(ip.src in {192.0.2.0/24})",
        "not ip.src in {198.51.100.7}",
        "ip.src in $cf.open_proxies",
        "ip.src in {0.0.0.0/1 128.0.0.0/1}",
        'http.user_agent contains "Stripe"',
        'http.request.uri contains "/webhook"',
        "cf.tls_client_auth.cert_verified",
        "true",
    ]
)


@st.composite
def expressions(draw):
    alternatives = draw(st.lists(st.lists(ATOMS, min_size=1, max_size=3), min_size=1, max_size=3))
    text = " or ".join("(" + " and ".join(conj) + ")" for conj in alternatives)
    if draw(st.booleans()):
        text = " or ".join(" and ".join(conj) for conj in alternatives)
    return text


SKIPS = st.sampled_from(
    [
        SkipParameters(phases=["http_request_firewall_managed"]),
        SkipParameters(ruleset="current"),
        SkipParameters(rules={"efb7b8c949ac4650a09736fc376e9aee": ["5de7edfa648c4d6891dc3e7f84534ffa"]}),
        SkipParameters(products=["waf", "bic"]),
    ]
)


def _suggestions(text, skip, description):
    origin = Origin(file="generated.json")
    rule = Rule(action="skip", skip=skip, description=description,
                expression=Expression(text=text, origin=origin, content_offset=None), origin=origin)
    zone = Zone(rulesets=[Ruleset(phase="http_request_firewall_custom", kind="zone", rules=[rule], origin=origin)])
    ctx = CheckContext(Configuration(zones=[zone]))
    for check in (BroadSkip(), MissingIpScope()):
        for finding in check.run(zone, ctx):
            if finding.suggestion is not None and finding.suggestion.expression is not None:
                yield finding.suggestion.expression


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), SKIPS, st.sampled_from(["Stripe webhooks POST", "", "export fix"]))
def test_every_suggestion_parses_type_checks_and_is_strictly_narrower(text, skip, description):
    original = parse(text)
    assert original.ok, text
    original_matches = grid = None
    for suggested in set(_suggestions(text, skip, description)):
        parsed = parse(suggested)
        assert parsed.ok, (text, suggested, parsed.diagnostics)
        assert narrowing.is_strictly_narrower(original.tree, parsed.tree), (text, suggested)
        if original_matches is None:
            grid = samples(original.tree)
            original_matches = matched(original.tree, grid)
        suggestion_matches = matched(parsed.tree, grid)
        assert suggestion_matches <= original_matches, (text, suggested, sorted(suggestion_matches - original_matches, key=repr)[:1])
        assert original_matches - suggestion_matches, (text, suggested)


def test_the_sample_grid_tells_the_atoms_apart():
    """Each atom the generator uses matches some sample and misses another: otherwise the
    semantic check could not see a narrowing of it."""
    for atom in ATOMS.elements:
        tree = parse(atom).tree
        grid = samples(tree)
        hits = matched(tree, grid)
        if atom in ("true", "ip.src in {0.0.0.0/1 128.0.0.0/1}"):  # every (IPv4) request
            assert len(hits) == len(grid)
        else:
            assert hits and len(hits) < len(grid), atom
