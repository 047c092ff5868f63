"""Terraform HCL to located ``Node`` trees, using python-hcl2's Lark parse tree for positions.

What can be known without running Terraform is evaluated: literals, strings (HCL escapes
decoded, ``${…}`` substituted when known), heredocs, lists, objects, blocks, ``var.x`` (module
argument, tfvars or default), ``local.x``, attribute and index access, ``for`` expressions,
conditionals with a known condition, pure string functions (``tf_values``) and provider v4
``dynamic`` blocks. Anything else (resource attributes, data sources, unknown functions)
becomes a node with ``unresolved`` set to its source text. Nesting is bounded (``MAX_DEPTH``).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from lark import Token, Tree

from ..findings import UNRESOLVED_INTERPOLATION, UNRESOLVED_TERRAFORM
from ..model.sources import SourceFile
from .nodes import Node

_HCL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)
_HEREDOC_INTERPOLATION = re.compile(r"(?<!\$)\$\{([^}]*)\}")


def decode_escapes(raw: str) -> str:
    def replace(match: re.Match) -> str:
        if match.group(1) or match.group(2):
            code = int(match.group(1) or match.group(2), 16)
            return chr(code) if code <= 0x10FFFF else "\uFFFD"  # beyond Unicode: Terraform rejects it
        return _HCL_ESCAPES.get(match.group(3), "\\" + match.group(3))

    return _ESCAPE.sub(replace, raw)


# Deeper than any Cloudflare object written by hand: a bound, so a hostile file is one finding.
MAX_DEPTH = 100
UNRESOLVED_TERRAFORM = UNRESOLVED_TERRAFORM
UNRESOLVED_INTERPOLATION = UNRESOLVED_INTERPOLATION


class TooDeep(Exception):
    """An expression or block nested deeper than ``MAX_DEPTH``."""


class Notes:
    """Info findings found while evaluating (each place once, however often it is evaluated)."""

    def __init__(self) -> None:
        self.items: dict[tuple, tuple[str, str, Node]] = {}

    def add(self, check: str, message: str, node: Node) -> None:
        key = (check, node.file, node.start, node.address, message)
        self.items.setdefault(key, (check, message, node))


class Scope:
    """Resolves ``var.x`` / ``local.x`` of one module instance to nodes (None when unknown).

    ``values`` holds what the caller gives (``terraform.tfvars`` for the root module, the
    arguments of a ``module`` block for a child); a variable's ``default`` is used otherwise.
    """

    def __init__(self, notes: Notes | None = None) -> None:
        self.variables: dict[str, Any] = {}  # name -> lark default expression
        self.values: dict[str, Node] = {}  # name -> value given by tfvars or a module call
        self.locals: dict[str, Any] = {}
        self._cache: dict[str, Node | None] = {}
        self._busy: set[str] = set()
        self.file_of: dict[str, SourceFile] = {}  # "var.x" / "local.x" -> the file declaring it
        self.notes = notes if notes is not None else Notes()
        self.depth = 0  # of the evaluation under way, across locals that refer to locals

    def lookup(self, kind: str, name: str) -> Node | None:
        key = f"{kind}.{name}"
        if key in self._cache:
            return self._cache[key]
        if kind == "var" and name in self.values:
            return self.values[name]
        table = self.variables if kind == "var" else self.locals
        tree = table.get(name)
        if tree is None or key in self._busy:
            return None
        self._busy.add(key)
        try:
            node = Evaluator(self.file_of[key], self).evaluate(tree, key)
        except TooDeep:
            return None  # not cached: the same local may be read from a shallower place
        finally:
            self._busy.discard(key)
        result = None if node.unresolved else node
        self._cache[key] = result
        return result


class Evaluator:
    """Evaluates the HCL of one file to located ``Node`` trees. ``env`` binds the names a
    ``for`` expression or a ``dynamic`` block introduces."""

    def __init__(self, source: SourceFile, scope: Scope) -> None:
        self.source = source
        self.text = source.text
        self.scope = scope
        self.env: dict[str, Node] = {}

    # -- helpers ----------------------------------------------------------------------------
    def written(self, tree) -> str:
        """The text of ``tree`` as written in the file."""
        start, end = _span(tree)
        return self.text[start:end]

    def unresolved(self, tree, address: str | None) -> Node:
        start, end = _span(tree)
        return Node(self.source, start, end, None, None, address=address, unresolved=self.text[start:end].strip())

    def _deeper(self) -> None:
        self.scope.depth += 1
        if self.scope.depth > MAX_DEPTH:
            self.scope.depth -= 1
            raise TooDeep()

    # -- blocks -----------------------------------------------------------------------------
    def body(self, body: Tree, address: str | None, start: int, end: int) -> Node:
        self._deeper()
        try:
            return self._body(body, address, start, end)
        finally:
            self.scope.depth -= 1

    def _body(self, body: Tree, address: str | None, start: int, end: int) -> Node:
        children: dict[str, Node] = {}
        for item in body.children:
            if not isinstance(item, Tree):
                continue
            if item.data == "attribute":
                name = _name(item.children[0])
                value = _as_string_attribute(name, self.evaluate(item.children[2], _join(address, name)))
                children[name] = self._keyed(value, item)
            elif item.data == "block":
                block_type = _name(item.children[0])
                labels = [_label(c) for c in item.children[1:] if isinstance(c, Tree) and c.data in ("string", "identifier")]
                if block_type == "dynamic" and labels:
                    for node in self._dynamic(item, labels[0], address):
                        _append_block(children, labels[0], node, item, self.source, address)
                    continue
                index = _block_count(children, block_type)
                node = self.block(item, f"{_join(address, block_type)}[{index}]")
                if labels:
                    node.children["__labels__"] = Node(self.source, node.start, node.start, None, labels)
                _append_block(children, block_type, node, item, self.source, address)
        return Node(self.source, start, end, children, address=address)

    def block(self, block: Tree, address: str | None) -> Node:
        body = next(c for c in block.children if isinstance(c, Tree) and c.data == "body")
        start, end = _span(block)
        return self.body(body, address, start, end)

    def _dynamic(self, block: Tree, label: str, address: str | None) -> list[Node]:
        """The blocks a provider v4 ``dynamic "label" { for_each … content {…} }`` makes, when
        ``for_each`` is known; else none, and one ``unresolved-terraform`` note."""
        attributes = block_attributes(block)
        for_each = attributes.get("for_each")
        iterator = attributes.get("iterator")
        name = self.written(iterator).strip() if iterator is not None else label
        content = next((item for kind, _, item in _blocks(block) if kind == "content"), None)
        collection = self.evaluate(for_each, None) if for_each is not None else None
        pairs = _pairs(collection)
        if content is None or pairs is None:
            written = self.written(for_each).strip() if for_each is not None else "(no for_each)"
            where = Node(self.source, *_span(block), None, None, address=f"{_join(address, label)}")
            self.scope.notes.add(
                UNRESOLVED_TERRAFORM,
                f'{_join(address, label)}: dynamic "{label}" block over {written}, which cannot be resolved '
                "without running Terraform: its blocks are not analysed (lint the plan JSON to check them)",
                where,
            )
            return []
        nodes = []
        saved = self.env
        try:
            for index, (key, value) in enumerate(pairs):
                each = Node(value.source, value.start, value.end, {"key": key, "value": value})
                self.env = {**saved, name: each}
                nodes.append(self.block(content, f"{_join(address, label)}[{index}]"))
        finally:
            self.env = saved
        return nodes

    # -- expressions ------------------------------------------------------------------------
    def evaluate(self, tree, address: str | None) -> Node:
        self._deeper()
        try:
            return self._evaluate(tree, address)
        finally:
            self.scope.depth -= 1

    def _evaluate(self, tree, address: str | None) -> Node:
        if isinstance(tree, Token):
            return self.unresolved(tree, address)
        kind = tree.data
        if kind == "expr_term":
            inner = [c for c in tree.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]
            if len(inner) == 1:
                return self.evaluate(inner[0], address)
            if len(inner) == 3 and isinstance(inner[0], Token) and inner[0].type == "LPAR":
                return self.evaluate(inner[1], address)
            return self.unresolved(tree, address)
        handler: Callable | None = getattr(self, "_" + kind, None)
        if handler is None:
            return self.unresolved(tree, address)
        return handler(tree, address)

    def _int_lit(self, tree, address):
        try:
            value = int(str(tree.children[0]))
        except ValueError:  # more digits than Python converts (4,300): no Cloudflare value is
            return self.unresolved(tree, address)
        return Node(self.source, *_span(tree), None, value, address=address)

    def _float_lit(self, tree, address):
        return Node(self.source, *_span(tree), None, float(str(tree.children[0])), address=address)

    def _literal_value(self, tree, address):
        word = str(tree.children[0])
        return Node(self.source, *_span(tree), None, {"true": True, "false": False}.get(word), address=address)

    def _unary_op(self, tree, address):
        operator, operand = tree.children[0], self.evaluate(tree.children[1], address)
        value = operand.scalar
        start, end = _span(tree)
        if operand.unresolved is None and str(operator) == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return Node(self.source, start, end, None, -value, address=address)
        if operand.unresolved is None and str(operator) == "!" and isinstance(value, bool):
            return Node(self.source, start, end, None, not value, address=address)
        return self.unresolved(tree, address)

    def _tuple(self, tree, address):
        items = [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        children = [self.evaluate(item, _index(address, i)) for i, item in enumerate(items)]
        return Node(self.source, *_span(tree), children, address=address)

    def _object(self, tree, address):
        children: dict[str, Node] = {}
        for elem in tree.children:
            if not (isinstance(elem, Tree) and elem.data == "object_elem"):
                continue
            key_tree = elem.children[0]
            key = self._key(key_tree)
            if key is None:
                return self.unresolved(tree, address)
            value = _as_string_attribute(key, self.evaluate(elem.children[2], _join(address, key)))
            children[key] = self._keyed(value, elem)
        return Node(self.source, *_span(tree), children, address=address)

    def _keyed(self, node: Node, written: Tree) -> Node:
        """Remember where ``name = value`` starts, when the value is written right there (a
        resolved ``var.x`` keeps the position of its default)."""
        start, end = _span(written)
        if node.source is self.source and node.start is not None and start <= node.start < end:
            node.key_start = start
        return node

    def _key(self, key_tree) -> str | None:
        expression = key_tree.children[0]
        while isinstance(expression, Tree) and expression.data == "expr_term" and len(expression.children) == 1:
            expression = expression.children[0]
        if isinstance(expression, Tree) and expression.data in ("identifier", "keyword"):
            return str(expression.children[0])
        if isinstance(expression, Tree) and expression.data == "literal_value":
            return str(expression.children[0])
        node = self.evaluate(expression, None)
        return node.scalar if isinstance(node.scalar, str) and not node.unresolved else None

    def _string(self, tree, address):
        start, end = _span(tree)
        parts: list[str] = []
        literal = True
        exact = True  # every character maps one to one onto the file (positions hold)
        unresolved: list[str] = []
        kept: list[str] = []
        for part in tree.children:
            if isinstance(part, Token):
                continue  # the quotes
            piece = part.children[0]
            if isinstance(piece, Token):
                if piece.type == "ESCAPED_INTERPOLATION":
                    parts.append(str(piece)[1:])
                elif piece.type == "ESCAPED_DIRECTIVE":
                    parts.append(str(piece)[1:])
                else:
                    parts.append(decode_escapes(str(piece)))
                continue
            literal = False
            written = self.written(piece)
            if piece.data == "interpolation":
                inner = self.evaluate(piece.children[1], None)
                text = _scalar_text(inner)
                if text is not None:
                    parts.append(text)
                    exact = exact and len(text) == len(written) and "\\" not in written
                    continue
                if _inside_rules_string("".join(parts)):
                    parts.append(_placeholder(written))
                    kept.append(written)
                    exact = exact and "\\" not in written
                    continue
            unresolved.append(written)
            parts.append(written)
        text = "".join(parts)
        node = Node(self.source, start, end, None, text, address=address)
        if unresolved:
            node.unresolved = ", ".join(unresolved)
        elif literal:
            node.quoting = "hcl"
            node.content_offset = start + 1
        else:
            if exact:
                node.quoting = "hcl"
                node.content_offset = start + 1
            if kept:
                self._note_kept(kept, node)
        return node

    def _note_kept(self, kept: list[str], node: Node) -> None:
        self.scope.notes.add(
            UNRESOLVED_INTERPOLATION,
            f"{', '.join(kept)} cannot be resolved without running Terraform: kept as written inside "
            "the quoted string, the rest of the expression is analysed (lint the plan JSON for its value)",
            node,
        )

    def _heredoc_template(self, tree, address, trim: bool = False):
        token = tree.children[0]
        raw = str(token)
        start, end = _span(tree)
        first_newline = raw.index("\n")
        body_start = first_newline + 1
        body_end = raw.rstrip("\r\n").rfind("\n") + 1
        body = raw[body_start:body_end] if body_end > body_start else ""
        indent = 0
        if trim:
            widths = [len(line) - len(line.lstrip(" \t")) for line in body.split("\n") if line.strip()]
            indent = min(widths) if widths else 0
            body = "\n".join(line[indent:] for line in body.split("\n"))
        unresolved: list[str] = []
        kept: list[str] = []

        def substitute(match: re.Match) -> str:
            reference = match.group(1).strip()
            kind, _, name = reference.partition(".")
            if kind in ("var", "local") and re.fullmatch(r"[A-Za-z_][\w-]*", name):
                node = self.scope.lookup(kind, name)
                text = _scalar_text(node) if node is not None else None
                if text is not None:
                    return text
            if _inside_rules_string(body[:match.start()]):
                kept.append(match.group(0))
                return _placeholder(match.group(0))
            unresolved.append(match.group(0))
            return match.group(0)

        substituted = _HEREDOC_INTERPOLATION.sub(substitute, body)
        exact = substituted == body
        text = substituted.replace("$${", "${").replace("%%{", "%{")
        node = Node(self.source, start, end, None, text, address=address)
        if unresolved:
            node.unresolved = ", ".join(unresolved)
        elif exact:
            node.quoting = "heredoc"
            node.content_offset = start + body_start
            node.heredoc_indent = indent
        if kept and not unresolved:
            self._note_kept(kept, node)
        return node

    def _heredoc_template_trim(self, tree, address):
        return self._heredoc_template(tree, address, trim=True)

    # -- references -------------------------------------------------------------------------
    def _identifier(self, tree, address):
        bound = self.env.get(str(tree.children[0]))
        if bound is not None:
            return readdress(bound, address)
        return self.unresolved(tree, address)

    def _get_attr_expr_term(self, tree, address):
        base, get_attr = tree.children[0], tree.children[1]
        attribute = _name(get_attr.children[1])
        root = _identifier_of(base)
        if root in ("var", "local") and root not in self.env:
            node = self.scope.lookup(root, attribute)
            return readdress(node, address) if node is not None else self.unresolved(tree, address)
        value = self.evaluate(base, None)
        child = value.get(attribute) if value.unresolved is None else None
        if child is None:
            return self.unresolved(tree, address)
        return readdress(child, address)

    def _index_expr_term(self, tree, address):
        base, index = tree.children[0], tree.children[1]
        value = self.evaluate(base, None)
        if index.data == "short_index":
            key: Any = int(str(index.children[1]))
        else:
            expression = next(c for c in index.children if isinstance(c, Tree) and c.data != "new_line_or_comment")
            key_node = self.evaluate(expression, None)
            key = key_node.scalar if key_node.unresolved is None else None
        child = None
        if value.unresolved is None and value.is_list() and isinstance(key, int) and not isinstance(key, bool):
            elements = value.elements()
            child = elements[key] if -len(elements) <= key < len(elements) else None
        elif value.unresolved is None and value.is_dict() and isinstance(key, str):
            child = value.get(key)
        if child is None:
            return self.unresolved(tree, address)
        return readdress(child, address)

    def _binary_op(self, tree, address):
        """Comparisons, ``&&`` / ``||`` and arithmetic on known scalars (``for`` conditions)."""
        parts = [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        if len(parts) != 2 or parts[1].data != "binary_term":
            return self.unresolved(tree, address)
        term = [c for c in parts[1].children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        operator = str(term[0].children[0])
        left, right = self.evaluate(parts[0], None), self.evaluate(term[1], None)
        if left.unresolved is not None or right.unresolved is not None or left.children is not None \
                or right.children is not None:
            return self.unresolved(tree, address)
        value = _BINARY.get(operator, _unknown_operation)(left.scalar, right.scalar)
        if value is _UNKNOWN:
            return self.unresolved(tree, address)
        return Node(self.source, *_span(tree), None, value, address=address)

    def _conditional(self, tree, address):
        branches = [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        condition = self.evaluate(branches[0], None)
        if condition.unresolved is None and isinstance(condition.scalar, bool) and len(branches) == 3:
            return self.evaluate(branches[1] if condition.scalar else branches[2], address)
        return self.unresolved(tree, address)

    def _function_call(self, tree, address):
        from . import tf_values

        name = _name(tree.children[0])
        arguments = next((c for c in tree.children if isinstance(c, Tree) and c.data == "arguments"), None)
        if arguments is not None and any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children):
            return self.unresolved(tree, address)
        nodes = []
        for argument in (arguments.children if arguments is not None else []):
            if not isinstance(argument, Tree) or argument.data == "new_line_or_comment":
                continue
            node = self.evaluate(argument, None)
            if not _known(node):
                return self.unresolved(tree, address)
            nodes.append(node)
        if name == "concat" and all(node.is_list() for node in nodes):
            # Lists of rules joined: each element keeps the position it was written at.
            elements = [element for node in nodes for element in node.elements()]
            return Node(self.source, *_span(tree), [readdress(e, _index(address, i)) for i, e in enumerate(elements)],
                        address=address)
        values = [node.value for node in nodes]
        try:
            result = tf_values.call(name, values)
        except tf_values.Unknown:
            return self.unresolved(tree, address)
        return from_value(result, self.source, *_span(tree), address)

    def _for_tuple_expr(self, tree, address):
        return self._for(tree, address, as_object=False)

    def _for_object_expr(self, tree, address):
        return self._for(tree, address, as_object=True)

    def _for(self, tree, address, as_object: bool):
        """``[for k, v in coll : body if cond]`` / ``{for … : key => value}`` over a known
        collection; each item keeps the position of what it was made from."""
        intro = next(c for c in tree.children if isinstance(c, Tree) and c.data == "for_intro")
        names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        collection_tree = [c for c in intro.children if isinstance(c, Tree) and c.data != "identifier"
                           and c.data != "new_line_or_comment"][-1]
        rest = [c for c in tree.children if isinstance(c, Tree) and c.data not in ("for_intro", "new_line_or_comment")]
        condition = next((c for c in rest if c.data == "for_cond"), None)
        bodies = [c for c in rest if c.data != "for_cond"]
        if any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in tree.children):
            return self.unresolved(tree, address)  # grouping mode: rare, not evaluated
        pairs = _pairs(self.evaluate(collection_tree, None))
        if pairs is None or len(bodies) != (2 if as_object else 1):
            return self.unresolved(tree, address)
        saved = self.env
        items: list[Node] = []
        keyed: dict[str, Node] = {}
        try:
            for key, value in pairs:
                self.env = dict(saved)
                if len(names) == 2:
                    self.env[names[0]], self.env[names[1]] = key, value
                else:
                    self.env[names[0]] = value
                if condition is not None:
                    test_tree = [c for c in condition.children if isinstance(c, Tree) and c.data != "new_line_or_comment"][0]
                    test = self.evaluate(test_tree, None)
                    if test.unresolved is not None or not isinstance(test.scalar, bool):
                        return self.unresolved(tree, address)
                    if not test.scalar:
                        continue
                if as_object:
                    key_node = self.evaluate(bodies[0], None)
                    text = _scalar_text(key_node)
                    if text is None:
                        return self.unresolved(tree, address)
                    keyed[text] = self.evaluate(bodies[1], _join(address, text))
                else:
                    items.append(self.evaluate(bodies[0], _index(address, len(items))))
        finally:
            self.env = saved
        return Node(self.source, *_span(tree), keyed if as_object else items, address=address)


_RULES_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|r(#*)".*?"\1|[^"r]+|r', re.S)


def _inside_rules_string(prefix: str) -> bool:
    """True when ``prefix`` (the start of a Rules language expression) ends inside a quoted
    string literal: what follows is a string's content, whatever it is."""
    position = 0
    while position < len(prefix):
        match = _RULES_STRING.match(prefix, position)
        if match is None or match.end() == position:
            return True  # an opening quote that is not closed
        position = match.end()
    return False


