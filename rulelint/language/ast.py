"""The typed syntax tree of a Cloudflare Rules language expression.

Nodes are frozen dataclasses: plain, immutable data that checks can walk and compare. Every
node carries the ``Span`` of the source text it came from and the ``Type`` the checker gave it.
Spans and types are left out of equality, so a tree parsed from printed text compares equal to
the tree it was printed from (``parse(print(tree)) == tree``).

Every class here is declared with ``@_record`` rather than ``@dataclass(frozen=True,
slots=True)``, with the same result for its users (``dataclasses.fields`` and
``dataclasses.replace`` work, instances are immutable, compare, hash and print as a frozen
dataclass's would) but at a tenth of the import cost: see ``_Record``.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field, fields
from typing import Union

_set = object.__setattr__  # how an ``__init__`` here fills its slots (``__setattr__`` refuses)


class _Record:
    """Immutability, ``repr`` and pickling, written once for every class of this module.

    ``@dataclass(frozen=True)`` writes six methods per class (``__init__``, ``__repr__``,
    ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``) as source text and compiles it
    at import: about a millisecond a class, some 30 ms for these 18 classes on every run, before
    the first expression is parsed. ``_record`` has the decorator write only ``__eq__`` and
    ``__hash__`` (trees are compared and hashed often: those stay the dataclass's own code);
    each class writes its ``__init__`` by hand (the parser builds nodes by the thousand: a
    generic one would be slower), and the rest is here. What users see is a frozen dataclass's:
    ``dataclasses.fields`` and ``dataclasses.replace`` work, ``repr`` shows the fields with
    ``repr=True``, assigning raises ``FrozenInstanceError``, pickling and copying work.
    ``tests/language/test_ast_records.py`` holds every class to that.
    """

    __slots__ = ()
    _shown: tuple[str, ...]  # set by ``_record``: the fields ``repr`` shows

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self):
        # Pickle and copy through ``__init__``: the default would restore the slots by setattr.
        return (self.__class__, tuple(getattr(self, f.name) for f in fields(self)))


def _record(cls):
    """``cls`` as a slotted dataclass with its own ``__init__`` and ``_Record``'s methods.

    ``unsafe_hash`` only asks the decorator for the hash a frozen dataclass has (of the fields
    with ``compare=True``); it is safe, as ``_Record`` makes every instance immutable."""
    cls = dataclass(slots=True, init=False, repr=False, eq=True, unsafe_hash=True)(cls)
    cls._shown = tuple(f.name for f in fields(cls) if f.repr)
    return cls


@_record
class Span(_Record):
    """Where a node sits in the expression text.

    ``start``/``end`` are 0-based character offsets (end exclusive); ``line``/``column`` and
    ``end_line``/``end_column`` are 1-based, end inclusive of the last character's column + 1
    (i.e. the column just past the node), as editors and SARIF count them.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, start: int, end: int, line: int, column: int, end_line: int, end_column: int) -> None:
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)


NO_SPAN = Span(0, 0, 1, 1, 1, 1)


@_record
class Type(_Record):
    """A wirefilter type: Bool, Bytes, Int, Ip, Array<T>, Map<T>, or Unknown after an error."""

    name: str  # "Bool" | "Bytes" | "Int" | "Ip" | "Array" | "Map" | "Unknown"
    item: Type | None = None  # element type of Array / Map

    def __init__(self, name: str, item: Type | None = None) -> None:
        _set(self, "name", name)
        _set(self, "item", item)

    def __str__(self) -> str:
        return f"{self.name}<{self.item}>" if self.item is not None else self.name


BOOL = Type("Bool")
BYTES = Type("Bytes")
INT = Type("Int")
IP = Type("Ip")
UNKNOWN = Type("Unknown")


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


def _type() -> Type:
    return field(default=UNKNOWN, compare=False, repr=False)


# --- literals (right-hand sides and function arguments) -------------------------------------


