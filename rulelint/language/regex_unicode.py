"""Unicode property classes (``\\p{…}``) as the Rust ``regex`` crate resolves them.

Names and values are matched loosely (UAX44-LM3: case, spaces, ``_`` and ``-`` ignored, an
``is`` prefix dropped), against the tables in ``grammars/regex-unicode-properties.json``.
"""

from __future__ import annotations

import json
from functools import cache

# Properties the crate accepts in the name=value form.
_BY_VALUE = ("General_Category", "Script", "Script_Extensions", "Age",
             "Grapheme_Cluster_Break", "Sentence_Break", "Word_Break")
# Abbreviations that name both a general category and a property; the crate reads them as the
# general category when they stand alone.
_CATEGORY_FIRST = frozenset({"cf", "sc", "lc"})
_GENERAL_EXTRA = frozenset({"any", "assigned", "ascii"})
# Surrogates cannot be matched in UTF-8 text: the crate rejects the category.
_UNMATCHABLE = frozenset({"cs", "surrogate"})


@cache
def _tables() -> dict:
    from rulelint.resources import grammars_dir

    with open(grammars_dir() / "regex-unicode-properties.json", encoding="utf-8") as handle:
        data = json.load(handle)
    data["binary"] = frozenset(data["binary"]) | {"Decimal_Number", "White_Space"}
    data["values"] = {name: frozenset(items) for name, items in data["values"].items()}
    return data


def normalize(name: str) -> str:
    """UAX44-LM3 loose matching, as the crate applies it (non-ASCII characters dropped)."""
    starts_with_is = name[:2].lower() == "is"
    rest = name[2:] if starts_with_is else name
    out = "".join(ch.lower() for ch in rest if ch.isascii() and ch not in " _-")
    if starts_with_is and out == "c":
        return "isc"  # ISO_Comment's alias, not "is" + the Other category
    return out


def _is_value(prop: str, value: str) -> bool:
    values = _tables()["values"].get(prop)
    if values is None or (prop == "General_Category" and value in _UNMATCHABLE):
        return False
    return value in values or (prop == "General_Category" and value in _GENERAL_EXTRA)


def property_problem(body: str) -> str | None:
    """Why ``\\p{body}`` (or ``\\pX`` with ``body`` one letter) is rejected, or None."""
    tables = _tables()
    text = body
    for separator in ("!=", "=", ":"):
        if separator in text:
            name, _, value = text.partition(separator)
            prop = tables["property_names"].get(normalize(name))
            if prop is None or prop not in _BY_VALUE:
                return f"Unicode property not found: {name.strip()}"
            if not _is_value(prop, normalize(value)):
                return f"Unicode property value not found: {value.strip()} (for {prop})"
            return None
    key = normalize(text)
    if key not in _CATEGORY_FIRST:
        prop = tables["property_names"].get(key)
        if prop is not None:
            return None if prop in tables["binary"] else f"Unicode property not found: {text}"
    if _is_value("General_Category", key) or _is_value("Script", key):
        return None
    return f"Unicode property not found: {text}"
