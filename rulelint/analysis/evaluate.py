"""Evaluate a Rules language expression against one request, in three values.

``evaluate(tree, environment)`` answers ``True``, ``False`` or an ``Unknown`` that says what
the answer depends on ("depends on $partner_ips", "depends on the bot score"). A value the
caller does not know (a named list's contents, a header it did not give, the request body)
makes every condition that reads it Unknown, never False: ``rulelint why`` must not tell
someone a rule cannot match when it only does not know.

Semantics follow Cloudflare's documentation and wirefilter (shared/spec/rules-language.md):

* strings are bytes; ``eq``, ``contains``, ``starts_with``… are case-sensitive;
  ``wildcard`` matches the whole value case-insensitively (ASCII), ``strict wildcard``
  case-sensitively; only ``*`` is special, ``\\*`` and ``\\\\`` escape;
* ``matches`` searches (unanchored) with the pattern as the Rust ``regex`` crate reads it,
  byte-oriented: patterns Rust rejects are rejected by the language layer before they get
  here; a valid Rust pattern Python's ``re`` cannot run (``\\p{Greek}``) is Unknown;
* a missing value (an absent header, an index past the end of an array) makes every
  comparison False, except ``ne``, whose result on a missing value Cloudflare does not
  document (Unknown); ``any``/``all`` of a missing array are False;
* ``x[*]`` maps a comparison or a function over every element, giving an array of results
  that ``any``/``all`` fold; ``not``, ``and``, ``or`` and ``xor`` on such arrays are
  element-wise;
* logic is Kleene's: ``False and Unknown`` is False, ``True or Unknown`` is True.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from ..language import ast
from ..language.printer import print_expression

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class _Missing:
    """A field or element the request does not have (an absent header, ``array[9]``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value or a truth rulelint cannot know; ``reasons`` say what it depends on."""

    reasons: frozenset[str] = frozenset()

    def __bool__(self) -> bool:  # an Unknown must never be taken for True or False by accident
        raise TypeError("an Unknown truth value has no bool(); compare with `is True`")

    def __or__(self, other: Unknown) -> Unknown:
        return Unknown(self.reasons | other.reasons)

    @property
    def because(self) -> str:
        return "; ".join(sorted(self.reasons)) or "depends on a value rulelint does not know"


def unknown(reason: str) -> Unknown:
    return Unknown(frozenset({reason}))


Truth = bool | Unknown


@dataclass(frozen=True, slots=True)
class Each:
    """The elements ``x[*]`` maps over: what a comparison or function is applied to, one by one."""

    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Headers:
    """A map the request knows only partly: the headers (or cookies, query arguments) it was
    given. With ``complete`` every other key is absent; without, every other key is Unknown."""

    known: Mapping[str, tuple[bytes, ...]]
    complete: bool
    what: str  # "header" | "cookie" | "query argument": for the reason text
    lowercase_keys: bool = True

    def get(self, key: str) -> Any:
        name = key.lower() if self.lowercase_keys else key
        if name in self.known:
            return list(self.known[name])
        if self.complete:
            return MISSING
        return unknown(f"depends on the {self.what} {key}")

    def whole(self) -> Any:
        if not self.complete:
            return unknown(f"depends on the request's other {self.what}s")
        return dict(self.known)


@dataclass(frozen=True, slots=True)
class IpRange:
    """A source known only as a range (``--ip 192.0.2.0/24``): some address of it."""

    network: IpNetwork


@dataclass
class Environment:
    """What is known about the request.

    ``fields`` maps a field name to its value: ``bytes``, ``int``, ``bool``, an address, an
    ``IpRange``, a list (Array), a dict or ``Headers`` (Map), ``MISSING`` or an ``Unknown``
    with its reason. A field not in ``fields`` is Unknown ("depends on <field>").
    ``lists`` maps a list name (``partner_ips``, ``cf.open_proxies``) to its items (address
    or network text, strings, integers); a list not in it is Unknown ("depends on $name").
    """

    fields: Mapping[str, Any] = field(default_factory=dict)
    lists: Mapping[str, Iterable[Any]] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        if name in self.fields:
            return self.fields[name]
        return unknown(f"depends on {name}")

    def named_list(self, name: str) -> Any:
        try:
            return self.lists[name]
        except KeyError:
            return unknown(f"depends on ${name}")


# -- the entry points -------------------------------------------------------------------------


def evaluate(tree: ast.Node, environment: Environment) -> Truth:
    """Whether the filter ``tree`` matches the request: True, False or an Unknown."""
    result = _Evaluator(environment).value(tree)
    if isinstance(result, Each):  # a bare Array<Bool> at the top is a type error upstream
        return unknown("an array of results where one truth value was expected")
    if result is MISSING:
        return False
    return result if isinstance(result, (bool, Unknown)) else unknown("not a truth value")


def first_failure(tree: ast.Node, environment: Environment) -> ast.Node | None:
    """The condition that makes ``tree`` False: the first false conjunct, followed into
    groups and nested ``and``; for anything else the node itself. None unless ``tree`` is
    False."""
    evaluator = _Evaluator(environment)
    node = tree
    if evaluator.value(node) is not False:
        return None
    while True:
        if isinstance(node, ast.Group):
            node = node.inner
            continue
        if isinstance(node, ast.Logical) and node.op == "and":
            for item in node.items:
                if evaluator.value(item) is False:
                    node = item
                    break
            continue
        return node


def describe(node: ast.Node) -> str:
    """The expression text of ``node``, for a trace line."""
    try:
        return print_expression(node)
    except Exception:  # a printer gap must never end a trace
        return type(node).__name__


# -- the evaluator ----------------------------------------------------------------------------


class _Evaluator:
    def __init__(self, environment: Environment) -> None:
        self.env = environment

    def value(self, node: ast.Node) -> Any:
        method = getattr(self, "_" + type(node).__name__)
        return method(node)

    # logic

    def _Group(self, node: ast.Group) -> Any:
        return self.value(node.inner)

    def _BoolConst(self, node: ast.BoolConst) -> Any:
        return node.value

    def _Not(self, node: ast.Not) -> Any:
        return _elementwise([self.value(node.operand)], lambda values: _not(values[0]))

    def _Logical(self, node: ast.Logical) -> Any:
        combine = {"and": _and, "or": _or, "xor": _xor}[node.op]
        decisive = {"and": False, "or": True}.get(node.op)
        values = []
        for item in node.items:
            value = self.value(item)
            if value is decisive or (decisive is False and value is MISSING):
                return decisive  # the operands of one chain are all scalars or all arrays
            values.append(value)
        return _elementwise(values, combine)

    def _Quantifier(self, node: ast.Quantifier) -> Any:
        values = self.value(node.arg)
        if isinstance(values, Unknown):
            return values
        if values is MISSING:
            return False
        items = values.items if isinstance(values, Each) else values
        if not isinstance(items, (list, tuple)):
            return unknown(f"{node.kind}() of a value that is not an array")
        truths = [False if item is MISSING else item for item in items]
        return _or(truths) if node.kind == "any" else _and(truths)

    # values

    def _Field(self, node: ast.Field) -> Any:
        return self.env.value(node.name)

    def _Index(self, node: ast.Index) -> Any:
        target = self.value(node.target)
        if isinstance(target, Unknown) or target is MISSING:
            return target
        if node.key is None:  # [*]
            if isinstance(target, Each):
                return target
            if isinstance(target, Headers):
                whole = target.whole()
                if isinstance(whole, Unknown):
                    return whole
                target = whole
            if isinstance(target, dict):
                return Each(tuple(target.values()))
            if isinstance(target, (list, tuple)):
                return Each(tuple(target))
            return unknown("[*] on a value that is not an array or map")
        if isinstance(target, Each):
            return Each(tuple(_index(item, node.key) for item in target.items))
        return _index(target, node.key)

    def _StringLit(self, node: ast.StringLit) -> Any:
        return node.value

    def _IntLit(self, node: ast.IntLit) -> Any:
        return node.value

    def _IpLit(self, node: ast.IpLit) -> Any:
        return ipaddress.ip_address(node.address)

    def _RegexLit(self, node: ast.RegexLit) -> Any:
        return node.pattern.encode()

    def _NamedList(self, node: ast.NamedList) -> Any:
        return self.env.named_list(node.name)

    def _ListLit(self, node: ast.ListLit) -> Any:
        return node

    def _RangeLit(self, node: ast.RangeLit) -> Any:
        return node

    def _Call(self, node: ast.Call) -> Any:
        function = _FUNCTIONS.get(node.name)
        if function is None:
            return unknown(f"depends on {node.name}(), which rulelint does not evaluate")
        args = [self.value(arg) for arg in node.args]
        first = args[0] if args else None
        if isinstance(first, Each):  # f(x[*], …) applies f to every element
            return Each(tuple(_call(function, [item, *args[1:]], node) for item in first.items))
        return _call(function, args, node)

    # comparisons

    def _Comparison(self, node: ast.Comparison) -> Any:
        lhs = self.value(node.lhs)
        if lhs is MISSING and _maps_each(node.lhs):
            return MISSING  # x[*] of a missing array: no array of results, any()/all() are False
        test = _comparison(node, self.env) if isinstance(node.rhs, ast.NamedList) else _fixed_comparison(node)
        if isinstance(lhs, Each):
            return Each(tuple(test(item) for item in lhs.items))
        return test(lhs)


def _maps_each(node: ast.Node) -> bool:
    return any(isinstance(n, ast.Index) and n.key is None for n in ast.walk(node))


# -- Kleene logic -----------------------------------------------------------------------------


def _not(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if value is MISSING:
        return True  # wirefilter: a missing Bool is false, so its negation holds
    return not value


def _and(values: list[Any]) -> Any:
    values = [False if v is MISSING else v for v in values]
    if any(v is False for v in values):
        return False
    unknowns = [v for v in values if isinstance(v, Unknown)]
    return _merge(unknowns) if unknowns else True


def _or(values: list[Any]) -> Any:
    values = [False if v is MISSING else v for v in values]
    if any(v is True for v in values):
        return True
    unknowns = [v for v in values if isinstance(v, Unknown)]
    return _merge(unknowns) if unknowns else False


def _xor(values: list[Any]) -> Any:
    values = [False if v is MISSING else v for v in values]
    unknowns = [v for v in values if isinstance(v, Unknown)]
    if unknowns:
        return _merge(unknowns)
    return sum(1 for v in values if v is True) % 2 == 1


def _merge(unknowns: list[Unknown]) -> Unknown:
    reasons: frozenset[str] = frozenset()
    for item in unknowns:
        reasons |= item.reasons
    return Unknown(reasons)


def _elementwise(values: list[Any], combine: Callable[[list[Any]], Any]) -> Any:
    """``combine`` on scalars, or element by element when the operands are ``[*]`` arrays."""
    arrays = [v for v in values if isinstance(v, Each)]
    if not arrays:
        return combine(values)
    if any(isinstance(v, Unknown) for v in values):
        return _merge([v for v in values if isinstance(v, Unknown)])
    length = len(arrays[0].items)
    if any(len(a.items) != length for a in arrays):
        return unknown("element-wise logic over arrays of different lengths")
    return Each(tuple(combine([v.items[i] if isinstance(v, Each) else v for v in values]) for i in range(length)))


# -- indexing ---------------------------------------------------------------------------------


def _index(target: Any, key: int | str) -> Any:
    if isinstance(target, Unknown) or target is MISSING:
        return target
    if isinstance(target, Headers):
        return target.get(key) if isinstance(key, str) else unknown("numeric index on a map")
    if isinstance(key, int) and isinstance(target, (list, tuple)):
        return target[key] if 0 <= key < len(target) else MISSING
    if isinstance(key, str) and isinstance(target, dict):
        return target.get(key, MISSING)
    return unknown("an index the value does not have")


# -- comparisons ------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _fixed_comparison(node: ast.Comparison) -> Callable[[Any], Any]:
    """The test of a comparison whose right-hand side is a literal (built once per node)."""
    return _comparison(node, Environment())


def _comparison(node: ast.Comparison, env: Environment) -> Callable[[Any], Any]:
    """The test ``node`` applies to one left-hand value."""
    op, rhs = node.op, node.rhs
    if op == "matches":
        matcher = _regex(rhs)
        return lambda lhs: _guard(lhs, op, lambda v: matcher(v))
    if op in ("wildcard", "strict_wildcard"):
        pattern = _wildcard(rhs.value, case_sensitive=op == "strict_wildcard")
        return lambda lhs: _guard(lhs, op, lambda v: pattern.fullmatch(v) is not None)
    if op == "in":
        if isinstance(rhs, ast.NamedList):
            items = env.named_list(rhs.name)
            if isinstance(items, Unknown):
                return lambda lhs: lhs if isinstance(lhs, Unknown) else (False if lhs is MISSING else items)
            members = _members_from_text(items)
        else:
            members = _members(rhs)
        decide = _network_test(members)

        def member(lhs: Any) -> Any:
            if isinstance(lhs, IpRange):  # decided by containment, not by probing addresses
                verdict = decide(lhs.network)
                if verdict is not None:
                    return verdict
                return unknown(f"depends on which address of {lhs.network} sends the request")
            return _guard(lhs, op, lambda v: _in(v, members))

        return member
    literal = _literal(rhs)
    return lambda lhs: _guard(lhs, op, lambda v: _compare(v, op, literal))


def _guard(lhs: Any, op: str, test: Callable[[Any], Any]) -> Any:
    if isinstance(lhs, Unknown):
        return lhs
    if lhs is MISSING:
        if op == "ne":
            return unknown("depends on how Cloudflare compares a missing value with ne (undocumented)")
        return False
    if isinstance(lhs, IpRange):
        return _over_range(lhs, test)
    if isinstance(lhs, (list, tuple, dict, Headers)):
        return unknown("a comparison on a whole array or map")
    return test(lhs)


def _over_range(lhs: IpRange, test: Callable[[Any], Any]) -> Any:
    """A test other than ``in`` on "some address of this range": known only for a range of
    one address."""
    if lhs.network.num_addresses == 1:
        return test(lhs.network.network_address)
    return unknown(f"depends on which address of {lhs.network} sends the request")


def _literal(rhs: ast.Node) -> Any:
    if isinstance(rhs, ast.StringLit):
        return rhs.value
    if isinstance(rhs, ast.IntLit):
        return rhs.value
    if isinstance(rhs, ast.IpLit):
        return ipaddress.ip_address(rhs.address)
    return rhs


def _compare(value: Any, op: str, literal: Any) -> Any:
    if op == "contains":
        return isinstance(value, bytes) and literal in value
    if op == "bitwise_and":
        return isinstance(value, int) and (value & literal) != 0
    if isinstance(value, bool) or type(value) is not type(literal) and not _both_ips(value, literal):
        return unknown("a comparison between values of different types")
    if _both_ips(value, literal) and value.version != literal.version:
        return op == "ne"  # an IPv4 and an IPv6 address are never equal or ordered
    if op == "eq":
        return value == literal
    if op == "ne":
        return value != literal
    if op == "lt":
        return value < literal
    if op == "le":
        return value <= literal
    if op == "gt":
        return value > literal
    if op == "ge":
        return value >= literal
    return unknown(f"operator {op}")


def _both_ips(a: Any, b: Any) -> bool:
    kinds = (ipaddress.IPv4Address, ipaddress.IPv6Address)
    return isinstance(a, kinds) and isinstance(b, kinds)


# list membership


@dataclass(frozen=True, slots=True)
class _Members:
    values: frozenset  # bytes and ints
    int_ranges: tuple[tuple[int, int], ...]
    networks: tuple[IpNetwork, ...]


@lru_cache(maxsize=4096)
def _members(rhs: ast.Node) -> _Members:
    values, ranges, networks = set(), [], []
    items = rhs.items if isinstance(rhs, ast.ListLit) else (rhs,)
    for item in items:
        if isinstance(item, ast.StringLit):
            values.add(item.value)
        elif isinstance(item, ast.IntLit):
            values.add(item.value)
        elif isinstance(item, ast.IpLit):
            text = item.address if item.prefix is None else f"{item.address}/{item.prefix}"
            networks.append(ipaddress.ip_network(text, strict=False))
        elif isinstance(item, ast.RangeLit):
            if isinstance(item.low, ast.IntLit):
                ranges.append((item.low.value, item.high.value))
            else:
                low, high = ipaddress.ip_address(item.low.address), ipaddress.ip_address(item.high.address)
                networks.extend(ipaddress.summarize_address_range(low, high))
    return _Members(frozenset(values), tuple(ranges), tuple(networks))


def _members_from_text(items: Iterable[Any]) -> _Members:
    try:
        return _members_from_tuple(tuple(items))
    except TypeError:  # an unhashable item: no memo
        return _members_from_tuple.__wrapped__(tuple(items))


@lru_cache(maxsize=1024)
def _members_from_tuple(items: tuple[Any, ...]) -> _Members:
    """A named list's items as the caller gave them: addresses or networks as text, or
    already parsed; strings (bytes or str); integers."""
    values, networks = set(), []
    for item in items:
        if isinstance(item, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            networks.append(item)
        elif isinstance(item, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            networks.append(ipaddress.ip_network(item))
        elif isinstance(item, int):
            values.add(item)
        elif isinstance(item, bytes):
            values.add(item)
        else:
            text = str(item)
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                values.add(text.encode())
    return _Members(frozenset(values), (), tuple(networks))


def _in(value: Any, members: _Members) -> Any:
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return any(value in network for network in members.networks)
    if isinstance(value, bool):
        return unknown("in on a Bool")
    if isinstance(value, int):
        return value in members.values or any(low <= value <= high for low, high in members.int_ranges)
    if isinstance(value, bytes):
        return value in members.values
    return unknown("in on a value of an unexpected type")


def _network_test(members: _Members) -> Callable[[IpNetwork], bool | None]:
    def test(network: IpNetwork) -> bool | None:
        if any(network.version == m.version and network.subnet_of(m) for m in members.networks):
            return True
        if all(network.version != m.version or not network.overlaps(m) for m in members.networks):
            return False
        return None

    return test


# wildcard and regex


@lru_cache(maxsize=4096)
def _wildcard(pattern: bytes, case_sensitive: bool) -> re.Pattern[bytes]:
    """The whole-value matcher for a wildcard literal: ``*`` is 0+ bytes, ``\\*`` and
    ``\\\\`` are a literal star and backslash; ``wildcard`` folds ASCII case only."""
    parts, i = [], 0
    while i < len(pattern):
        byte = pattern[i : i + 1]
        if byte == b"\\" and i + 1 < len(pattern):
            parts.append(re.escape(pattern[i + 1 : i + 2]))
            i += 2
            continue
        parts.append(b".*" if byte == b"*" else re.escape(byte))
        i += 1
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE  # bytes: ASCII-only folding
    return re.compile(b"".join(parts), flags)


@lru_cache(maxsize=4096)
def _regex(rhs: ast.Node) -> Callable[[bytes], Any]:
    """An unanchored search with the Rust pattern, where Python's ``re`` reads it the same way."""
    if not isinstance(rhs, ast.RegexLit):
        return lambda value: unknown("a regular expression rulelint could not read")
    pattern = rhs.pattern if rhs.raw else rhs.pattern.replace('\\"', '"')
    translated = _python_pattern(pattern)
    if translated is None:
        reason = f"depends on the regular expression {pattern!r}, which rulelint cannot evaluate exactly"
        return lambda value: unknown(reason)
    try:
        compiled = re.compile(translated.encode("utf-8", "surrogatepass"))
    except re.error:
        reason = f"depends on the regular expression {pattern!r}, which rulelint cannot evaluate exactly"
        return lambda value: unknown(reason)
    return lambda value: compiled.search(value) is not None if isinstance(value, bytes) else unknown("matches on a non-string")


def _python_pattern(pattern: str) -> str | None:
    """``pattern`` rewritten for Python's ``re`` (bytes), or None where the two engines
    differ in ways a rewrite cannot fix: Unicode classes and the ``u``, ``x``, ``s``, ``U``
    flags, POSIX classes, nested classes and class set operations (``[a-z&&[^x]]``). Rust's ``$`` (no ``m`` flag) is the very end of the text; Python's
    also matches before a final newline, so it becomes ``\\Z``; Rust's ``\\z`` is ``\\Z``."""
    if re.search(r"\\[pP]|\[\[:|\(\?[a-zA-Z-]*[uxsU]", pattern):
        return None
    multiline = re.search(r"\(\?[a-zA-Z-]*m", pattern) is not None
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append("\\Z" if nxt == "z" else ch + nxt)
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            elif ch == "[" or pattern[i : i + 2] in ("&&", "--", "~~"):
                return None  # nested classes and set operations: Python reads them literally
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            # a leading ] or ^] is a literal inside the class
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        elif ch == "$" and not multiline:
            out.append("\\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# -- functions --------------------------------------------------------------------------------


def _call(function: Callable[..., Any], args: list[Any], node: ast.Call) -> Any:
    unknowns = [a for a in args if isinstance(a, Unknown)]
    if unknowns and node.name != "coalesce":
        return _merge(unknowns)
    try:
        return function(*args)
    except _NoValue:
        return MISSING
    except (ValueError, TypeError, IndexError, OverflowError) as error:
        return unknown(f"{node.name}() on this input: {error}")


class _NoValue(Exception):
    """The function gives no value for this input (wirefilter: nil)."""


def _bytes(value: Any) -> bytes:
    if value is MISSING:
        raise _NoValue
    if not isinstance(value, bytes):
        raise TypeError("expected a string")
    return value


def _lower(value: Any) -> bytes:
    return _bytes(value).lower()  # bytes.lower folds ASCII only, as documented


def _upper(value: Any) -> bytes:
    return _bytes(value).upper()


def _starts_with(source: Any, prefix: Any) -> bool:
    return False if source is MISSING else _bytes(source).startswith(_bytes(prefix))


def _ends_with(source: Any, suffix: Any) -> bool:
    return False if source is MISSING else _bytes(source).endswith(_bytes(suffix))


def _len(value: Any) -> int:
    if value is MISSING:
        raise _NoValue
    if isinstance(value, Headers):
        whole = value.whole()
        if isinstance(whole, Unknown):
            raise ValueError(whole.because)
        value = whole
    return len(value)


def _concat(*values: Any) -> Any:
    present = [v for v in values if v is not MISSING]
    if present and all(isinstance(v, (list, tuple)) for v in present):
        return [item for v in present for item in v]
    return b"".join(_bytes(v) for v in present)


def _url_decode(source: Any, options: Any = b"") -> bytes:
    text = _bytes(source)
    options = _bytes(options)
    decoded = _percent_decode(text, unicode="u" in options.decode())
    if b"r" in options:
        while decoded != text:
            text, decoded = decoded, _percent_decode(decoded, unicode="u" in options.decode())
    return decoded


_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_PERCENT_U = re.compile(rb"%[uU]([0-9A-Fa-f]{4})")


def _percent_decode(text: bytes, unicode: bool) -> bytes:
    text = text.replace(b"+", b" ")
    if unicode:
        text = _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)).encode("utf-8", "surrogatepass"), text)
    return _PERCENT.sub(lambda m: bytes([int(m.group(1), 16)]), text)


