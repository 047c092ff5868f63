"""``field_origins`` of model objects, computed when first read.

A rule has four or five located fields; building their ``Origin`` objects for every rule of a
100,000-rule export costs more than reading the rules (measured: +60 % read time) and about a
kilobyte a rule for as long as the model lives (five origins, their addresses and line
numbers), and checks only ask for the few rules they report. ``LazyOrigins`` is a plain
``dict`` to its users: the first look inside fills it, for JSON from one scan of the object's
text (its ``SourceFile``); ``LocatedOrigins`` does the same for located nodes (Terraform, and
values rebuilt from JSON) from the few offsets it keeps of each field.
"""

from __future__ import annotations

from array import array

from ..model import Origin
from ..model.sources import SourceFile


class LazyOrigins(dict):
    """A ``dict[str, Origin]`` filled on first use. Copies and comparisons see the filled
    content, and a pickle fills it when read back; only pydantic's ``model_dump`` (which reads
    the dict's storage directly) would see it empty before first use."""

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
        if self._pending is not None:  # still to fill: pickled as such (``spilled_zones``)
            return _pending_origins, (type(self), self._pending)
        return (dict, (dict(dict.items(self)),))

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


def _pending_origins(kind: type, pending: tuple) -> LazyOrigins:
    """A ``LazyOrigins`` (or subclass) read back from a pickle before it was filled."""
    origins = kind.__new__(kind)
    origins._pending = pending
    return origins


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


class LocatedOrigins(LazyOrigins):
    """``Node.field_origins`` filled on first use: for each of ``keys`` the (start, end, key
    start) offsets of its value, -1 for None and -2 when the key is absent. A field's address is
    the object's followed by ``.key``, and its file the object's, unless ``overrides`` (key ->
    (source, pointer, address)) says otherwise; ``known`` origins are taken as given."""

    __slots__ = ()

    def __init__(self, source: SourceFile, address: str | None, keys, offsets: array,
                 overrides: dict | None = None, known: dict[str, Origin] | None = None) -> None:
        dict.__init__(self)
        self._pending = (source, address, keys, offsets, overrides, known)

    def _fill(self) -> None:
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        dict.update(self, _located_origins(*pending))


ABSENT = -2  # ``LocatedOrigins`` offsets: the key is not in the object


def _located_origins(source: SourceFile, address: str | None, keys, offsets: array, overrides: dict | None,
                     known: dict[str, Origin] | None) -> dict[str, Origin]:
    """What ``Node.field_origin()`` of each present key's value gives, from the kept offsets."""
    origins: dict[str, Origin] = {}
    for index, key in enumerate(keys):
        start, end, key_start = offsets[3 * index:3 * index + 3]
        if start == ABSENT:
            continue
        if known and key in known:
            origins[key] = known[key]
            continue
        field_source, pointer, field_address = source, None, f"{address}.{key}" if address else None
        if overrides and key in overrides:
            field_source, pointer, field_address = overrides[key]
        if start < 0:
            origins[key] = Origin.trusted(file=field_source.name, pointer=pointer, address=field_address)
            continue
        origins[key] = origin_at(field_source, start, end if end >= 0 else None, key_start if key_start >= 0 else None,
                                 pointer, field_address)
    return origins


def origin_at(source: SourceFile, start: int, end: int | None, key_start: int | None,
              pointer: str | None, address: str | None) -> Origin:
    """The origin of a value written from ``start`` to ``end`` (None: the value's start) in
    ``source``; from ``key_start`` on when its attribute name written before it is part of it."""
    line, column = source.line_column(key_start if key_start is not None and key_start <= start else start)
    end_line, end_column = source.line_column(end if end is not None else start)
    return Origin.trusted(file=source.name, line=line, column=column, end_line=end_line, end_column=end_column,
                          pointer=pointer, address=address)
