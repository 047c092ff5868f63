"""The reviewed exceptions still hold: the oracle still differs, and rulelint gives the listed verdict."""

from __future__ import annotations

import pytest

from .cases import exceptions
from .oracle import oracle_verdict
from .verdicts import KNOWN_RULELINT_BUGS, rulelint_errors, rulelint_verdict

ENTRIES = list(exceptions().values())


def test_exception_list_stays_short():
    assert 0 < len(ENTRIES) <= 12


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.context}:{e.expression[:40]}" for e in ENTRIES])
def test_oracle_still_differs(entry):
    assert entry.rulelint != entry.oracle, "an exception must be a difference"
    assert oracle_verdict(entry.expression, entry.context) == entry.oracle


def _param(entry):
    reason = KNOWN_RULELINT_BUGS.get((entry.expression, entry.context))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(entry, id=f"{entry.context}:{entry.expression[:40]}", marks=marks)


@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES])
def test_rulelint_gives_the_reviewed_verdict(entry):
    got = rulelint_verdict(entry.expression, entry.context)
    assert got == entry.rulelint, rulelint_errors(entry.expression, entry.context)
