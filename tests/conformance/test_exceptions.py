"""The reviewed exceptions still hold: the oracle still differs, and rulelint gives the listed verdict."""

from __future__ import annotations

import pytest

from .cases import exception_shapes, exceptions, reviewed_shape
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


SHAPES = exception_shapes()


def test_shapes_are_there():
    assert 5 <= len(SHAPES) <= 12


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_shape_example_still_differs_and_is_matched(shape):
    assert shape.rulelint != shape.oracle, "a shape must be a difference"
    assert shape.pattern.search(shape.example), shape.example
    assert oracle_verdict(shape.example) == shape.oracle
    got = rulelint_verdict(shape.example)
    assert got == shape.rulelint, rulelint_errors(shape.example)


def test_too_long_is_a_reviewed_class():
    text = "ssl" + " and ssl" * 513  # 4,107 characters
    assert reviewed_shape(text) == "too-long"
    assert oracle_verdict(text) == "valid" and rulelint_verdict(text) == "invalid"
