"""rulelint's verdict, the verdict it must reach, and the disagreements known so far."""

from __future__ import annotations

import pytest

from rulelint.language import parse

from .cases import Case, exceptions
from .oracle import INVALID, VALID, oracle_verdict

# Cases where rulelint is known to differ from the right verdict: rulelint bugs waiting for a fix
# in rulelint/language. Each stays an xfail(strict=True), so fixing the bug turns it red here and
# the entry must then be deleted. Key: (expression, context); value: the reason.
KNOWN_RULELINT_BUGS: dict[tuple[str, str], str] = {}

# The same bugs as shapes of text, so the mutation property does not keep re-finding them.
# Matched against the text with string literals blanked out.
KNOWN_BUG_SHAPES: list[tuple[str, str]] = []


def known_bug_shape(text: str) -> str | None:
    """The name of the known rulelint bug ``text`` would trip, if any."""
    import re

    blanked = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    for pattern, name in KNOWN_BUG_SHAPES:
        if re.search(pattern, blanked):
            return name
    return None


def rulelint_verdict(text: str, context: str = "filter") -> str:
    parsed = parse(text, context)
    return VALID if parsed.ok else INVALID


def rulelint_errors(text: str, context: str = "filter") -> list[str]:
    parsed = parse(text, context)
    return [f"{d.code}: {d.message}" for d in parsed.diagnostics if d.severity == "error"]


def expected_verdict(case: Case) -> str:
    """The verdict rulelint must give: the exception's, the source's, or else the oracle's."""
    listed = exceptions().get((case.expression, case.context))
    if listed is not None:
        return listed.rulelint
    return case.expected or oracle_verdict(case.expression, case.context)


def expected_oracle_verdict(case: Case) -> str:
    listed = exceptions().get((case.expression, case.context))
    if listed is not None:
        return listed.oracle
    return case.expected or oracle_verdict(case.expression, case.context)


def rulelint_param(case: Case):
    """A pytest param for ``case``, xfail(strict) when it is a known rulelint bug."""
    reason = KNOWN_RULELINT_BUGS.get((case.expression, case.context))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)