def _placeholder(written: str) -> str:
    """What stands for an unknown ``${…}`` inside a Rules language string: its own text, of
    the same length (positions after it still map), with the characters that would end or
    escape the string replaced."""
    return written.replace('"', "'").replace("\\", "/")


# Attributes the provider types as strings: Terraform converts a bool written there to "true".
_STRING_ATTRIBUTES = frozenset({"expression"})


def _as_string_attribute(name: str, node: Node) -> Node:
    """``expression = true`` is the expression ``true`` to Terraform (a string attribute)."""
    if name in _STRING_ATTRIBUTES and node.unresolved is None and isinstance(node.scalar, bool) and node.children is None:
        text = "true" if node.scalar else "false"
        converted = Node(node.source, node.start, node.end, None, text, address=node.address)
        if node.end is not None and node.start is not None and node.end - node.start == len(text):
            converted.content_offset = node.start  # written verbatim: positions map one to one
        converted.key_start = node.key_start
        return converted
    return node


_UNKNOWN = object()


def _unknown_operation(left: Any, right: Any) -> Any:
    return _UNKNOWN


def _numbers(operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(left: Any, right: Any) -> Any:
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in (left, right)):
            return _UNKNOWN
        try:
            return operation(left, right)
        except ArithmeticError:
            return _UNKNOWN

    return apply


