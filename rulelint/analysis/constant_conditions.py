"""Conditions whose result cannot vary on Cloudflare today, and what they do to a whole rule.

Each fact is from Cloudflare's documentation (cloudflare-facts.md, cf-fields):

- ``cf.threat_score`` is no longer populated: always 0 (``gt 10`` never, ``lt 10`` always);
- ``http.request.method`` is uppercase, so a comparison with a lowercase literal never holds;
- ``http.request.uri.path`` is the path only (the query string is in ``http.request.uri``) and
  starts with ``/``: ``eq "api/x"`` or ``contains "?"`` never holds;
- ``ip.src in {}`` never holds.

Only atoms in boolean position are judged (under ``and``/``or``/``xor``/``not`` and
parentheses), and ``fold`` says whether the whole expression is then constant. Hosts compared
with capitals and hosts outside the zone are left out: Cloudflare's documentation does not say
``http.host`` is lowercased, and a zone serves custom hostnames of other domains (Cloudflare
for SaaS).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator

from ..language import ast
from .scope import PATH_FIELDS, literal_text

THREAT_SCORE = "cf.threat_score"
METHOD = "http.request.method"


@dataclass(frozen=True)
class ConstantAtom:
    """An atom whose value is fixed: ``value`` is what it always evaluates to."""

    node: ast.Node
    value: bool
    why: str  # the Cloudflare fact, in words
    fixed: ast.Node | None = None  # what the author meant, when it can be told (uppercase method…)


def boolean_atoms(tree: ast.Node) -> Iterator[ast.Node]:
    """The atoms of ``tree`` in boolean position, in source order."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Group):
            stack.append(node.inner)
        elif isinstance(node, ast.Not):
            stack.append(node.operand)
        elif isinstance(node, ast.Logical):
            stack.extend(reversed(node.items))
        else:
            yield node


def constant_atoms(tree: ast.Node) -> list[ConstantAtom]:
    return [found for found in map(constant_atom, boolean_atoms(tree)) if found is not None]


def constant_atom(node: ast.Node) -> ConstantAtom | None:
    if isinstance(node, ast.Comparison) and isinstance(node.lhs, ast.Field):
        name = node.lhs.name
        if name == THREAT_SCORE:
            return _threat_score(node)
        if name == METHOD:
            return _method(node)
        if name in PATH_FIELDS:
            return _path(node)
        if name == "ip.src" and node.op == "in" and isinstance(node.rhs, ast.ListLit) and not node.rhs.items:
            return ConstantAtom(node, False, "an empty list holds no address")
    if (
        isinstance(node, ast.Call)
        and node.name == "starts_with"
        and len(node.args) == 2
        and isinstance(node.args[0], ast.Field)
        and node.args[0].name in PATH_FIELDS
    ):
        text = literal_text(node.args[1])
        if text and not text.startswith("/"):
            fixed = dataclasses.replace(node, args=(node.args[0], _string("/" + text)))
            return ConstantAtom(node, False, _PATH_SLASH, fixed if "?" not in text else None)
        if text and "?" in text:
            return ConstantAtom(node, False, _PATH_QUERY)
    return None


_SCORE = "the threat score is no longer populated and is always 0"
_PATH_SLASH = "the path always starts with /"
_PATH_QUERY = "the path never holds the query string (http.request.uri does)"


def _threat_score(node: ast.Comparison) -> ConstantAtom | None:
    op = node.op
    if op == "in" and isinstance(node.rhs, ast.ListLit):
        holds = any(isinstance(i, ast.IntLit) and i.value == 0 for i in node.rhs.items)
        return ConstantAtom(node, holds, _SCORE)
    if not isinstance(node.rhs, ast.IntLit):
        return None
    n = node.rhs.value
    value = {
        "eq": 0 == n,
        "ne": 0 != n,
        "lt": 0 < n,
        "le": 0 <= n,
        "gt": 0 > n,
        "ge": 0 >= n,
    }.get(op)
    return None if value is None else ConstantAtom(node, value, _SCORE)


def _method(node: ast.Comparison) -> ConstantAtom | None:
    if node.op == "eq" and isinstance(node.rhs, ast.StringLit):
        text = literal_text(node.rhs)
        if text and text != text.upper():
            fixed = dataclasses.replace(node, rhs=_string(text.upper()))
            return ConstantAtom(node, False, "the method is always uppercase", fixed)
    if node.op == "in" and isinstance(node.rhs, ast.ListLit) and node.rhs.items:
        texts = [literal_text(i) for i in node.rhs.items]
        if all(t is not None and t != t.upper() for t in texts):
            items = tuple(_string(t.upper()) for t in texts)
            fixed = dataclasses.replace(node, rhs=dataclasses.replace(node.rhs, items=items))
            return ConstantAtom(node, False, "the method is always uppercase", fixed)
    return None


