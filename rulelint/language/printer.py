"""Canonical text of a syntax tree: English operators, single spaces, groups as written.

``parse(print_expression(tree)).tree == tree`` for every tree the parser produces.
"""

from __future__ import annotations

from .ast import (
    BoolConst, Call, Comparison, Field, Group, Index, IntLit, IpLit, ListLit, Logical,
    NamedList, Node, Not, Quantifier, RangeLit, RegexLit, StringLit,
)
from .literals import quote_bytes

_OPS = {"strict_wildcard": "strict wildcard"}
_PRECEDENCE = {"or": 1, "xor": 2, "and": 3}


def print_expression(node: Node) -> str:
    """The canonical text of ``node`` (iterative, so very deep trees print too)."""
    out: list[str] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        parts = _parts(item)
        stack.extend(reversed(parts))
    return "".join(out)


def _needs_parens(child: Node, parent_precedence: int) -> bool:
    return isinstance(child, Logical) and _PRECEDENCE[child.op] <= parent_precedence


def _parts(node: Node) -> list[object]:
    """The pieces of ``node``'s text: strings, and sub-nodes still to print."""
    if isinstance(node, Logical):
        precedence = _PRECEDENCE[node.op]
        parts: list[object] = []
        for position, item in enumerate(node.items):
            if position:
                parts.append(f" {node.op} ")
            parts.extend(["(", item, ")"] if _needs_parens(item, precedence) else [item])
        return parts
    if isinstance(node, Comparison):
        return [node.lhs, f" {_OPS.get(node.op, node.op)} ", node.rhs]
    if isinstance(node, Not):
        operand = node.operand
        if isinstance(operand, Logical):
            return ["not (", operand, ")"]
        return ["not ", operand]
    if isinstance(node, Group):
        return ["(", node.inner, ")"]
    if isinstance(node, Quantifier):
        return [f"{node.kind}(", node.arg, ")"]
    if isinstance(node, Field):
        return [node.name]
    if isinstance(node, BoolConst):
        return ["true" if node.value else "false"]
    if isinstance(node, Index):
        if node.key is None:
            key = "*"
        elif isinstance(node.key, int):
            key = str(node.key)
        else:
            key = quote_bytes(node.key.encode("utf-8"))
        return [node.target, f"[{key}]"]
    if isinstance(node, Call):
        parts = [f"{node.name}("]
        for position, arg in enumerate(node.args):
            if position:
                parts.append(", ")
            parts.append(arg)
        parts.append(")")
        return parts
    if isinstance(node, StringLit):
        return [_string(node)]
    if isinstance(node, RegexLit):
        if node.raw:
            fence = "#" * node.hashes
            return [f'r{fence}"{node.pattern}"{fence}']
        return [f'"{node.pattern}"']
    if isinstance(node, IntLit):
        return [str(node.value)]
    if isinstance(node, IpLit):
        return [node.address if node.prefix is None else f"{node.address}/{node.prefix}"]
    if isinstance(node, RangeLit):
        return [node.low, "..", node.high]
    if isinstance(node, ListLit):
        parts = ["{"]
        for position, item in enumerate(node.items):
            if position:
                parts.append(" ")
            parts.append(item)
        parts.append("}")
        return parts
    if isinstance(node, NamedList):
        return [f"${node.name}"]
    raise TypeError(f"not a syntax tree node: {node!r}")


def _string(node: StringLit) -> str:
    if node.style == "raw":
        fence = "#" * node.hashes
        return f'r{fence}"{node.value.decode("utf-8", "surrogatepass")}"{fence}'
    if node.style == "hex":
        return ":".join(f"{byte:02x}" for byte in node.value)
    return quote_bytes(node.value)
