"""Every real-world expression of the shared corpus: rulelint agrees with Cloudflare's engine."""

from __future__ import annotations

import pytest

from .cases import corpus_cases
from .oracle import oracle_error
from .verdicts import expected_verdict, rulelint_errors, rulelint_param, rulelint_verdict

CASES = corpus_cases()


def test_corpus_is_there_and_holds_both_contexts():
    contexts = {case.context for case in CASES}
    assert len(CASES) > 100 and contexts == {"filter", "value"}


@pytest.mark.parametrize("case", [rulelint_param(c) for c in CASES])
def test_rulelint_verdict_matches_oracle(case):
    want = expected_verdict(case)
    got = rulelint_verdict(case.expression, case.context)
    detail = oracle_error(case.expression) if case.context == "filter" else ""
    assert got == want, (
        f"{case.source}\nrulelint: {got} {rulelint_errors(case.expression, case.context)}\n"
        f"oracle: {want} {detail}"
    )