@_record
class StringLit(_Record):
    """A quoted ``"…"`` or raw ``r#"…"#`` string, or a hex byte string ``01:02:03``.

    ``value`` is the decoded bytes; ``style`` is ``"quoted"``, ``"raw"`` or ``"hex"`` and
    ``hashes`` the number of ``#`` of a raw string, so the printer can write it back as written.
    """

    value: bytes
    style: str = "quoted"
    hashes: int = 0
    span: Span = _span()
    type: Type = field(default=BYTES, compare=False, repr=False)

    def __init__(
        self, value: bytes, style: str = "quoted", hashes: int = 0, span: Span = NO_SPAN, type: Type = BYTES
    ) -> None:
        _set(self, "value", value)
        _set(self, "style", style)
        _set(self, "hashes", hashes)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class RegexLit(_Record):
    """The pattern after ``matches``/``~``, kept as written between the quotes."""

    pattern: str
    raw: bool = False
    hashes: int = 0
    span: Span = _span()
    type: Type = field(default=BYTES, compare=False, repr=False)

    def __init__(
        self, pattern: str, raw: bool = False, hashes: int = 0, span: Span = NO_SPAN, type: Type = BYTES
    ) -> None:
        _set(self, "pattern", pattern)
        _set(self, "raw", raw)
        _set(self, "hashes", hashes)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class IntLit(_Record):
    """An integer: decimal, ``0x`` hexadecimal or ``0``-prefixed octal, as wirefilter reads it."""

    value: int
    span: Span = _span()
    type: Type = field(default=INT, compare=False, repr=False)

    def __init__(self, value: int, span: Span = NO_SPAN, type: Type = INT) -> None:
        _set(self, "value", value)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class IpLit(_Record):
    """A single address, or a CIDR network when ``prefix`` is set (inside ``{…}`` only).

    ``address`` is the canonical text of the address (``ipaddress`` compressed form).
    """

    address: str
    prefix: int | None = None
    span: Span = _span()
    type: Type = field(default=IP, compare=False, repr=False)

    def __init__(self, address: str, prefix: int | None = None, span: Span = NO_SPAN, type: Type = IP) -> None:
        _set(self, "address", address)
        _set(self, "prefix", prefix)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class RangeLit(_Record):
    """An inclusive range ``low..high`` of integers or IP addresses (inside ``{…}`` only)."""

    low: IntLit | IpLit
    high: IntLit | IpLit
    span: Span = _span()
    type: Type = _type()

    def __init__(self, low: IntLit | IpLit, high: IntLit | IpLit, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "low", low)
        _set(self, "high", high)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class ListLit(_Record):
    """An inline list ``{a b c}``."""

    items: tuple[StringLit | IntLit | IpLit | RangeLit, ...]
    span: Span = _span()
    type: Type = _type()

    def __init__(
        self, items: tuple[StringLit | IntLit | IpLit | RangeLit, ...], span: Span = NO_SPAN, type: Type = UNKNOWN
    ) -> None:
        _set(self, "items", items)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class NamedList(_Record):
    """A list reference ``$name`` or a managed list ``$cf.name`` (``name`` without the ``$``)."""

    name: str
    span: Span = _span()
    type: Type = _type()

    def __init__(self, name: str, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "name", name)
        _set(self, "span", span)
        _set(self, "type", type)


Literal = Union[StringLit, RegexLit, IntLit, IpLit, RangeLit, ListLit, NamedList]


# --- values (left-hand sides) ---------------------------------------------------------------


@_record
class Field(_Record):
    """A field such as ``http.request.uri.path``, by its dotted name."""

    name: str
    span: Span = _span()
    type: Type = _type()

    def __init__(self, name: str, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "name", name)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Index(_Record):
    """``target[0]``, ``target["key"]``, or ``target[*]`` (``key`` is ``None`` for ``[*]``)."""

    target: Value
    key: int | str | None
    span: Span = _span()
    type: Type = _type()

    def __init__(self, target: Value, key: int | str | None, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "target", target)
        _set(self, "key", key)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Call(_Record):
    """A function call ``name(args…)``."""

    name: str
    args: tuple[Node, ...]
    span: Span = _span()
    type: Type = _type()

    def __init__(self, name: str, args: tuple[Node, ...], span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "name", name)
        _set(self, "args", args)
        _set(self, "span", span)
        _set(self, "type", type)


