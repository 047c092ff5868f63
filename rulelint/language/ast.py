"""The typed syntax tree of a Cloudflare Rules language expression.

Nodes are frozen dataclasses: plain, immutable data that checks can walk and compare. Every
node carries the ``Span`` of the source text it came from and the ``Type`` the checker gave it.
Spans and types are left out of equality, so a tree parsed from printed text compares equal to
the tree it was printed from (``parse(print(tree)) == tree``).

Every class here is a ``rulelint.records`` record rather than a ``@dataclass(frozen=True,
slots=True)``: the same to its users, at a fraction of the import cost (each writes its
``__init__``; equality and hashing stay the dataclass's compiled code, as trees are compared
and hashed all the time).
"""

from __future__ import annotations

from dataclasses import field
from typing import Union

from ..records import Record, record, set_field


@record(compiled_equality=True)
class Span(Record):
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
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "end_line", end_line)
        set_field(self, "end_column", end_column)


NO_SPAN = Span(0, 0, 1, 1, 1, 1)


@record(compiled_equality=True)
class Type(Record):
    """A wirefilter type: Bool, Bytes, Int, Ip, Array<T>, Map<T>, or Unknown after an error."""

    name: str  # "Bool" | "Bytes" | "Int" | "Ip" | "Array" | "Map" | "Unknown"
    item: Type | None = None  # element type of Array / Map

    def __init__(self, name: str, item: Type | None = None) -> None:
        set_field(self, "name", name)
        set_field(self, "item", item)

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


@record(compiled_equality=True)
class StringLit(Record):
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
        set_field(self, "value", value)
        set_field(self, "style", style)
        set_field(self, "hashes", hashes)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class RegexLit(Record):
    """The pattern after ``matches``/``~``, kept as written between the quotes."""

    pattern: str
    raw: bool = False
    hashes: int = 0
    span: Span = _span()
    type: Type = field(default=BYTES, compare=False, repr=False)

    def __init__(
        self, pattern: str, raw: bool = False, hashes: int = 0, span: Span = NO_SPAN, type: Type = BYTES
    ) -> None:
        set_field(self, "pattern", pattern)
        set_field(self, "raw", raw)
        set_field(self, "hashes", hashes)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class IntLit(Record):
    """An integer: decimal, ``0x`` hexadecimal or ``0``-prefixed octal, as wirefilter reads it."""

    value: int
    span: Span = _span()
    type: Type = field(default=INT, compare=False, repr=False)

    def __init__(self, value: int, span: Span = NO_SPAN, type: Type = INT) -> None:
        set_field(self, "value", value)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class IpLit(Record):
    """A single address, or a CIDR network when ``prefix`` is set (inside ``{…}`` only).

    ``address`` is the canonical text of the address (``ipaddress`` compressed form).
    """

    address: str
    prefix: int | None = None
    span: Span = _span()
    type: Type = field(default=IP, compare=False, repr=False)

    def __init__(self, address: str, prefix: int | None = None, span: Span = NO_SPAN, type: Type = IP) -> None:
        set_field(self, "address", address)
        set_field(self, "prefix", prefix)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class RangeLit(Record):
    """An inclusive range ``low..high`` of integers or IP addresses (inside ``{…}`` only)."""

    low: IntLit | IpLit
    high: IntLit | IpLit
    span: Span = _span()
    type: Type = _type()

    def __init__(self, low: IntLit | IpLit, high: IntLit | IpLit, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "low", low)
        set_field(self, "high", high)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class ListLit(Record):
    """An inline list ``{a b c}``."""

    items: tuple[StringLit | IntLit | IpLit | RangeLit, ...]
    span: Span = _span()
    type: Type = _type()

    def __init__(
        self, items: tuple[StringLit | IntLit | IpLit | RangeLit, ...], span: Span = NO_SPAN, type: Type = UNKNOWN
    ) -> None:
        set_field(self, "items", items)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class NamedList(Record):
    """A list reference ``$name`` or a managed list ``$cf.name`` (``name`` without the ``$``)."""

    name: str
    span: Span = _span()
    type: Type = _type()

    def __init__(self, name: str, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "name", name)
        set_field(self, "span", span)
        set_field(self, "type", type)


