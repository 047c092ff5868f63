"""The texts of one run's inputs, so positions can be computed after reading.

Readers make one ``SourceFile`` per input they parse (BOM removed, standard input included),
keep it on the nodes and expressions they build and hand all of them back in
``ReadResult.sources``: nothing is kept at module level, so two runs never share texts.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from itertools import chain
from operator import methodcaller

_NEWLINE = re.compile("\n")


def offset_typecode(length: int) -> str:
    """The ``array`` typecode for offsets into a text of ``length`` characters: 4 bytes an
    offset rather than 8 whenever they fit (every input under 4 GiB), which halves the line
    index of a 60 MB export."""
    return "I" if length < 2**32 and array("I").itemsize == 4 else "q"


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
                offset_typecode(len(self.text)), chain((0,), map(methodcaller("end"), _NEWLINE.finditer(self.text)))
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

    def texts(self) -> dict[str, str]:
        """Every input's text by its name (what the caches key a run by)."""
        return {name: source.text for name, source in self.items()}