Value = Union[Field, Index, Call]


# --- predicates -----------------------------------------------------------------------------


@_record
class BoolConst(_Record):
    """The constants ``true`` and ``false`` that Cloudflare accepts as whole expressions."""

    value: bool
    span: Span = _span()
    type: Type = field(default=BOOL, compare=False, repr=False)

    def __init__(self, value: bool, span: Span = NO_SPAN, type: Type = BOOL) -> None:
        _set(self, "value", value)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Comparison(_Record):
    """``lhs OP rhs``. ``op`` is the canonical English spelling: ``eq ne lt le gt ge contains
    matches wildcard strict_wildcard in bitwise_and``; ``spelling`` is what the source wrote
    (``==``, ``~``, ``&``, …) so the printer can keep it."""

    lhs: Value
    op: str
    rhs: Literal
    spelling: str = field(default="", compare=False)
    span: Span = _span()
    type: Type = _type()

    def __init__(
        self, lhs: Value, op: str, rhs: Literal, spelling: str = "", span: Span = NO_SPAN, type: Type = UNKNOWN
    ) -> None:
        _set(self, "lhs", lhs)
        _set(self, "op", op)
        _set(self, "rhs", rhs)
        _set(self, "spelling", spelling)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Not(_Record):
    """``not operand`` (``spelling`` keeps ``not`` or ``!`` as written)."""

    operand: Node
    spelling: str = field(default="not", compare=False)
    span: Span = _span()
    type: Type = _type()

    def __init__(self, operand: Node, spelling: str = "not", span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "operand", operand)
        _set(self, "spelling", spelling)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Logical(_Record):
    """An n-ary chain of one operator: ``op`` is ``and``, ``xor`` or ``or`` (canonical)."""

    op: str
    items: tuple[Node, ...]
    spelling: str = field(default="", compare=False)
    span: Span = _span()
    type: Type = _type()

    def __init__(
        self, op: str, items: tuple[Node, ...], spelling: str = "", span: Span = NO_SPAN, type: Type = UNKNOWN
    ) -> None:
        _set(self, "op", op)
        _set(self, "items", items)
        _set(self, "spelling", spelling)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Group(_Record):
    """Parentheses, kept so the printer writes back what the author grouped."""

    inner: Node
    span: Span = _span()
    type: Type = _type()

    def __init__(self, inner: Node, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        _set(self, "inner", inner)
        _set(self, "span", span)
        _set(self, "type", type)


@_record
class Quantifier(_Record):
    """``any(…)`` or ``all(…)`` over an Array<Bool>."""

    kind: str  # "any" | "all"
    arg: Node
    span: Span = _span()
    type: Type = field(default=BOOL, compare=False, repr=False)

    def __init__(self, kind: str, arg: Node, span: Span = NO_SPAN, type: Type = BOOL) -> None:
        _set(self, "kind", kind)
        _set(self, "arg", arg)
        _set(self, "span", span)
        _set(self, "type", type)


Node = Union[
    BoolConst, Comparison, Not, Logical, Group, Quantifier, Field, Index, Call,
    StringLit, RegexLit, IntLit, IpLit, RangeLit, ListLit, NamedList,
]


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-nodes of ``node``, in source order."""
    if isinstance(node, Comparison):
        return (node.lhs, node.rhs)
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, Logical):
        return node.items
    if isinstance(node, Group):
        return (node.inner,)
    if isinstance(node, Quantifier):
        return (node.arg,)
    if isinstance(node, Index):
        return (node.target,)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, ListLit):
        return node.items
    if isinstance(node, RangeLit):
        return (node.low, node.high)
    return ()


def walk(node: Node):
    """Every node of the tree, parents before children (iterative: deep trees are fine)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
