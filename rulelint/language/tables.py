"""The field and function tables (grammars/fields.json, grammars/functions.json).

Loaded once per process, on first use, through ``rulelint.resources.grammars_dir()``.
"""

from __future__ import annotations

import json
import re
from functools import cache

from ..records import Record, record, set_field
from .ast import BOOL, BYTES, INT, IP, UNKNOWN, Type

_SIMPLE = {"Bool": BOOL, "Bytes": BYTES, "Int": INT, "Ip": IP}
_COMPOUND = re.compile(r"(Array|Map)<(.*)>")


def parse_type(text: str) -> Type:
    """``"Map<Array<Bytes>>"`` → the matching ``Type``; ``"T"`` (any) → Unknown."""
    text = text.strip()
    if text in _SIMPLE:
        return _SIMPLE[text]
    match = _COMPOUND.fullmatch(text)
    if match:
        return Type(match.group(1), parse_type(match.group(2)))
    return UNKNOWN


@record
class FieldInfo(Record):
    """One field of fields.json: its type, where it may be used and what replaces it."""

    name: str
    type: Type
    scope: str  # "request" | "response"
    phases: tuple[str, ...] | None
    replacement: str | None  # set when the field is a deprecated alias
    availability: str
    description: str

    def __init__(
        self,
        name: str,
        type: Type,
        scope: str,
        phases: tuple[str, ...] | None,
        replacement: str | None,
        availability: str,
        description: str,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "type", type)
        set_field(self, "scope", scope)
        set_field(self, "phases", phases)
        set_field(self, "replacement", replacement)
        set_field(self, "availability", availability)
        set_field(self, "description", description)


@record
class Param(Record):
    """One parameter of a function in functions.json."""

    name: str
    types: tuple[str, ...]  # accepted types, e.g. ("Bytes", "Array<T>"); "T" is any
    kind: str  # "field" | "literal" | "any"
    optional: bool
    variadic: bool

    def __init__(self, name: str, types: tuple[str, ...], kind: str, optional: bool, variadic: bool) -> None:
        set_field(self, "name", name)
        set_field(self, "types", types)
        set_field(self, "kind", kind)
        set_field(self, "optional", optional)
        set_field(self, "variadic", variadic)


@record
class FunctionInfo(Record):
    """One function of functions.json: its parameters, arity, result and phases."""

    name: str
    params: tuple[Param, ...]
    min_args: int
    max_args: int | None
    returns: str
    phases: tuple[str, ...] | None  # None: every phase
    grammar: bool  # any/all: grammar constructs, not scheme functions

    def __init__(
        self,
        name: str,
        params: tuple[Param, ...],
        min_args: int,
        max_args: int | None,
        returns: str,
        phases: tuple[str, ...] | None,
        grammar: bool,
    ) -> None:
        set_field(self, "name", name)
        set_field(self, "params", params)
        set_field(self, "min_args", min_args)
        set_field(self, "max_args", max_args)
        set_field(self, "returns", returns)
        set_field(self, "phases", phases)
        set_field(self, "grammar", grammar)

    def param(self, index: int) -> Param | None:
        if index < len(self.params):
            return self.params[index]
        if self.params and self.params[-1].variadic:
            return self.params[-1]
        return None


def _read(name: str) -> dict:
    from rulelint.resources import grammars_dir

    with open(grammars_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def fields() -> dict[str, FieldInfo]:
    """Every field Cloudflare documents, by name."""
    table = {}
    for name, entry in _read("fields.json")["fields"].items():
        table[name] = FieldInfo(
            name=name,
            type=parse_type(entry["type"]),
            scope=entry["scope"],
            phases=tuple(entry["phases"]) if "phases" in entry else None,
            replacement=entry.get("replacement"),
            availability=entry["availability"],
            description=entry["description"],
        )
    return table


@cache
def functions() -> dict[str, FunctionInfo]:
    """Every function Cloudflare documents (plus any/all), by name."""
    table = {}
    for name, entry in _read("functions.json")["functions"].items():
        params = tuple(
            Param(
                name=arg["name"],
                types=tuple(t.strip() for t in arg["type"].split("|")),
                kind=arg["kind"],
                optional=bool(arg.get("optional")),
                variadic=bool(arg.get("variadic")),
            )
            for arg in entry["args"]
        )
        phases = entry["phases"]
        table[name] = FunctionInfo(
            name=name,
            params=params,
            min_args=entry["min_args"],
            max_args=entry["max_args"],
            returns=entry["returns"],
            phases=None if phases == "all" else tuple(phases),
            grammar=bool(entry.get("grammar")),
        )
    return table


@cache
def _names() -> tuple[str, ...]:
    return tuple(fields()) + tuple(functions())


def did_you_mean(name: str, candidates: tuple[str, ...] | None = None) -> str | None:
    """The closest known name, for a ``did you mean …?`` hint."""
    import difflib

    found = difflib.get_close_matches(name, candidates or _names(), n=1, cutoff=0.75)
    return found[0] if found else None