def _booleans(operation: Callable[[bool, bool], bool]) -> Callable[[Any, Any], Any]:
    def apply(left: Any, right: Any) -> Any:
        if not (isinstance(left, bool) and isinstance(right, bool)):
            return _UNKNOWN
        return operation(left, right)

    return apply


def _same(left: Any, right: Any) -> bool:
    """Terraform's ``==``: equal values of the same type (``1 == "1"`` is false, ``1 == 1.0`` true)."""
    def kind(value: Any) -> str:
        return "bool" if isinstance(value, bool) else "number" if isinstance(value, (int, float)) else type(value).__name__

    return kind(left) == kind(right) and left == right


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda left, right: _same(left, right),
    "!=": lambda left, right: not _same(left, right),
    "&&": _booleans(lambda left, right: left and right),
    "||": _booleans(lambda left, right: left or right),
    "+": _numbers(lambda left, right: left + right),
    "-": _numbers(lambda left, right: left - right),
    "*": _numbers(lambda left, right: left * right),
    "<": _numbers(lambda left, right: left < right),
    ">": _numbers(lambda left, right: left > right),
    "<=": _numbers(lambda left, right: left <= right),
    ">=": _numbers(lambda left, right: left >= right),
}


def _scalar_text(node: Node | None) -> str | None:
    """How Terraform writes a known scalar inside a string (None when not known or a container)."""
    if node is None or node.unresolved is not None or node.children is not None:
        return None
    value = node.scalar
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _known(node: Node) -> bool:
    """True when ``node`` and everything in it is resolved."""
    if node.unresolved is not None:
        return False
    if node.is_dict():
        return all(_known(child) for _, child in node.items())
    if node.is_list():
        return all(_known(child) for child in node.elements())
    return True


