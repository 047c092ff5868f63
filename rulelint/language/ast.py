"""The typed syntax tree of a Cloudflare Rules language expression.

Nodes are frozen dataclasses: plain, immutable data that checks can walk and compare. Every
node carries the ``Span`` of the source text it came from and the ``Type`` the checker gave it.
Spans and types are left out of equality, so a tree parsed from printed text compares equal to
the tree it was printed from (``parse(print(tree)) == tree``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, slots=True)
class Span:
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


NO_SPAN = Span(0, 0, 1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Type:
    """A wirefilter type: Bool, Bytes, Int, Ip, Array<T>, Map<T>, or Unknown after an error."""

    name: str  # "Bool" | "Bytes" | "Int" | "Ip" | "Array" | "Map" | "Unknown"
    item: Type | None = None  # element type of Array / Map

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


@dataclass(frozen=True, slots=True)
class StringLit:
    """A quoted ``"…"`` or raw ``r#"…"#`` string, or a hex byte string ``01:02:03``.

    ``value`` is the decoded bytes; ``style`` is ``"quoted"``, ``"raw"`` or ``"hex"`` and
    ``hashes`` the number of ``#`` of a raw string, so the printer can write it back as written.
    """

    value: bytes
    style: str = "quoted"
    hashes: int = 0
    span: Span = _span()
    type: Type = field(default=BYTES, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RegexLit:
    """The pattern after ``matches``/``~``, kept as written between the quotes."""

    pattern: str
    raw: bool = False
    hashes: int = 0
    span: Span = _span()
    type: Type = field(default=BYTES, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    span: Span = _span()
    type: Type = field(default=INT, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class IpLit:
    """A single address, or a CIDR network when ``prefix`` is set (inside ``{…}`` only).

    ``address`` is the canonical text of the address (``ipaddress`` compressed form).
    """

    address: str
    prefix: int | None = None
    span: Span = _span()
    type: Type = field(default=IP, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RangeLit:
    """An inclusive range ``low..high`` of integers or IP addresses (inside ``{…}`` only)."""

    low: IntLit | IpLit
    high: IntLit | IpLit
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class ListLit:
    """An inline list ``{a b c}``."""

    items: tuple[StringLit | IntLit | IpLit | RangeLit, ...]
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class NamedList:
    """A list reference ``$name`` or a managed list ``$cf.name`` (``name`` without the ``$``)."""

    name: str
    span: Span = _span()
    type: Type = _type()


Literal = Union[StringLit, RegexLit, IntLit, IpLit, RangeLit, ListLit, NamedList]


# --- values (left-hand sides) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class Index:
    """``target[0]``, ``target["key"]``, or ``target[*]`` (``key`` is ``None`` for ``[*]``)."""

    target: Value
    key: int | str | None
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    span: Span = _span()
    type: Type = _type()


Value = Union[Field, Index, Call]


# --- predicates -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoolConst:
    """The constants ``true`` and ``false`` that Cloudflare accepts as whole expressions."""

    value: bool
    span: Span = _span()
    type: Type = field(default=BOOL, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Comparison:
    """``lhs OP rhs``. ``op`` is the canonical English spelling: ``eq ne lt le gt ge contains
    matches wildcard strict_wildcard in bitwise_and``; ``spelling`` is what the source wrote
    (``==``, ``~``, ``&``, …) so the printer can keep it."""

    lhs: Value
    op: str
    rhs: Literal
    spelling: str = field(default="", compare=False)
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node
    spelling: str = field(default="not", compare=False)
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class Logical:
    """An n-ary chain of one operator: ``op`` is ``and``, ``xor`` or ``or`` (canonical)."""

    op: str
    items: tuple[Node, ...]
    spelling: str = field(default="", compare=False)
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class Group:
    """Parentheses, kept so the printer writes back what the author grouped."""

    inner: Node
    span: Span = _span()
    type: Type = _type()


@dataclass(frozen=True, slots=True)
class Quantifier:
    """``any(…)`` or ``all(…)`` over an Array<Bool>."""

    kind: str  # "any" | "all"
    arg: Node
    span: Span = _span()
    type: Type = field(default=BOOL, compare=False, repr=False)


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
