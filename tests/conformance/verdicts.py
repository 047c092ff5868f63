"""rulelint's verdict, the verdict it must reach, and the disagreements known so far."""

from __future__ import annotations

import pytest

from rulelint.language import parse

from .cases import Case, exceptions
from .oracle import INVALID, VALID, oracle_verdict

# Cases where rulelint is known to differ from the right verdict: rulelint bugs waiting for a fix
# in rulelint/language. Each stays an xfail(strict=True), so fixing the bug turns it red here and
# the entry must then be deleted. Key: (expression, context); value: the reason.
KNOWN_RULELINT_BUGS: dict[tuple[str, str], str] = {
    ("ip.src", "value"): "value context accepts only Bytes; Cloudflare's provider acceptance test sets a header from ip.src",
    ('any(http.request.headers.names[*] eq "a" and http.request.headers.names[*] eq "a")', "filter"):
        "any()/all() take one simple expression; an unparenthesised and/or/xor chain must be rejected",
    ("ip.src in {1.1.1.01}", "filter"): "list elements use wirefilter's lenient network parser: 1.1.1.01 is 1.1.1.1",
    ("notssl", "filter"): "keywords match by prefix in wirefilter (§1.8): notssl is not ssl; warn, do not reject",
    ("ssl andssl", "filter"): "keywords match by prefix in wirefilter (§1.8): andssl is and ssl; warn, do not reject",
    ('http.host matches "a\\x4"', "filter"): "regex validation misses an incomplete \\x escape",
    ("len((http.host)) eq 1", "filter"):
        "a function argument starting with ( is a logical expression in wirefilter, so a parenthesised value is invalid",
    ("ip.src in {10.20}", "filter"): "list elements accept wirefilter's short network forms (10.20 = 10.20.0.0/16)",
    ("cf.threat_score eq 0xx0", "filter"): "crashes with UnboundLocalError in parser.py instead of a diagnostic",
}

# The same bugs as shapes of text, so the mutation property does not keep re-finding them.
# Matched against the text with string literals blanked out, except the regex one.
KNOWN_BUG_SHAPES = [
    (r"(?<![\w.$])(?:not|and|xor|or)[A-Za-z_(]", "prefix keywords"),
    (r"(?<![\w.])(?!any\b|all\b|not\b)[a-z_]+\(\s*\(", "parenthesised function argument"),
    (r"(?:ip\.src|cf\.edge\.server_ip) in \{[^}]*(?<![\w.:/])\d+(?:\.\d+){0,2}(?![\w.:/])", "short network forms"),
    (r"(?:ip\.src|cf\.edge\.server_ip) in \{[^}]*\b\d+\.\d+\.\d+\.0\d", "leading-zero octet"),
    (r"0x(?![0-9a-fA-F])\w", "crash on 0x followed by a non-hex character"),
]
REGEX_BUG_SHAPE = r'(?:matches|~)\s*"[^"]*\\x[0-9a-fA-F]?"'


def known_bug_shape(text: str) -> str | None:
    """The name of the known rulelint bug ``text`` would trip, if any."""
    import re

    if re.search(REGEX_BUG_SHAPE, text):
        return "incomplete \\x escape in a regex"
    blanked = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    for pattern, name in KNOWN_BUG_SHAPES:
        if re.search(pattern, blanked):
            return name
    return None


def rulelint_verdict(text: str, context: str = "filter") -> str:
    try:
        parsed = parse(text, context)
    except NotImplementedError:  # pragma: no cover - only before the parser exists
        pytest.skip("rulelint.language.parse is not implemented yet")
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