def _lookup_json(kind: type) -> Callable[..., Any]:
    def lookup(document: Any, *keys: Any) -> Any:
        try:
            value = json.loads(_bytes(document))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise _NoValue from None
        for key in keys:
            if isinstance(key, bytes) and isinstance(value, dict):
                value = value.get(key.decode("utf-8", "replace"), _NO_KEY)
            elif isinstance(key, int) and isinstance(value, list):
                value = value[key] if 0 <= key < len(value) else _NO_KEY
            else:
                raise _NoValue
            if value is _NO_KEY:
                raise _NoValue
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is bytes and isinstance(value, str):
            return value.encode()
        raise _NoValue

    return lookup


_NO_KEY = object()


def _remove_bytes(source: Any, removed: Any) -> bytes:
    drop = set(_bytes(removed))
    return bytes(b for b in _bytes(source) if b not in drop)


def _substring(source: Any, start: Any, end: Any = None) -> bytes:
    data = _bytes(source)
    return data[start:end] if end is not None else data[start:]


def _decode_base64(source: Any) -> bytes:
    data = _bytes(source)
    try:
        return base64.b64decode(data + b"=" * (-len(data) % 4), validate=True)
    except binascii.Error:
        raise _NoValue from None


def _encode_base64(source: Any, flags: Any = b"") -> bytes:
    flags = _bytes(flags)
    data = _bytes(source)
    encoded = base64.urlsafe_b64encode(data) if b"u" in flags else base64.b64encode(data)
    return encoded if b"p" in flags else encoded.rstrip(b"=")


