"""Cases transcribed from wirefilter's own unit tests (tests/conformance/wirefilter_cases.tsv)."""

from __future__ import annotations

import pytest

from .cases import wirefilter_cases
from .oracle import oracle_error, oracle_verdict
from .verdicts import expected_oracle_verdict, expected_verdict, rulelint_errors, rulelint_param, rulelint_verdict

CASES = wirefilter_cases()


def test_transcription_has_both_verdicts_from_every_test_file():
    assert {c.expected for c in CASES} == {"valid", "invalid"}
    assert len({c.source for c in CASES}) >= 10 and len(CASES) >= 200


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_oracle_agrees_with_wirefilter_tests(case):
    """Checks the transcription: the oracle reaches the verdict wirefilter's tests state."""
    assert oracle_verdict(case.expression, case.context) == expected_oracle_verdict(case), (
        f"{case.note}: {oracle_error(case.expression)}"
    )


@pytest.mark.parametrize("case", [rulelint_param(c) for c in CASES])
def test_rulelint_agrees_with_wirefilter_tests(case):
    got = rulelint_verdict(case.expression, case.context)
    assert got == expected_verdict(case), (
        f"{case.note} ({case.source})\nrulelint errors: {rulelint_errors(case.expression, case.context)}"
    )
