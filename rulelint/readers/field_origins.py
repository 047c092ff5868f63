"""``field_origins`` of JSON objects, computed when first read.

A rule has four or five located fields; building their ``Origin`` objects for every rule of a
100,000-rule export costs more than reading the rules (measured: +60 % read time), and checks
only ask for the few rules they report. ``LazyOrigins`` is a plain ``dict`` to its users: the
first look inside fills it from one scan of the object's text (its ``SourceFile``).
"""

from __future__ import annotations

from ..model import Origin
from ..model.sources import SourceFile


class LazyOrigins(dict):
    """A ``dict[str, Origin]`` filled on first use. Copies, pickles and comparisons see the
    filled content; only pydantic's ``model_dump`` (which reads the dict's storage directly)
    would see it empty before first use."""

    __slots__ = ("_pending",)

    def __init__(self, source: SourceFile, start: int, pointer: str, address: str | None, keys: tuple,
                 known: dict[str, Origin] | None = None) -> None:
        super().__init__()
        self._pending = (source, start, pointer, address, keys, known)

    def _fill(self) -> None:
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        dict.update(self, _origins(*pending))

    def __getitem__(self, key):
        self._fill()
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._fill()
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def __iter__(self):
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def keys(self):
        self._fill()
        return dict.keys(self)

    def values(self):
        self._fill()
        return dict.values(self)

    def items(self):
        self._fill()
        return dict.items(self)

    def copy(self) -> dict:
        self._fill()
        return dict(dict.items(self))

    def __eq__(self, other) -> bool:
        self._fill()
        if isinstance(other, LazyOrigins):
            other._fill()
        return dict.__eq__(self, other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)

    def __reduce_ex__(self, protocol):
        return (dict, (self.copy(),))

    def __setitem__(self, key, value) -> None:
        self._fill()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key) -> None:
        self._fill()
        dict.__delitem__(self, key)

    def setdefault(self, key, default=None):
        self._fill()
        return dict.setdefault(self, key, default)

    def pop(self, key, *default):
        self._fill()
        return dict.pop(self, key, *default)

    def update(self, *args, **kwargs) -> None:
        self._fill()
        dict.update(self, *args, **kwargs)


def _origins(source: SourceFile, start: int, pointer: str, address: str | None, keys: tuple,
             known: dict[str, Origin] | None) -> dict[str, Origin]:
    from .jsondoc import member_spans

    text = source.text
    spans = member_spans(text, start) if text[start:start + 1] == "{" else {}
    origins: dict[str, Origin] = {}
    for key in keys:
        if known and key in known:
            origins[key] = known[key]
            continue
        span = spans.get(key)
        if span is None:
            continue
        line, column = source.line_column(span[0])
        end_line, end_column = source.line_column(span[1])
        origins[key] = Origin.trusted(
            file=source.name, line=line, column=column, end_line=end_line, end_column=end_column,
            pointer=f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}",
            address=f"{address}.{key}" if address is not None else None,
        )
    return origins