def _pairs(collection: Node | None) -> list[tuple[Node, Node]] | None:
    """(key, value) nodes to iterate a known list (index, element) or map (key, value)."""
    if collection is None or collection.unresolved is not None:
        return None
    if collection.is_list():
        return [(Node(e.source, e.start, e.end, None, i), e) for i, e in enumerate(collection.elements())]
    if collection.is_dict():
        return [(Node(v.source, v.start, v.end, None, k), v) for k, v in collection.items() if k != "__labels__"]
    return None


def instance_keys(evaluator: Evaluator, tree, meta: str) -> list[tuple[str, Node]] | None:
    """(address key, ``each`` / ``count`` object) of each instance a known ``for_each`` map or
    set, or a known ``count``, makes (None when not known statically)."""
    collection = evaluator.evaluate(tree, None)
    if collection.unresolved is not None:
        return None
    if meta == "count":
        count = collection.scalar
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 1000:
            return None
        return [(str(index), Node(collection.source, collection.start, collection.end,
                                  {"index": Node(collection.source, collection.start, collection.end, None, index)}))
                for index in range(count)]
    if collection.is_dict():
        pairs = [(key, value) for key, value in collection.items() if key != "__labels__"]
    elif collection.is_list() and all(isinstance(e.scalar, str) and e.unresolved is None for e in collection.elements()):
        pairs = [(e.scalar, e) for e in collection.elements()]  # a set of strings: each.key = each.value
    else:
        return None
    instances = []
    for key, value in pairs:
        key_node = Node(value.source, value.start, value.end, None, key)
        each = Node(value.source, value.start, value.end, {"key": key_node, "value": value})
        instances.append((json.dumps(key), each))
    return instances


