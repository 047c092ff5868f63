"""Terraform built-in functions that can be evaluated without running Terraform.

Only pure functions of strings and lists whose result depends on nothing but their arguments
are here (``lower``, ``format``, ``join``…): a function that reads files, the clock or the
network, or one rulelint does not know, leaves its call unresolved. Each function takes plain
Python values (str, int, float, bool, list, dict) and returns one, or raises ``Unknown``.
"""

from __future__ import annotations

import re
from typing import Any, Callable


class Unknown(Exception):
    """The call cannot be evaluated statically (unknown function or unsupported argument)."""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise Unknown("not a string")


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise Unknown("not a list")
    return [_text(item) for item in value]


_FORMAT_VERB = re.compile(r"%(%|[-+# 0]*\d*(?:\.\d+)?[sdvfqt])")


def _format(template: Any, *args: Any) -> str:
    pending = list(args)

    def verb(match: re.Match) -> str:
        if match.group(1) == "%":
            return "%"
        if not pending:
            raise Unknown("too few arguments")
        value = pending.pop(0)
        kind = match.group(1)[-1]
        if kind == "q":
            return '"' + _text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if kind == "d" and not (isinstance(value, int) and not isinstance(value, bool)):
            raise Unknown("not an integer")
        if match.group(1) not in ("s", "d", "v"):
            raise Unknown("formatting flags")  # widths and precisions: not worth guessing
        return _text(value)

    return _FORMAT_VERB.sub(verb, _text(template))


def _join(separator: Any, *lists: Any) -> str:
    items: list[str] = []
    for value in lists:
        items.extend(_strings(value))
    return _text(separator).join(items)


def _concat(*lists: Any) -> list:
    result: list = []
    for value in lists:
        if not isinstance(value, list):
            raise Unknown("not a list")
        result.extend(value)
    return result


def _replace(text: Any, search: Any, replacement: Any) -> str:
    search = _text(search)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        raise Unknown("regular expression replace")
    return _text(text).replace(search, _text(replacement))


def _trim(text: Any, characters: Any) -> str:
    return _text(text).strip(_text(characters))


def _split(separator: Any, text: Any) -> list[str]:
    return _text(text).split(_text(separator))


def _distinct(value: Any) -> list:
    if not isinstance(value, list):
        raise Unknown("not a list")
    result: list = []
    for item in value:
        if item not in result:
            result.append(item)
    return result


def _one_argument(function: Callable[[str], str]) -> Callable[..., str]:
    def call(*args: Any) -> str:
        if len(args) != 1:
            raise Unknown("wrong number of arguments")
        return function(_text(args[0]))

    return call


def _tostring(value: Any) -> str:
    return _text(value)


def _tolist(value: Any) -> list:
    if not isinstance(value, list):
        raise Unknown("not a list")
    return value


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": _one_argument(str.lower),
    "upper": _one_argument(str.upper),
    "trimspace": _one_argument(str.strip),
    "title": _one_argument(str.title),
    "format": _format,
    "join": _join,
    "concat": _concat,
    "replace": _replace,
    "trim": _trim,
    "split": _split,
    "distinct": _distinct,
    "tostring": _tostring,
    "tolist": _tolist,
    "toset": lambda value: sorted(set(_strings(value))),  # Terraform orders a set of strings
}


def call(name: str, args: list[Any]) -> Any:
    """The value of ``name(*args)``; ``Unknown`` when it cannot be known statically."""
    function = FUNCTIONS.get(name)
    if function is None:
        raise Unknown(f"function {name}")
    try:
        return function(*args)
    except Unknown:
        raise
    except (TypeError, ValueError, IndexError) as error:  # wrong arity or argument types
        raise Unknown(str(error)) from error