def _sha256(source: Any) -> bytes:
    return hashlib.sha256(_bytes(source)).digest()


def _join(items: Any, separator: Any) -> bytes:
    if items is MISSING:
        raise _NoValue
    return _bytes(separator).join(_bytes(i) for i in items)


def _split(source: Any, separator: Any, limit: Any) -> list[bytes]:
    return _bytes(source).split(_bytes(separator), limit - 1)


def _cidr(address: Any, v4_bits: Any, v6_bits: Any) -> Any:
    if isinstance(address, IpRange):
        raise ValueError("the source is a range")
    bits = v4_bits if address.version == 4 else v6_bits
    return ipaddress.ip_network(f"{address}/{bits}", strict=False).network_address


def _cidr6(address: Any, v6_bits: Any) -> Any:
    return address if address.version == 4 else _cidr(address, 32, v6_bits)


def _to_string(value: Any) -> bytes:
    if isinstance(value, bool):
        return b"true" if value else b"false"
    return str(value).encode()


def _has_key(container: Any, key: Any) -> Any:
    if isinstance(container, Headers):
        found = container.get(_bytes(key).decode())
        return found if isinstance(found, Unknown) else found is not MISSING
    return _bytes(key).decode() in container


def _coalesce(*values: Any) -> Any:
    for value in values:
        if isinstance(value, Unknown):
            return value
        if value is not MISSING:
            return value
    raise _NoValue