def from_value(value: Any, source: SourceFile, start: int, end: int, address: str | None) -> Node:
    """A node for a computed value (a function's result), located at the call."""
    if isinstance(value, dict):
        return Node(source, start, end, {str(k): from_value(v, source, start, end, _join(address, str(k)))
                                       for k, v in value.items()}, address=address)
    if isinstance(value, list):
        return Node(source, start, end, [from_value(v, source, start, end, _index(address, i))
                                       for i, v in enumerate(value)], address=address)
    return Node(source, start, end, None, value, address=address)


def readdress(node: Node, address: str | None) -> Node:
    """A copy of ``node`` (and its children) named by ``address``: a value written in a local,
    a variable or a module argument keeps its position (that is where to change it) and takes
    the address of where it is used."""
    if isinstance(node.children, dict):
        children: Any = {key: readdress(child, _join(address, key)) for key, child in node.children.items()}
    elif isinstance(node.children, list):
        children = [readdress(child, _index(address, i)) for i, child in enumerate(node.children)]
    else:
        children = None
    copy = Node(node.source, node.start, node.end, children, node.scalar, address=address,
                quoting=node.quoting, content_offset=node.content_offset, heredoc_indent=node.heredoc_indent,
                unresolved=node.unresolved)
    copy.blocks = node.blocks
    copy.key_start = node.key_start
    return copy


