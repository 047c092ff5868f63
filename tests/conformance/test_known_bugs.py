"""Minimal reproducers of the rulelint disagreements the conformance suite found.

Each is an xfail(strict=True): when rulelint is fixed the test turns red, and the entry must be
deleted from ``KNOWN_RULELINT_BUGS`` (and its shape from ``KNOWN_BUG_SHAPES``).
"""

from __future__ import annotations

import re

import pytest

from .cases import Case
from .oracle import oracle_verdict
from .verdicts import KNOWN_BUG_SHAPES, KNOWN_RULELINT_BUGS, expected_verdict, known_bug_shape, rulelint_param, rulelint_verdict

CASES = [Case(expr, context, "reproducer") for expr, context in KNOWN_RULELINT_BUGS]


@pytest.mark.parametrize("case", [rulelint_param(c) for c in CASES])
def test_reproducer(case):
    try:
        got = rulelint_verdict(case.expression, case.context)
    except Exception as error:  # a traceback is a bug of its own
        pytest.fail(f"rulelint raised {error!r}")
    assert got == expected_verdict(case)


def test_reproducers_of_text_shapes_match_their_shape():
    """Every filter reproducer except the value-context one is recognised by a shape."""
    for expr, context in KNOWN_RULELINT_BUGS:
        if context == "filter" and expr not in {
            'any(http.request.headers.names[*] eq "a" and http.request.headers.names[*] eq "a")',
        }:
            assert known_bug_shape(expr) is not None, expr


def test_shapes_leave_ordinary_expressions_alone():
    for text in ['not ssl and http.host eq "orders"', 'lower(http.host) eq "a"', "ip.src in {10.0.0.0/8 ::1}",
                 "cf.edge.server_port in {80 443}", 'http.host matches "\\\\x41"', "cf.threat_score eq 0x1f"]:
        assert known_bug_shape(text) is None, text
        assert oracle_verdict(text) == "valid"
    assert all(re.compile(pattern) for pattern, _ in KNOWN_BUG_SHAPES)
