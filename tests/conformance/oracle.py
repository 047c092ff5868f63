"""The reference verdicts: Cloudflare's Rust wirefilter engine, through octorules-wirefilter.

The oracle is a test-only dependency. It judges *filter* expressions against its reconstruction of
Cloudflare's HTTP scheme; it has no notion of a value expression (a rewrite or redirect target).
A value expression ``V`` is judged by parsing the filter ``V eq ""`` and requiring that the
result is one bare comparison, so ``V`` itself must be a single Bytes-typed value. That is
rulelint's ``context="string"``; rulelint's ``context="value"`` also accepts an Int, Ip or Bool
value (a request header may be set from ``ip.src``), so a non-Bytes value is an exception entry.
"""

from __future__ import annotations

import octorules_wirefilter

VALID = "valid"
INVALID = "invalid"


def oracle_verdict(text: str, context: str = "filter") -> str:
    """``"valid"`` or ``"invalid"`` from the oracle for ``text`` in ``context``."""
    if context == "value":
        result = octorules_wirefilter.parse_expression(f'{text} eq ""')
        single = result.get("top_level_items") == ["comparison"] and "top_level_op" not in result
        return VALID if "error" not in result and single else INVALID
    result = octorules_wirefilter.parse_expression(text)
    return INVALID if "error" in result else VALID


def oracle_error(text: str) -> str | None:
    """The oracle's error message for a filter expression, for assertion messages."""
    return octorules_wirefilter.parse_expression(text).get("error")
