"""Small pieces of English shared by the checks' messages."""

from __future__ import annotations

from typing import Iterable


def word_list(items: Iterable[str], last: str = "and") -> str:
    """``a, b and c`` (``last`` joins the final two: "and" or "or")."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]
