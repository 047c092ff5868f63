"""Property-based conformance: generated expressions and their mutations, rulelint vs the oracle."""

from __future__ import annotations

from hypothesis import assume, given, strategies as st

from rulelint.language import parse, print_expression

from .generators import CONFORMANCE, filter_expression, mutation, value_expression
from .oracle import VALID, oracle_error, oracle_verdict
from .verdicts import known_bug_shape, rulelint_errors, rulelint_verdict


@CONFORMANCE
@given(filter_expression())
def test_generated_filters_are_valid_for_the_oracle(text):
    """Guards the generator itself: everything it makes is valid for Cloudflare's engine."""
    assert oracle_verdict(text) == VALID, oracle_error(text)


@CONFORMANCE
@given(value_expression())
def test_generated_values_are_valid_for_the_oracle(text):
    assert oracle_verdict(text, "value") == VALID, oracle_error(f'{text} eq ""')


@CONFORMANCE
@given(filter_expression())
def test_generated_filters_parse_and_round_trip(text):
    assert rulelint_verdict(text) == VALID, rulelint_errors(text)
    tree = parse(text).tree
    printed = print_expression(tree)
    again = parse(printed)
    assert again.ok, (printed, rulelint_errors(printed))
    assert again.tree == tree, printed
    assert oracle_verdict(printed) == VALID, oracle_error(printed)


@CONFORMANCE
@given(value_expression())
def test_generated_values_parse_and_round_trip(text):
    assert rulelint_verdict(text, "value") == VALID, rulelint_errors(text, "value")
    tree = parse(text, "value").tree
    printed = print_expression(tree)
    assert parse(printed, "value").tree == tree, printed


@CONFORMANCE
@given(st.data())
def test_mutated_filters_get_the_oracle_verdict(data):
    original = data.draw(filter_expression(), label="original")
    text = data.draw(mutation(original), label="mutated")
    assume(text.strip())  # the binding calls blank input valid (see the exceptions file)
    assume(known_bug_shape(text) is None)  # reported, and kept as xfail cases in test_known_bugs.py
    want = oracle_verdict(text)
    assert rulelint_verdict(text) == want, (rulelint_errors(text), oracle_error(text))
