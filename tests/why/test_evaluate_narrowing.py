"""Property: the evaluator and the narrowing proof agree. Whenever ``narrowing.is_narrower(A,
B)`` says the suggestion B is narrower than A, no generated request matches B and not A.

A is drawn from conditions the exception checks meet; B from the moves the checks make (add
conjuncts, make a path condition exact or a prefix) and, to try the proof with what it should
refuse, from unrelated expressions. Requests are fully known (every field, every list), so the
evaluator answers True or False, never Unknown.
"""

from __future__ import annotations

import ipaddress

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from rulelint.analysis import narrowing
from rulelint.analysis.evaluate import Environment, Headers, evaluate
from rulelint.language import parse

ATOMS = [
    'http.host eq "api.example.com"',
    'http.host wildcard "*.example.com"',
    'http.host in {"api.example.com" "www.example.net"}',
    'http.request.uri.path contains "/admin/export"',
    'http.request.uri.path contains "/hooks/"',
    'http.request.uri.path contains "export"',
    'starts_with(http.request.uri.path, "/api/")',
    'http.request.uri.path eq "/webhooks/stripe"',
    'http.request.uri.path eq "/admin/export"',
    'http.request.method eq "POST"',
    'http.request.method in {"POST" "PUT"}',
    "ip.src in $partner_ips",
    "ip.src in {192.0.2.0/24}",
    "not ip.src in {198.51.100.7}",
    'http.user_agent contains "Stripe"',
    'http.request.uri contains "/webhook"',
    'lower(http.request.uri.path) contains "/admin"',
    "cf.tls_client_auth.cert_verified",
    "true",
]
EXTRA = [
    "ip.src in $partner_ips",
    "ip.src in {203.0.113.0/24}",
    'http.request.method eq "POST"',
    'http.host eq "api.example.com"',
    'not http.user_agent contains "curl"',
]

HOSTS = ["api.example.com", "www.example.net", "API.example.com", "a.example.com"]
PATHS = ["/", "/admin/export", "/x/admin/export/y", "/admin/exportz", "/hooks/", "/x/hooks/a", "/api/v1",
         "/webhooks/stripe", "/webhooks/stripe/x", "/Admin/Export", "/export"]
ADDRESSES = ["192.0.2.5", "192.0.2.200", "198.51.100.7", "203.0.113.9", "2001:db8::1"]
LISTS = {"partner_ips": ["203.0.113.0/25", "192.0.2.128/25"]}


@st.composite
def expressions(draw, atoms=ATOMS):
    alternatives = draw(st.lists(st.lists(st.sampled_from(atoms), min_size=1, max_size=3), min_size=1, max_size=3))
    return " or ".join("(" + " and ".join(conj) + ")" for conj in alternatives)


@st.composite
def requests(draw):
    path = draw(st.sampled_from(PATHS))
    query = draw(st.sampled_from(["", "next=/webhook", "a=1"]))
    host = draw(st.sampled_from(HOSTS)).encode()
    uri = (path + (f"?{query}" if query else "")).encode()
    agent = draw(st.sampled_from([b"Stripe/1.0", b"curl/8.5", b""]))
    return Environment(
        fields={
            "http.host": host,
            "http.request.uri.path": path.encode(),
            "http.request.uri": uri,
            "http.request.uri.query": query.encode(),
            "http.request.full_uri": b"https://" + host + uri,
            "http.request.method": draw(st.sampled_from([b"GET", b"POST", b"PUT"])),
            "http.user_agent": agent,
            "http.request.headers": Headers({"user-agent": (agent,)}, complete=True, what="header"),
            "ip.src": ipaddress.ip_address(draw(st.sampled_from(ADDRESSES))),
            "cf.tls_client_auth.cert_verified": draw(st.booleans()),
        },
        lists=LISTS,
    )


@st.composite
def pairs(draw):
    """(A, B): B a narrowing of A by the checks' own moves, or an unrelated expression."""
    original = parse(draw(expressions())).tree
    if draw(st.integers(0, 4)) == 0:
        return original, parse(draw(expressions())).tree
    additions = [parse(a).tree for a in draw(st.lists(st.sampled_from(EXTRA), max_size=2))]
    chosen = draw(st.sets(st.integers(0, 2)))
    suggested = narrowing.narrow(original, lambda i, _: i in chosen or not chosen, lambda i, _: additions,
                                 replace_paths=draw(st.booleans()))
    return original, parse(_print(suggested)).tree


def _print(tree):
    from rulelint.language import print_expression

    return print_expression(tree)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(pairs(), st.lists(requests(), min_size=1, max_size=12))
def test_no_request_matches_a_proved_narrowing_but_not_the_original(pair, samples):
    original, suggested = pair
    assume(original is not None and suggested is not None)
    assume(narrowing.is_narrower(original, suggested))
    for environment in samples:
        wide = evaluate(original, environment)
        narrow = evaluate(suggested, environment)
        assert wide in (True, False) and narrow in (True, False)  # everything is known
        assert not (narrow is True and wide is False), (_print(original), _print(suggested), environment.fields)


def test_the_requests_tell_every_atom_apart():
    """Each atom matches some generated request and misses another (``true`` aside):
    otherwise the property could not see a narrowing of it."""
    import itertools

    grid = []
    for host, path, method, address, agent, mtls in itertools.product(
        HOSTS, PATHS, [b"GET", b"POST"], ADDRESSES, [b"Stripe/1.0", b"curl/8.5"], [False, True]
    ):
        grid.append(Environment(fields={
            "http.host": host.encode(), "http.request.uri.path": path.encode(), "http.request.uri": path.encode(),
            "http.request.method": method, "http.user_agent": agent, "ip.src": ipaddress.ip_address(address),
            "cf.tls_client_auth.cert_verified": mtls,
        }, lists=LISTS))
    for atom in ATOMS:
        results = {evaluate(parse(atom).tree, environment) for environment in grid}
        assert results == ({True} if atom == "true" else {True, False}), atom


def test_the_property_sees_a_false_narrowing():
    """The property can fail: a claim that ``true`` is narrower than a method condition is
    refuted by the generated requests (a GET matches ``true`` and not ``method eq "POST"``)."""
    original, wrong = parse('http.request.method eq "POST"').tree, parse("true").tree
    assert not narrowing.is_narrower(original, wrong)
    get = Environment(fields={"http.request.method": b"GET"})
    assert evaluate(wrong, get) is True and evaluate(original, get) is False
