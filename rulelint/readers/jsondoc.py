"""JSON parsing with positions on demand.

Values come from the standard library's C decoder. Positions come from one more C-speed pass:
a compiled regular expression finds every bracket outside strings, and their nesting depths
are kept in a ``bytes`` object. A container's extent is then one ``bytes.find`` (the next
bracket back at its depth), and a member's value is found by searching its key inside the
parent object and checking, by bisection, that the match is at the parent's own depth. So a
position costs a few C calls whatever the file size, and nothing is computed for values no
one asks about. Values the fast path does not cover (scalars inside arrays, documents with
duplicate keys, keys written with escapes) fall back to indexing their container, exactly.
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate
from json.decoder import JSONDecodeError, scanstring
from operator import methodcaller
from typing import Any

from ..model.sources import SourceFile, offset_typecode

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCANNER = json.JSONDecoder().scan_once
# Everything up to and including the next bracket that is not inside a string.
# (Written as an unrolled loop: about a third faster than the plain alternation.)
_UP_TO_BRACKET = re.compile(r'[^"{}\[\]]*+(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"[^"{}\[\]]*+)*+[{}\[\]]')
_STEP = bytes.maketrans(b"{[}]", b"\x01\x01\xff\xff")  # +1 opens, -1 (as a signed byte) closes
_KEY_PATTERNS: dict[str, re.Pattern | None] = {}


def _key_pattern(key: str) -> re.Pattern | None:
    """A member ``"key":`` preceded by ``{`` or ``,``: in valid JSON this only matches keys."""
    if key not in _KEY_PATTERNS:
        if len(_KEY_PATTERNS) > 4096:
            _KEY_PATTERNS.clear()
        written = json.dumps(key, ensure_ascii=False)
        _KEY_PATTERNS[key] = re.compile(r"[{,][ \t\n\r]*(" + re.escape(written) + r")[ \t\n\r]*:[ \t\n\r]*")
    return _KEY_PATTERNS[key]


class DuplicateKey:
    """A key written twice in one object (the last value wins, as in every JSON parser)."""

    __slots__ = ("container", "key")

    def __init__(self, container: dict, key: str) -> None:
        self.container = container
        self.key = key


class JsonDocument:
    """A parsed JSON input: ``value`` plus ``span(path)`` -> (start, end) character offsets
    into ``source.text``."""

    def __init__(self, source: SourceFile, decode: bool = True) -> None:
        """``decode`` False leaves ``value`` None: the caller decodes parts of the text with
        ``outline`` and ``decode`` (a bundle read zone by zone, ``bundle_stream``)."""
        self.source = source
        self.name = source.name
        self.text = text = source.text
        self.duplicates: list[DuplicateKey] = []
        self.value: Any = json.loads(text, object_pairs_hook=self._pairs) if decode else None
        self._root_start = _WHITESPACE.match(text, 0).end()
        self._children: dict[int, Any] = {}
        self._spans: dict[tuple, tuple[int, int] | None] = {}
        self._brackets: Any = None  # ends (offset + 1) of every bracket outside strings, or False
        self._depths = b""  # nesting depth just after each bracket
        self._elements: dict[int, list[int]] = {}  # array bracket -> bracket of each element (-1: scalar)
        self._members: dict[int, dict[str, int]] = {}  # object bracket -> key -> bracket of container values
        self._shared: dict[tuple, tuple] = {}
        self._pinned: dict[tuple, tuple[int, int]] = {}
        self._decoder: Any = None

    def shared(self, value: tuple) -> tuple:
        """One copy of equal tuples for the whole document: the model keeps one per object
        (which of its fields are written, for instance), and most objects have the same."""
        return self._shared.setdefault(value, value)

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.duplicates.append(DuplicateKey(result, key))
                seen.add(key)
        return result

    # -- fast path: brackets and depths --------------------------------------------------------
    def _bracket_index(self) -> bool:
        """Build the bracket index once; False when the fast path cannot be used."""
        if self._brackets is None:
            self._brackets = False
            text = self.text
            if self.duplicates or not text or text[self._root_start] not in "{[":
                return False
            ends = array(offset_typecode(len(text) + 1), map(methodcaller("end"), _UP_TO_BRACKET.finditer(text)))
            kinds = "".join(map(text.__getitem__, map((-1).__add__, ends)))
            try:
                depths = bytes(accumulate(array("b", kinds.encode("ascii").translate(_STEP))))
            except ValueError:  # nested deeper than 255: use the exact slow path
                return False
            self._brackets, self._depths = ends, depths
        return self._brackets is not False

    def root_bracket(self) -> int:
        """Bracket number of the root container (-1 when positions use the slow path)."""
        return 0 if self._bracket_index() else -1

    def _close(self, bracket: int) -> int:
        depths = self._depths
        return depths.find(depths[bracket] - 1, bracket + 1)

    def container_span(self, bracket: int) -> tuple[int, int]:
        ends = self._brackets
        return ends[bracket] - 1, ends[self._close(bracket)]

    def member(self, bracket: int, key: str, values: dict) -> tuple[int, int, int] | None:
        """(start, end, bracket or -1) of the value of ``key`` in the object at ``bracket``;
        None when the fast path cannot tell (the caller falls back to ``span``)."""
        if isinstance(values.get(key), (dict, list)):
            # Container members are the object's child brackets, in order (no duplicate keys).
            members = self._members.get(bracket)
            if members is None:
                members = {}
                depths, find = self._depths, self._depths.find
                following = bracket + 1
                for name, value in values.items():
                    if isinstance(value, (dict, list)):
                        members[name] = following
                        following = find(depths[following] - 1, following + 1) + 1
                self._members[bracket] = members
            child = members[key]
            start, end = self.container_span(child)
            return start, end, child
        pattern = _key_pattern(key)
        ends, depths = self._brackets, self._depths
        start, end = ends[bracket] - 1, ends[self._close(bracket)]
        depth = depths[bracket]
        for tries, match in enumerate(pattern.finditer(self.text, start, end)):
            if depths[bisect_right(ends, match.start(1)) - 1] == depth:
                return self._value_at(match.end())
            if tries > 64:  # the key is common deeper down: index this object once instead
                break
        return None

    def element(self, bracket: int, index: int, values: list) -> tuple[int, int, int] | None:
        """(start, end, bracket) of container element ``index`` of the array at ``bracket``;
        None for scalar elements (the caller falls back to ``span``)."""
        elements = self._elements.get(bracket)
        if elements is None:
            elements = []
            depths, find = self._depths, self._depths.find
            following = bracket + 1
            for value in values:
                if isinstance(value, (dict, list)):
                    elements.append(following)
                    following = find(depths[following] - 1, following + 1) + 1
                else:
                    elements.append(-1)
            self._elements[bracket] = elements
        try:
            child = elements[index]
        except IndexError:
            return None
        if child < 0:
            return None
        start, end = self.container_span(child)
        return start, end, child

    def _value_at(self, start: int) -> tuple[int, int, int]:
        text = self.text
        first = text[start]
        if first in "{[":
            bracket = bisect_left(self._brackets, start + 1)
            return start, self._brackets[self._close(bracket)], bracket
        if first == '"':
            return start, scanstring(text, start + 1)[1], -1
        return start, _SCANNER(text, start)[1], -1

    # -- parts of a document decoded one at a time --------------------------------------------
    def outline(self) -> dict[str, tuple[int, int, int]] | None:
        """Key -> (start, end, bracket or -1) of every member of the root object, found without
        decoding container values (the bracket index skips them); None when the root is not an
        object, a key is written twice, or the text is not JSON as far as this scan sees."""
        if not self._bracket_index() or self.text[self._root_start] != "{":
            return None
        text, skip = self.text, _WHITESPACE.match
        members: dict[str, tuple[int, int, int]] = {}
        try:
            position = skip(text, self._root_start + 1).end()
            if text[position] == "}":
                closing = position
            else:
                while True:
                    if text[position] != '"':
                        return None
                    key, after_key = scanstring(text, position + 1)
                    colon = skip(text, after_key).end()
                    if text[colon] != ":" or key in members:
                        return None
                    found = self._value_at(skip(text, colon + 1).end())
                    if found[2] >= 0 and (self._brackets[found[2]] - 1 != found[0] or self._close(found[2]) < 0):
                        return None  # brackets that do not pair up: not JSON
                    members[key] = found
                    position = skip(text, found[1]).end()
                    if text[position] == "}":
                        closing = position
                        break
                    if text[position] != ",":
                        return None
                    position = skip(text, position + 1).end()
        except (ValueError, IndexError, StopIteration):
            return None
        if closing + 1 != self.container_span(0)[1] or text[closing + 1:].strip():
            return None
        return members

    def elements_of(self, bracket: int) -> list[tuple[int, int, int]] | None:
        """(start, end, bracket) of every element of the array at ``bracket`` when every one is
        an object or array (None otherwise: a scalar element, or text that is not JSON)."""
        text, ends, find = self.text, self._brackets, self._depths.find
        start, end = self.container_span(bracket)
        found: list[tuple[int, int, int]] = []
        child, position = bracket + 1, start + 1
        depth = self._depths[bracket]
        while True:
            between = text[position:ends[child] - 1].strip() if child < len(ends) else None
            if between is None:
                return None
            if ends[child] == end:  # the array's own closing bracket
                return found if not between else None
            if between != ("," if found else "") or self._depths[child] != depth + 1:
                return None
            close = find(depth, child + 1)
            if close < 0:
                return None
            found.append((ends[child] - 1, ends[close], child))
            child, position = close + 1, ends[close]

    def decode(self, start: int, end: int | None = None) -> Any:
        """The value written at ``start`` (and ending at ``end``, when given), decoded on its
        own; duplicate keys are recorded. JSONDecodeError when the text there is not that."""
        if self._decoder is None:
            self._decoder = json.JSONDecoder(object_pairs_hook=self._pairs).scan_once
        try:
            value, stop = self._decoder(self.text, start)
        except StopIteration as error:
            raise JSONDecodeError("Expecting value", self.text, error.value) from None
        if end is not None and stop != end:
            raise JSONDecodeError("Value ends elsewhere", self.text, stop)
        return value

    def pin(self, path: tuple, span: tuple[int, int]) -> None:
        """Record the span of ``path`` (kept by ``forget``): the exact slow path starts there
        instead of indexing the containers above it, which would decode them whole."""
        self._spans[path] = span
        self._pinned[path] = span

    def forget(self, keep: tuple[int, ...] = ()) -> None:
        """Drop the positions worked out so far but the pinned spans and the indexes of the
        containers at brackets ``keep``: a part decoded on its own has been read."""
        self._children = {}
        self._spans = dict(self._pinned)
        self._elements = {bracket: self._elements[bracket] for bracket in keep if bracket in self._elements}
        self._members = {bracket: self._members[bracket] for bracket in keep if bracket in self._members}

    # -- exact slow path: index one container's children ----------------------------------------
    def _index(self, start: int) -> Any:
        """Children of the container starting at ``start``: dict key -> (key_start, start, end)
        for objects, list of (start, end) for arrays."""
        cached = self._children.get(start)
        if cached is not None:
            return cached
        text = self.text
        skip = _WHITESPACE.match
        position = skip(text, start + 1).end()
        if text[start] == "{":
            children: Any = {key: (key_start, value_start, value_end)
                             for key, key_start, value_start, value_end in _members(text, start)}
        else:
            children = []
            if text[position] != "]":
                while True:
                    _, value_end = _SCANNER(text, position)
                    children.append((position, value_end))
                    position = skip(text, value_end).end()
                    if text[position] == "]":
                        break
                    position = skip(text, position + 1).end()
        self._children[start] = children
        return children

    def span(self, path: tuple) -> tuple[int, int] | None:
        """Offsets (start, end exclusive) of the value at ``path`` (keys and indexes)."""
        cached = self._spans.get(path)
        if cached is not None or path in self._spans:
            return cached
        if not path:
            result: tuple[int, int] | None = (self._root_start, len(self.text.rstrip()))
        else:
            parent = self.span(path[:-1])
            result = None
            if parent is not None and self.text[parent[0]] in "{[":
                children = self._index(parent[0])
                part = path[-1]
                try:
                    if isinstance(children, dict):
                        _, start, end = children[part]
                    else:
                        start, end = children[part]
                    result = (start, end)
                except (KeyError, IndexError, TypeError):
                    result = None
        self._spans[path] = result
        return result

    def key_span(self, path: tuple) -> tuple[int, int] | None:
        """Offsets of the key string of the member at ``path`` (an object member)."""
        if not path:
            return None
        parent = self.span(path[:-1])
        if parent is None or self.text[parent[0]] != "{":
            return None
        entry = self._index(parent[0]).get(path[-1])
        if entry is None:
            return None
        key_start = entry[0]
        _, key_end = scanstring(self.text, key_start + 1)
        return key_start, key_end

    def find_path(self, target: Any) -> tuple | None:
        """The path of the container ``target`` (by identity), searched without recursion."""
        stack: list[tuple[Any, tuple]] = [(self.value, ())]
        while stack:
            value, path = stack.pop()
            if value is target:
                return path
            if isinstance(value, dict):
                stack.extend((child, path + (key,)) for key, child in value.items() if isinstance(child, (dict, list)))
            elif isinstance(value, list):
                stack.extend((child, path + (index,)) for index, child in enumerate(value) if isinstance(child, (dict, list)))
        return None


def member_spans(text: str, start: int) -> dict[str, tuple[int, int]]:
    """Key -> (start, end) of every member value of the JSON object written at ``start`` in
    ``text`` (one C-speed scan of that object; the last of duplicate keys wins, as in parsing)."""
    return {key: (value_start, value_end) for key, _, value_start, value_end in _members(text, start)}


def _members(text: str, start: int):
    """(key, key start, value start, value end) of each member of the object at ``start``."""
    skip = _WHITESPACE.match
    position = skip(text, start + 1).end()
    if text[position] == "}":
        return
    while True:
        key, after_key = scanstring(text, position + 1)
        after_colon = skip(text, skip(text, after_key).end() + 1).end()
        _, value_end = _SCANNER(text, after_colon)
        yield key, position, after_colon, value_end
        position = skip(text, value_end).end()
        if text[position] == "}":
            return
        position = skip(text, position + 1).end()


def pointer(path: tuple) -> str:
    """RFC 6901 JSON Pointer of ``path``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


__all__ = ["JsonDocument", "JSONDecodeError", "pointer", "DuplicateKey", "member_spans"]