def _append_block(children: dict[str, Node], block_type: str, node: Node, item: Tree, source: SourceFile,
                  address: str | None) -> None:
    existing = children.get(block_type)
    if existing is None or not existing.blocks:
        existing = Node(source, *_span(item), [], address=_join(address, block_type))
        existing.blocks = True
        children[block_type] = existing
    existing.children.append(node)
    existing.end = max(existing.end or 0, node.end or 0)


def _block_count(children: dict[str, Node], block_type: str) -> int:
    existing = children.get(block_type)
    return len(existing.children) if existing is not None and existing.blocks else 0


def _identifier_of(tree) -> str | None:
    """The name when ``tree`` is a bare identifier (``var``, ``local``, ``each``…)."""
    while isinstance(tree, Tree) and tree.data == "expr_term" and len(tree.children) == 1:
        tree = tree.children[0]
    if isinstance(tree, Tree) and tree.data == "identifier":
        return str(tree.children[0])
    return None


def _index(address: str | None, index: int) -> str | None:
    return f"{address}[{index}]" if address else None


def _blocks(block: Tree):
    body = next(c for c in block.children if isinstance(c, Tree) and c.data == "body")
    for item in body.children:
        if isinstance(item, Tree) and item.data == "block":
            labels = [_label(c) for c in item.children[1:] if isinstance(c, Tree) and c.data in ("string", "identifier")]
            yield _name(item.children[0]), labels, item


