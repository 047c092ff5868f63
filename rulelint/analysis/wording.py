"""Small pieces of English shared by the analyses' and the checks' messages."""

from __future__ import annotations

from typing import Iterable


def join_words(items: Iterable[str], last: str = "and") -> str:
    """``a, b and c`` (``last`` joins the final two: "and" or "or"); empty for no items."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
