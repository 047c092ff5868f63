"""The fuzzers in the suite: rulelint against Cloudflare's engine on generated, mutated and
hostile expressions. CI-sized by default (seconds); ``RULELINT_FUZZ_EXAMPLES=200000`` for the
nightly size (the figure docs/language-conformance.md records)."""

from __future__ import annotations

from hypothesis import given

from rulelint.language import parse

from . import fuzz
from .cases import reviewed_shape
from .generators import CONFORMANCE, function_call, huge_literal, regex_edge, wildcard_stars
from .oracle import oracle_error, oracle_verdict
from .verdicts import known_bug_shape, rulelint_errors, rulelint_verdict


def test_campaign_has_no_crash_and_agrees_with_the_engine():
    campaign = fuzz.run(fuzz.examples_from_environment())
    assert not campaign.crashes, campaign.report()
    assert campaign.disagreement_rate <= 0.001, campaign.report()
    assert set(campaign.families) == {"generated", "mutated", "hostile"}


def _agrees(text: str) -> None:
    parse(text)  # must not raise, whatever the text (parse keeps no memo)
    if reviewed_shape(text) or known_bug_shape(text):
        return
    assert rulelint_verdict(text) == oracle_verdict(text), (rulelint_errors(text), oracle_error(text))


@CONFORMANCE
@given(function_call())
def test_function_calls_get_the_engine_verdict(text):
    """Argument counts, kinds (field or literal) and types, as issue 18's largest groups."""
    _agrees(text)


@CONFORMANCE
@given(huge_literal())
def test_huge_literals_get_the_engine_verdict(text):
    _agrees(text)


@CONFORMANCE
@given(regex_edge())
def test_regex_edge_cases_get_the_engine_verdict(text):
    _agrees(text)


@CONFORMANCE
@given(wildcard_stars())
def test_wildcard_star_limit_gets_the_engine_verdict(text):
    _agrees(text)


def test_examples_from_environment(monkeypatch):
    monkeypatch.delenv("RULELINT_FUZZ_EXAMPLES", raising=False)
    assert fuzz.examples_from_environment() == fuzz.DEFAULT_EXAMPLES
    monkeypatch.setenv("RULELINT_FUZZ_EXAMPLES", "200000")
    assert fuzz.examples_from_environment() == 200000
