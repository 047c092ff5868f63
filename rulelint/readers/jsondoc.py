"""JSON parsing with positions on demand.

Values come from the standard library's C decoder (fast). Positions are indexed lazily: the
first time a container's children are asked for, one pass over that container records where
each child starts and ends, skipping each child with the C scanner. So reading 100,000 rules
costs about two C parses plus one small Python step per located object, and nothing is
indexed for objects no one asks about.
"""

from __future__ import annotations

import json
import re
from json.decoder import JSONDecodeError, scanstring
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCANNER = json.JSONDecoder().scan_once


class DuplicateKey:
    """A key written twice in one object (the last value wins, as in every JSON parser)."""

    __slots__ = ("container", "key")

    def __init__(self, container: dict, key: str) -> None:
        self.container = container
        self.key = key


class JsonDocument:
    """A parsed JSON text: ``value`` plus ``span(path)`` -> (start, end) character offsets."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.duplicates: list[DuplicateKey] = []
        self.value: Any = json.loads(text, object_pairs_hook=self._pairs)
        self._root_start = _WHITESPACE.match(text, 0).end()
        self._children: dict[int, Any] = {}
        self._spans: dict[tuple, tuple[int, int] | None] = {}

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.duplicates.append(DuplicateKey(result, key))
                seen.add(key)
        return result

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
            children: Any = {}
            if text[position] != "}":
                while True:
                    key, after_key = scanstring(text, position + 1)
                    after_colon = skip(text, skip(text, after_key).end() + 1).end()
                    _, value_end = _SCANNER(text, after_colon)
                    children[key] = (position, after_colon, value_end)
                    position = skip(text, value_end).end()
                    if text[position] == "}":
                        break
                    position = skip(text, position + 1).end()
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


def pointer(path: tuple) -> str:
    """RFC 6901 JSON Pointer of ``path``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


__all__ = ["JsonDocument", "JSONDecodeError", "pointer", "DuplicateKey"]