def _regex_replace(source: Any, pattern: Any, replacement: Any) -> bytes:
    translated = _python_pattern(_bytes(pattern).decode())
    if translated is None:
        raise ValueError("a regular expression rulelint cannot evaluate exactly")
    template = re.sub(rb"\$\{(\d)\}", rb"\\g<\1>", _bytes(replacement)).replace(b"$$", b"$")
    return re.compile(translated.encode()).sub(template, _bytes(source), count=1)


def _wildcard_replace(source: Any, pattern: Any, replacement: Any, flags: Any = b"") -> bytes:
    text = _bytes(source)
    compiled = _wildcard(_bytes(pattern), case_sensitive=b"s" in _bytes(flags))
    lazy = re.compile(compiled.pattern.replace(b".*", b"(.*?)"), compiled.flags)
    match = lazy.fullmatch(text)
    if match is None:
        return text
    template = re.sub(rb"\$\{(\d)\}", rb"\\g<\1>", _bytes(replacement)).replace(b"$$", b"$")
    return match.expand(template)


def _remove_query_args(query: Any, *names: Any) -> bytes:
    drop = {_bytes(n) for n in names}
    parts = [p for p in _bytes(query).split(b"&") if p.split(b"=", 1)[0] not in drop]
    return b"&".join(parts)