def _span(tree) -> tuple[int, int]:
    if isinstance(tree, Token):
        return tree.start_pos, tree.end_pos
    meta = tree.meta
    if getattr(meta, "empty", True):
        return 0, 0
    return meta.start_pos, meta.end_pos


def _name(tree) -> str:
    if isinstance(tree, Token):
        return str(tree)
    if tree.data == "string":
        return "".join(str(p.children[0]) for p in tree.children if isinstance(p, Tree))
    return str(tree.children[0])


def attribute_name(attribute: Tree) -> str:
    """The name of an ``attribute`` tree (``name = value``)."""
    return _name(attribute.children[0])


def _label(tree) -> str:
    return _name(tree)


def _join(address: str | None, name: str) -> str | None:
    return f"{address}.{name}" if address else None


def top_level_blocks(tree: Tree):
    """(block type, labels, lark block) of every top-level block."""
    body = tree.children[0]
    for item in body.children:
        if isinstance(item, Tree) and item.data == "block":
            labels = [_label(c) for c in item.children[1:] if isinstance(c, Tree) and c.data in ("string", "identifier")]
            yield _name(item.children[0]), labels, item


def block_attributes(block: Tree) -> dict[str, Tree]:
    body = next(c for c in block.children if isinstance(c, Tree) and c.data == "body")
    return {
        _name(item.children[0]): item.children[2]
        for item in body.children
        if isinstance(item, Tree) and item.data == "attribute"
    }