Literal = Union[StringLit, RegexLit, IntLit, IpLit, RangeLit, ListLit, NamedList]


# --- values (left-hand sides) ---------------------------------------------------------------


@record(compiled_equality=True)
class Field(Record):
    """A field such as ``http.request.uri.path``, by its dotted name."""

    name: str
    span: Span = _span()
    type: Type = _type()

    def __init__(self, name: str, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "name", name)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Index(Record):
    """``target[0]``, ``target["key"]``, or ``target[*]`` (``key`` is ``None`` for ``[*]``)."""

    target: Value
    key: int | str | None
    span: Span = _span()
    type: Type = _type()

    def __init__(self, target: Value, key: int | str | None, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "target", target)
        set_field(self, "key", key)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Call(Record):
    """A function call ``name(args…)``."""

    name: str
    args: tuple[Node, ...]
    span: Span = _span()
    type: Type = _type()

    def __init__(self, name: str, args: tuple[Node, ...], span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "name", name)
        set_field(self, "args", args)
        set_field(self, "span", span)
        set_field(self, "type", type)


Value = Union[Field, Index, Call]


# --- predicates -----------------------------------------------------------------------------


@record(compiled_equality=True)
class BoolConst(Record):
    """The constants ``true`` and ``false`` that Cloudflare accepts as whole expressions."""

    value: bool
    span: Span = _span()
    type: Type = field(default=BOOL, compare=False, repr=False)

    def __init__(self, value: bool, span: Span = NO_SPAN, type: Type = BOOL) -> None:
        set_field(self, "value", value)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Comparison(Record):
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
        set_field(self, "lhs", lhs)
        set_field(self, "op", op)
        set_field(self, "rhs", rhs)
        set_field(self, "spelling", spelling)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Not(Record):
    """``not operand`` (``spelling`` keeps ``not`` or ``!`` as written)."""

    operand: Node
    spelling: str = field(default="not", compare=False)
    span: Span = _span()
    type: Type = _type()

    def __init__(self, operand: Node, spelling: str = "not", span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "operand", operand)
        set_field(self, "spelling", spelling)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Logical(Record):
    """An n-ary chain of one operator: ``op`` is ``and``, ``xor`` or ``or`` (canonical)."""

    op: str
    items: tuple[Node, ...]
    spelling: str = field(default="", compare=False)
    span: Span = _span()
    type: Type = _type()

    def __init__(
        self, op: str, items: tuple[Node, ...], spelling: str = "", span: Span = NO_SPAN, type: Type = UNKNOWN
    ) -> None:
        set_field(self, "op", op)
        set_field(self, "items", items)
        set_field(self, "spelling", spelling)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Group(Record):
    """Parentheses, kept so the printer writes back what the author grouped."""

    inner: Node
    span: Span = _span()
    type: Type = _type()

    def __init__(self, inner: Node, span: Span = NO_SPAN, type: Type = UNKNOWN) -> None:
        set_field(self, "inner", inner)
        set_field(self, "span", span)
        set_field(self, "type", type)


@record(compiled_equality=True)
class Quantifier(Record):
    """``any(…)`` or ``all(…)`` over an Array<Bool>."""

    kind: str  # "any" | "all"
    arg: Node
    span: Span = _span()
    type: Type = field(default=BOOL, compare=False, repr=False)

    def __init__(self, kind: str, arg: Node, span: Span = NO_SPAN, type: Type = BOOL) -> None:
        set_field(self, "kind", kind)
        set_field(self, "arg", arg)
        set_field(self, "span", span)
        set_field(self, "type", type)


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