def _not_evaluated(reason: str) -> Callable[..., Any]:
    def function(*args: Any) -> Any:
        return unknown(reason)

    return function


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lower": _lower,
    "upper": _upper,
    "starts_with": _starts_with,
    "ends_with": _ends_with,
    "len": _len,
    "concat": _concat,
    "url_decode": _url_decode,
    "lookup_json_string": _lookup_json(bytes),
    "lookup_json_integer": _lookup_json(int),
    "remove_bytes": _remove_bytes,
    "substring": _substring,
    "decode_base64": _decode_base64,
    "encode_base64": _encode_base64,
    "sha256": _sha256,
    "join": _join,
    "split": _split,
    "cidr": _cidr,
    "cidr6": _cidr6,
    "to_string": _to_string,
    "has_key": _has_key,
    "coalesce": _coalesce,
    "regex_replace": _regex_replace,
    "wildcard_replace": _wildcard_replace,
    "remove_query_args": _remove_query_args,
    "is_timed_hmac_valid_v0": _not_evaluated("depends on the HMAC token and the time of the request"),
    "uuidv4": _not_evaluated("depends on a random value"),
    "has_value": _not_evaluated("depends on has_value(), which Cloudflare does not document"),
    "bit_slice": _not_evaluated("depends on packet data (Magic Firewall)"),
}