def _path(node: ast.Comparison) -> ConstantAtom | None:
    if node.op == "eq" and isinstance(node.rhs, ast.StringLit):
        text = literal_text(node.rhs) or ""
        if "?" in text:
            return ConstantAtom(node, False, _PATH_QUERY)
        if not text.startswith("/"):
            fixed = dataclasses.replace(node, rhs=_string("/" + text))
            return ConstantAtom(node, False, _PATH_SLASH, fixed)
    if node.op == "in" and isinstance(node.rhs, ast.ListLit) and node.rhs.items:
        texts = [literal_text(i) for i in node.rhs.items]
        if all(t is not None and ("?" in t or not t.startswith("/")) for t in texts):
            return ConstantAtom(node, False, _PATH_SLASH if all("?" not in t for t in texts) else _PATH_QUERY)
    if node.op == "contains" and isinstance(node.rhs, ast.StringLit) and "?" in (literal_text(node.rhs) or ""):
        return ConstantAtom(node, False, _PATH_QUERY)
    return None


def _string(text: str) -> ast.StringLit:
    """A quoted string literal holding ``text`` (a raw or hex literal is written quoted)."""
    return ast.StringLit(text.encode("utf-8"))


# -- the whole expression -----------------------------------------------------------------------


def fold(node: ast.Node, known: dict[int, bool]) -> bool | None:
    """The value of ``node`` when the atoms in ``known`` (by id) have those values: True or
    False when that decides it, None when it still depends on the request."""
    if id(node) in known:
        return known[id(node)]
    if isinstance(node, ast.BoolConst):
        return node.value
    if isinstance(node, ast.Group):
        return fold(node.inner, known)
    if isinstance(node, ast.Not):
        inner = fold(node.operand, known)
        return None if inner is None else not inner
    if isinstance(node, ast.Logical):
        values = [fold(item, known) for item in node.items]
        if node.op == "and":
            return False if False in values else True if all(v is True for v in values) else None
        if node.op == "or":
            return True if True in values else False if all(v is False for v in values) else None
        if node.op == "xor" and all(v is not None for v in values):
            return sum(values) % 2 == 1
    return None


def rewrite(node: ast.Node, replace: dict[int, ast.Node]) -> ast.Node:
    """``node`` with the atoms in ``replace`` (by id) replaced, and constants folded away:
    ``a and true`` is ``a``, ``a or false`` is ``a``."""
    if id(node) in replace:
        return replace[id(node)]
    if isinstance(node, ast.Group):
        inner = rewrite(node.inner, replace)
        return inner if isinstance(inner, (ast.BoolConst, ast.Comparison, ast.Call, ast.Field)) else ast.Group(inner)
    if isinstance(node, ast.Not):
        inner = rewrite(node.operand, replace)
        if isinstance(inner, ast.BoolConst):
            return ast.BoolConst(not inner.value)
        return ast.Not(ast.Group(inner) if isinstance(inner, ast.Logical) else inner)
    if isinstance(node, ast.Logical) and node.op in ("and", "or"):
        items = [rewrite(item, replace) for item in node.items]
        neutral = node.op == "and"  # true vanishes from and, false from or
        if any(isinstance(i, ast.BoolConst) and i.value != neutral for i in items):
            return ast.BoolConst(not neutral)
        items = [i for i in items if not isinstance(i, ast.BoolConst)]
        if not items:
            return ast.BoolConst(neutral)
        if len(items) == 1:
            return items[0]
        if node.op == "and":
            items = [ast.Group(i) if isinstance(i, ast.Logical) and i.op != "and" else i for i in items]
        return ast.Logical(node.op, tuple(items))
    if isinstance(node, ast.Logical):
        return ast.Logical(node.op, tuple(rewrite(item, replace) for item in node.items))
    return node


def substitute(node: ast.Node, replace: dict[int, ast.Node]) -> ast.Node:
    """``node`` with the atoms in ``replace`` replaced and nothing else changed (``a and
    true`` stays): the original as Cloudflare evaluates it, for the proof."""
    if id(node) in replace:
        return replace[id(node)]
    if isinstance(node, ast.Group):
        return ast.Group(substitute(node.inner, replace))
    if isinstance(node, ast.Not):
        return ast.Not(substitute(node.operand, replace))
    if isinstance(node, ast.Logical):
        return ast.Logical(node.op, tuple(substitute(i, replace) for i in node.items))
    return node
