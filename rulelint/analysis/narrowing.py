"""Narrower replacement expressions, and the proof that they are narrower.

A suggestion must never widen what a security exception lets through. Every replacement is
built from the original tree by two moves only, each safe by construction:

* adding conjuncts to a top-level alternative (``a`` becomes ``a and ip.src in $list``);
* replacing a top-level conjunct by a strictly stronger one from ``implies``'s small table
  (``path contains "/x"`` becomes ``path eq "/x"`` or ``starts_with(path, "/x/")``).

Alternatives another alternative makes redundant are then dropped (``a and x or a`` is ``a``).
``is_strictly_narrower`` checks that shape on the re-parsed suggestion, parentheses ignored,
and that some original alternative is no longer covered (so ``(a)`` is never "narrowed" to
``a``); ``verified`` parses and type-checks the printed text with rulelint's own parser. A
suggestion that fails either is dropped, never shown.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from ..language import ast
from .scope import PATH_FIELDS, base_field, conjuncts, literal_text, top_level_disjuncts

# -- building blocks --------------------------------------------------------------------------


def field(name: str) -> ast.Field:
    return ast.Field(name)


def string(text: str) -> ast.StringLit:
    return ast.StringLit(text.encode("utf-8"))


def source_in_list(list_name: str) -> ast.Comparison:
    """``ip.src in $list_name``."""
    return ast.Comparison(field("ip.src"), "in", ast.NamedList(list_name))


def source_in_addresses(addresses: Sequence[str]) -> ast.Comparison:
    """``ip.src in {192.0.2.1 198.51.100.0/24}``."""
    items = []
    for text in addresses:
        address, _, prefix = text.partition("/")
        items.append(ast.IpLit(address, int(prefix) if prefix else None))
    return ast.Comparison(field("ip.src"), "in", ast.ListLit(tuple(items)))


def method_is(method: str) -> ast.Comparison:
    return ast.Comparison(field("http.request.method"), "eq", string(method))


def host_in(hosts: Sequence[str]) -> ast.Comparison:
    if len(hosts) == 1:
        return ast.Comparison(field("http.host"), "eq", string(hosts[0]))
    return ast.Comparison(field("http.host"), "in", ast.ListLit(tuple(string(h) for h in hosts)))


def starts_with(field_name: str, prefix: str) -> ast.Call:
    return ast.Call("starts_with", (field(field_name), string(prefix)))


def all_of(items: Sequence[ast.Node]) -> ast.Node:
    """``items`` joined by ``and``; ``or``/``xor`` items are parenthesised."""
    flat: list[ast.Node] = []
    for item in items:
        flat.extend(conjuncts(item))
    flat = [i for i in flat if not (isinstance(i, ast.BoolConst) and i.value)]
    if not flat:
        return ast.BoolConst(True)
    wrapped = tuple(_parenthesise(i) for i in flat)
    return wrapped[0] if len(wrapped) == 1 else ast.Logical("and", wrapped)


def any_of(items: Sequence[ast.Node]) -> ast.Node:
    items = tuple(_parenthesise(i) if _is_logical(i, "xor") else i for i in items)
    return items[0] if len(items) == 1 else ast.Logical("or", items)


def _is_logical(node: ast.Node, *ops: str) -> bool:
    return isinstance(node, ast.Logical) and node.op in ops


def _parenthesise(node: ast.Node) -> ast.Node:
    return ast.Group(node) if _is_logical(node, "or", "xor") else node


# -- narrowing moves --------------------------------------------------------------------------

_COMPLETE_PATH = re.compile(r"^/[^\s?#*]*$")


def stronger_path_atom(node: ast.Node) -> ast.Node | None:
    """``path contains "/a/b"`` → ``path eq "/a/b"`` (a complete path) or
    ``starts_with(path, "/a/")`` (a literal ending in ``/``); None when no safe move exists."""
    if not (isinstance(node, ast.Comparison) and node.op == "contains"):
        return None
    name = base_field(node.lhs)
    text = literal_text(node.rhs)
    if name not in PATH_FIELDS or text is None or not _COMPLETE_PATH.match(text):
        return None
    if text.endswith("/"):
        return ast.Call("starts_with", (node.lhs, node.rhs))
    return ast.Comparison(node.lhs, "eq", node.rhs)


def _reads_path(node: ast.Node) -> bool:
    return any(isinstance(n, ast.Field) and n.name in PATH_FIELDS for n in ast.walk(node))


def narrow(
    tree: ast.Node,
    select: Callable[[int, ast.Node], bool],
    add: Callable[[int, ast.Node], Sequence[ast.Node]],
    replace_paths: bool = True,
) -> ast.Node:
    """Rewrite the top-level alternatives of ``tree`` that ``select(index, item)`` picks:
    strengthen their path conjuncts (when asked) and append ``add(index, item)``."""
    items = top_level_disjuncts(tree)
    out = []
    for index, item in enumerate(items):
        if not select(index, item):
            out.append(item)
            continue
        parts = list(conjuncts(item))
        if replace_paths and sum(1 for p in parts if _reads_path(p)) == 1:
            # One path condition only: made exact or a prefix, it cannot contradict another
            # (``contains "/a" and contains "/b"`` must not become ``eq "/a" and …"/b"``).
            parts = [stronger_path_atom(p) or p for p in parts]
        extra = [a for a in add(index, item) if a not in parts]
        out.append(all_of(parts + extra))
    return any_of(drop_subsumed(out))


def drop_subsumed(alternatives: Sequence[ast.Node]) -> list[ast.Node]:
    """``alternatives`` without those whose conjuncts include all of another's (``a and x or
    a`` is ``a``) and without repeats: the same traffic, written once. Narrowing ``host or
    true`` gives ``host and ip.src in $l or ip.src in $l``, which is ``ip.src in $l``."""
    sets = [frozenset(strip_groups(c) for c in conjuncts(item)) for item in alternatives]
    kept: list[ast.Node] = []
    for index, item in enumerate(alternatives):
        mine = sets[index]
        if any(
            other < mine or (other == mine and other_index < index)
            for other_index, other in enumerate(sets)
            if other_index != index
        ):
            continue
        kept.append(item)
    return kept


# -- the proof --------------------------------------------------------------------------------


def implies(stronger: ast.Node, weaker: ast.Node) -> bool:
    """Whether ``stronger`` matching guarantees ``weaker`` matches, by this table only:

    ========================================  =========================================
    stronger                                  weaker
    ========================================  =========================================
    X                                         X (the same tree)
    anything                                  ``true``
    ``F eq "s"``                              ``F contains "t"`` when t is in s
    ``starts_with(F, "s")``                   ``F contains "t"`` when t is in s
    ``F eq "s"``                              ``starts_with(F, "t")`` when s starts with t
    ``F eq v``                                ``F in {… v …}``
    ========================================  =========================================
    """
    return _implies(_Part(strip_groups(stronger)), _Part(strip_groups(weaker)))


class _Part:
    """One conjunct, parentheses stripped, with its ``_shape`` worked out once: a proof
    compares every conjunct of one condition with every conjunct of another, and a run proves
    thousands of pairs (shadowed-rule compares each rule with every earlier one)."""

    __slots__ = ("node", "lhs", "op", "value", "is_true", "digest")

    def __init__(self, node: ast.Node) -> None:
        self.node = node
        self.lhs, self.op, self.value = _shape(node)
        self.is_true = isinstance(node, ast.BoolConst) and node.value
        try:
            self.digest = hash(node)  # unequal digests: unequal trees, without walking them
        except TypeError:  # a tree holding an unhashable value
            self.digest = None

    def same_as(self, other: _Part) -> bool:
        if self.digest is not None and other.digest is not None and self.digest != other.digest:
            return False
        return self.node == other.node


def _implies(stronger: _Part, weaker: _Part) -> bool:
    """``implies`` on conjuncts already stripped and shaped."""
    if weaker.is_true:
        return True
    if stronger.lhs is not None and stronger.lhs == weaker.lhs:
        s_op, w_op, s_value, w_value = stronger.op, weaker.op, stronger.value, weaker.value
        if w_op == "contains" and s_op in ("eq", "starts_with"):
            if isinstance(s_value, bytes) and isinstance(w_value, bytes) and w_value in s_value:
                return True
        elif w_op == "starts_with" and s_op == "eq":
            if isinstance(s_value, bytes) and isinstance(w_value, bytes) and s_value.startswith(w_value):
                return True
        elif w_op == "in" and s_op == "eq" and isinstance(weaker.node, ast.Comparison):
            rhs = weaker.node.rhs
            if isinstance(rhs, ast.ListLit) and isinstance(stronger.node, ast.Comparison) and stronger.node.rhs in rhs.items:
                return True
    return stronger.same_as(weaker)


def strip_groups(node: ast.Node) -> ast.Node:
    """``node`` with every parenthesis removed, at every depth: ``(a)`` and ``a`` are the
    same condition, and the proof must not take a change of parentheses for a narrowing."""
    while isinstance(node, ast.Group):
        node = node.inner
    if isinstance(node, ast.Logical):
        items: list[ast.Node] = []
        for item in node.items:
            item = strip_groups(item)
            # a and (b and c) is a and b and c once the parentheses go
            if isinstance(item, ast.Logical) and item.op == node.op and node.op in ("and", "or"):
                items.extend(item.items)
            else:
                items.append(item)
        return ast.Logical(node.op, tuple(items))
    if isinstance(node, ast.Not):
        return ast.Not(strip_groups(node.operand))
    if isinstance(node, ast.Quantifier):
        return ast.Quantifier(node.kind, strip_groups(node.arg))
    if isinstance(node, ast.Call):
        return ast.Call(node.name, tuple(strip_groups(a) for a in node.args))
    return node


def _shape(node: ast.Node) -> tuple[ast.Node | None, str | None, object]:
    """(lhs, operator, literal bytes) of a comparison or a ``starts_with`` call."""
    if isinstance(node, ast.Comparison):
        value = node.rhs.value if isinstance(node.rhs, ast.StringLit) else None
        return node.lhs, node.op, value
    if isinstance(node, ast.Call) and node.name == "starts_with" and len(node.args) == 2:
        arg = node.args[1]
        return node.args[0], "starts_with", arg.value if isinstance(arg, ast.StringLit) else None
    return None, None, None


NormalForm = tuple[tuple[_Part, ...], ...]


def normal_form(tree: ast.Node) -> NormalForm:
    """``tree``'s top-level alternatives, each as its conjuncts: what the proof compares.
    Work it out once per tree when the same tree is compared many times."""
    return tuple(
        tuple(_Part(strip_groups(part)) for part in conjuncts(item)) for item in top_level_disjuncts(tree)
    )


def _covers(wide: tuple[_Part, ...], narrow_: tuple[_Part, ...]) -> bool:
    """Whether the alternative ``narrow_`` matching guarantees the alternative ``wide``
    matches: each conjunct of ``wide`` is implied by some conjunct of ``narrow_``."""
    return all(any(_implies(candidate, part) for candidate in narrow_) for part in wide)


def is_narrower(original: ast.Node | NormalForm, suggested: ast.Node | NormalForm) -> bool:
    """True when every top-level alternative of ``suggested`` is some alternative of
    ``original`` with conjuncts added, or conjuncts replaced by stronger ones per ``implies``:
    every request the suggestion matches, the original matched. Either side may be given as
    its ``normal_form``."""
    left = original if isinstance(original, tuple) else normal_form(original)
    right = suggested if isinstance(suggested, tuple) else normal_form(suggested)
    return all(_covered(left, index, s_item) for index, s_item in enumerate(right))


def is_strictly_narrower(original: ast.Node, suggested: ast.Node) -> bool:
    """``is_narrower``, and some alternative of ``original`` is covered by no alternative of
    the suggestion: it lost a request the original matched (a conjunct was added or made
    stronger), so the suggestion is not the original in other words — ``(a)`` for ``a``, or
    the same alternatives reordered."""
    left, right = normal_form(original), normal_form(suggested)
    if not is_narrower(left, right):
        return False
    return any(not _covered(right, index, o_item) for index, o_item in enumerate(left))


def _covered(wides: NormalForm, index: int, narrow_: tuple[_Part, ...]) -> bool:
    """Whether some alternative of ``wides`` covers ``narrow_``, trying the one at the same
    ``index`` first: a suggestion keeps the original's alternatives in order, so that one
    usually answers, and a long ``or`` costs one comparison per alternative, not its square."""
    if index < len(wides) and _covers(wides[index], narrow_):
        return True
    return any(_covers(wide, narrow_) for position, wide in enumerate(wides) if position != index)


def verified(text: str):
    """The parsed suggestion when it parses and type-checks as a filter, else None."""
    from ..language import parse

    try:
        parsed = parse(text, "filter")
    except Exception:  # a parser bug must never turn a suggestion into a traceback
        return None
    if not parsed.ok or parsed.tree is None:
        return None
    return parsed


def checked_suggestion(original: ast.Node, suggested: ast.Node, proofs: dict | None = None) -> str | None:
    """The printed text of ``suggested`` if it parses, type-checks and is provably, strictly
    narrower than ``original`` (groups aside); otherwise None (the suggestion is dropped).
    ``proofs`` is the run's memo of proofs already made (real exports repeat the same
    exemption across zones, so the same proof recurs)."""
    from ..language import print_expression

    try:
        text = print_expression(suggested)
    except Exception:
        return None
    parsed = verified(text)
    if parsed is None:
        return None
    if proofs is None:
        return text if is_strictly_narrower(original, parsed.tree) else None
    # Keyed by structure (trees are frozen and hashable): the same proof from another zone's
    # copy of the rule is found too.
    key = (original, parsed.tree)
    try:
        proved = proofs.get(key)
    except TypeError:  # a tree holding an unhashable value: prove it without the memo
        return text if is_strictly_narrower(original, parsed.tree) else None
    if proved is None:
        proved = proofs[key] = is_strictly_narrower(original, parsed.tree)
    return text if proved else None


# -- names ------------------------------------------------------------------------------------

_STOP = frozenset(
    "a an and the for of to on in at by from with skip skips allow bypass rule rules waf "
    "exception exceptions managed disable disables temporary temp fix".split()
)


# A long hexadecimal word is an id (a rule, a zone), not a word of a name.
_IDENTIFIER = re.compile(r"^[0-9a-f]{16,}$")


def words(text: str) -> list[str]:
    """Significant lowercase words of a description (for list names and matching)."""
    return [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in _STOP and len(w) > 1 and not _IDENTIFIER.match(w)
    ]


def list_name(*hints: str | None) -> str:
    """An IP list name derived from the first hint with words: ``stripe_webhooks_ips``.
    Cloudflare list names are lowercase letters, digits and underscores (at most 50)."""
    for hint in hints:
        if not hint:
            continue
        parts = words(hint)[:4]
        if parts:
            name = "_".join(parts)
            if not name.endswith("ips"):
                name += "_ips"
            if name[0].isdigit():
                name = "rule_" + name
            return name[:50].rstrip("_")
    return "allowed_ips"
