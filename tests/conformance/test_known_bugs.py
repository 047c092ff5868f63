"""Reproducers of rulelint disagreements the conformance suite found, fixed or still open.

``FIXED`` holds the minimal reproducers of bugs that were fixed in rulelint/language: they are
ordinary tests now and must keep the verdict the oracle (or the exceptions file) gives.
``KNOWN_RULELINT_BUGS`` (verdicts.py) holds open ones as xfail(strict=True): when such a bug is
fixed the test turns red, and the entry moves from there to ``FIXED``.
"""

from __future__ import annotations

import pytest

from .cases import Case
from .oracle import oracle_verdict
from .verdicts import KNOWN_RULELINT_BUGS, expected_verdict, rulelint_errors, rulelint_param, rulelint_verdict

NAMES = 'http.request.headers.names[*] eq "a"'
FIXED = [
    ("ip.src", "value"),  # a header value set from an IP field (terraform-provider-cloudflare test)
    (f"any({NAMES} and {NAMES})", "filter"),  # quantifier argument: one comparison
    (f"all({NAMES} or {NAMES})", "filter"),
    (f"any(({NAMES} and {NAMES}))", "filter"),
    (f"any(not {NAMES} and {NAMES})", "filter"),
    ("ip.src in {1.1.1.01}", "filter"),  # the cidr crate's lenient list elements
    ("ip.src in {10.20}", "filter"),
    ("ip.src in {129.169.7}", "filter"),
    ("ip.src in {10 10/8 10.20/16}", "filter"),
    ("ip.src in {10.20/8}", "filter"),
    ("ip.src in {10.20..10.30}", "filter"),
    ("ip.src eq 1.1.1.01", "filter"),
    ("notssl", "filter"),  # keywords matched by prefix
    ("ssl andssl", "filter"),
    ("ssl orssl", "filter"),
    ("ssl xorssl", "filter"),
    ('notany(http.request.headers.names[*] eq "a")', "filter"),
    ("not notssl", "filter"),
    ("cf.threat_score eq10", "filter"),
    ('http.host matchesr"a"', "filter"),
    ("notes", "filter"),
    ('http.host eqs "a"', "filter"),
    ('http.host matches "a\\x4"', "filter"),  # incomplete regex escapes
    ('http.host matches "a\\x"', "filter"),
    ('http.host matches "a\\u004"', "filter"),
    ('http.host matches "a\\x{}"', "filter"),
    ('http.host matches "\\u{ff}"', "filter"),
    ("len((http.host)) eq 1", "filter"),  # an argument starting with ( is a condition
    ('concat(http.host, (http.host)) eq "a"', "filter"),
    ('lower((http.host eq "a")) eq "a"', "filter"),
    ("cf.threat_score eq 0xx0", "filter"),  # used to raise UnboundLocalError
    ("cf.threat_score eq 0X1F", "filter"),
    ("cf.threat_score eq -0x1", "filter"),
    ("cf.threat_score eq 10or ssl", "filter"),
    ("http.host eq 01:02and ssl", "filter"),
    ('lower("test") eq "a"', "filter"),  # the docs: lower/upper/substring take a field
    ('upper("test") eq "a"', "filter"),
    ('substring("abc", 1) eq "a"', "filter"),
    # issue 18, one case per group of the fuzzing report
    ('len("") eq 1', "filter"),  # argument kind: a field, not a literal
    ("coalesce(ssl)", "filter"),  # argument count: at least two
    ('coalesce("", 1) eq ""', "filter"),  # argument types: all of the first one's type
    ('coalesce(http.host, ip.src) eq ""', "filter"),
    ("len(http.request.headers) eq 1", "filter"),  # Map: neither Bytes nor an array
    ('concat(http.host, http.request.headers.names) eq ""', "filter"),
    ('has_value(http.request.headers.names, 1)', "filter"),
    ('to_string(1) eq ""', "filter"),
    ('sha256("a") eq ""', "filter"),
    ('starts_with(http.host, http.referer)', "filter"),  # the second argument may be a field
    ("ip.src in {" + "1" * 5000 + "}", "filter"),  # huge literals: a diagnostic, no ValueError
    ("ip.src in {::/" + "1" * 5000 + "}", "filter"),
    ("ip.src in {1.2.3." + "1" * 5000 + "}", "filter"),
    ("cf.threat_score eq " + "9" * 5000, "filter"),
    ('http.host matches "a{' + "9" * 5000 + '}"', "filter"),
    ('http.host matches "a{4294967296}"', "filter"),
    ('http.host matches "a{1000}{1000}"', "filter"),  # regex compiled size limit
    ('http.host matches "(?u)\\w{1000}"', "filter"),
    ('http.host matches "' + "(" * 251 + "a" + ")" * 251 + '"', "filter"),  # nesting limit
    ('http.host matches "(?u)\\p{Foo}"', "filter"),  # unknown Unicode property
    ('http.host matches "(?u)\\p{Greek}"', "filter"),
    ('http.host matches "(?u)[\\p{L}]"', "filter"),
    ('http.host matches "\\pL"', "filter"),  # Unicode not allowed here
    ('http.host matches "(?P<1a>x)"', "filter"),  # invalid capture group name
    ('http.host matches "(?P<a>x)(?P<a>y)"', "filter"),
    ('http.host matches "(?ii)x"', "filter"),  # duplicate flag
    ('http.host matches "(?i-)x"', "filter"),
    ('http.host matches "a\\x4"', "filter"),  # incomplete escape
    ('http.host matches "[a"', "filter"),  # unclosed class
    ('http.host matches r"[][]"', "filter"),
    ('http.host matches "[a--b]"', "filter"),  # regexes rulelint used to reject
    ('http.host matches "a{ 5 }"', "filter"),
    ('http.host wildcard "' + "a*" * 11 + '"', "filter"),  # star metacharacter limit
    ('http.host wildcard "' + "a*" * 10 + '"', "filter"),
]


@pytest.mark.parametrize(("expression", "context"), FIXED, ids=[f"{c}:{e}" for e, c in FIXED])
def test_fixed_reproducer_gets_the_right_verdict(expression, context):
    case = Case(expression, context, "reproducer")
    want = expected_verdict(case)
    assert rulelint_verdict(expression, context) == want, rulelint_errors(expression, context)


def test_fixed_filter_reproducers_are_judged_by_the_oracle_itself():
    """The reproducers are not exceptions: the oracle's own verdict is the one rulelint gives."""
    for expression, context in FIXED:
        if context == "filter":
            assert oracle_verdict(expression) == rulelint_verdict(expression), expression


OPEN = [Case(expr, context, "reproducer") for expr, context in KNOWN_RULELINT_BUGS]


@pytest.mark.parametrize("case", [rulelint_param(c) for c in OPEN])
def test_open_reproducer(case):  # pragma: no cover - runs only while a bug is open
    assert rulelint_verdict(case.expression, case.context) == expected_verdict(case)
