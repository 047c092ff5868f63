"""A per-process cache of the input texts, so positions can be computed after reading.

Readers register the exact text they parsed (BOM removed, standard input included) under the
name they report in ``Origin.file``; ``rulelint.positions`` reads it back only when a finding
needs a line and column inside an expression.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from itertools import chain
from operator import methodcaller

_NEWLINE = re.compile("\n")
_texts: dict[str, str] = {}
_line_starts: dict[str, "array[int]"] = {}


class SourceFile:
    """One input's text as it was parsed (BOM removed), with its line starts computed once.

    Readers make one per input and carry it on the nodes and expressions they build, so a
    position can be turned into a line and column long after reading, without any registry.
    """

    __slots__ = ("name", "text", "_line_starts")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._line_starts: "array[int] | None" = None

    def line_starts(self) -> "array[int]":
        starts = self._line_starts
        if starts is None:
            starts = self._line_starts = array(
                "q", chain((0,), map(methodcaller("end"), _NEWLINE.finditer(self.text)))
            )
        return starts

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of the character offset ``offset``."""
        starts = self._line_starts or self.line_starts()
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line(self, number: int) -> str:
        """The text of 1-based line ``number`` without its line break ("" past the end)."""
        starts = self.line_starts()
        if not 1 <= number <= len(starts):
            return ""
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def __repr__(self) -> str:
        return f"SourceFile({self.name!r}, {len(self.text)} characters)"


class SourceFiles(dict):
    """The inputs of one run by the name findings report (``Location.file``)."""

    def add(self, name: str, text: str) -> SourceFile:
        source = self[name] = SourceFile(name, text)
        return source

    def text(self, name: str | None) -> str | None:
        source = self.get(name) if name is not None else None
        return source.text if source is not None else None


def register(name: str, text: str) -> None:
    """Remember ``text`` as the content of ``name`` (replacing any earlier text)."""
    _texts[name] = text
    _line_starts.pop(name, None)


def text(name: str) -> str | None:
    """The text read for ``name``; read from disk (UTF-8, BOM stripped) when not registered."""
    if name not in _texts:
        try:
            with open(name, encoding="utf-8-sig", errors="replace") as handle:
                _texts[name] = handle.read()
        except OSError:
            return None
    return _texts[name]


def line_starts(name: str) -> "array[int]":
    """Offsets where each line of ``name`` starts, computed once per text (one C-speed scan)."""
    starts = _line_starts.get(name)
    if starts is None:
        content = text(name) or ""
        starts = array("q", chain((0,), map(methodcaller("end"), _NEWLINE.finditer(content))))
        _line_starts[name] = starts
    return starts


def line_column(name: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of the character offset ``offset``."""
    starts = _line_starts.get(name)
    if starts is None:
        starts = line_starts(name)
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def clear() -> None:
    _texts.clear()
    _line_starts.clear()
