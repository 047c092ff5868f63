"""Terraform HCL to located ``Node`` trees, using python-hcl2's Lark parse tree for positions.

Only what can be known without running Terraform is evaluated: literals, strings (HCL escapes
decoded), heredocs (``<<-`` indentation removed), lists, objects, blocks, ``var.x`` with a
literal default and ``local.x``. Anything else (functions, conditionals, resource attributes)
becomes a node with ``unresolved`` set to its source text.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from lark import Token, Tree

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


class Scope:
    """Resolves ``var.x`` / ``local.x`` to literal nodes (None when unknown)."""

    def __init__(self) -> None:
        self.variables: dict[str, Any] = {}  # name -> lark default expression
        self.locals: dict[str, Any] = {}
        self._cache: dict[str, Node | None] = {}
        self._busy: set[str] = set()
        self.evaluator: "Evaluator | None" = None
        self.file_of: dict[str, str] = {}
        self.texts: dict[str, str] = {}

    def lookup(self, kind: str, name: str) -> Node | None:
        key = f"{kind}.{name}"
        if key in self._cache:
            return self._cache[key]
        table = self.variables if kind == "var" else self.locals
        tree = table.get(name)
        if tree is None or key in self._busy:
            return None
        self._busy.add(key)
        try:
            node = Evaluator(self.file_of[key], self.evaluator_text(key), self).evaluate(tree, key)
        finally:
            self._busy.discard(key)
        result = None if node.unresolved else node
        self._cache[key] = result
        return result

    def evaluator_text(self, key: str) -> str:
        return self.texts[self.file_of[key]]


class Evaluator:
    def __init__(self, file: str, text: str, scope: Scope) -> None:
        self.file = file
        self.text = text
        self.scope = scope

    # -- helpers ----------------------------------------------------------------------------
    def source(self, tree) -> str:
        start, end = _span(tree)
        return self.text[start:end]

    def unresolved(self, tree, address: str | None) -> Node:
        start, end = _span(tree)
        return Node(self.file, start, end, None, None, address=address, unresolved=self.text[start:end].strip())

    # -- blocks -----------------------------------------------------------------------------
    def body(self, body: Tree, address: str | None, start: int, end: int) -> Node:
        children: dict[str, Node] = {}
        for item in body.children:
            if not isinstance(item, Tree):
                continue
            if item.data == "attribute":
                name = _name(item.children[0])
                children[name] = self._keyed(self.evaluate(item.children[2], _join(address, name)), item)
            elif item.data == "block":
                block_type = _name(item.children[0])
                labels = [_label(c) for c in item.children[1:] if isinstance(c, Tree) and c.data in ("string", "identifier")]
                existing = children.get(block_type)
                if existing is None or not existing.blocks:
                    existing = Node(self.file, *_span(item), [], address=_join(address, block_type))
                    existing.blocks = True
                    children[block_type] = existing
                index = len(existing.children)
                node = self.block(item, f"{_join(address, block_type)}[{index}]")
                if labels:
                    node.children["__labels__"] = Node(self.file, node.start, node.start, None, labels)
                existing.children.append(node)
                existing.end = node.end
        return Node(self.file, start, end, children, address=address)

    def block(self, block: Tree, address: str | None) -> Node:
        body = next(c for c in block.children if isinstance(c, Tree) and c.data == "body")
        start, end = _span(block)
        return self.body(body, address, start, end)

    # -- expressions ------------------------------------------------------------------------
    def evaluate(self, tree, address: str | None) -> Node:
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
        return Node(self.file, *_span(tree), None, value, address=address)

    def _float_lit(self, tree, address):
        return Node(self.file, *_span(tree), None, float(str(tree.children[0])), address=address)

    def _literal_value(self, tree, address):
        word = str(tree.children[0])
        return Node(self.file, *_span(tree), None, {"true": True, "false": False}.get(word), address=address)

    def _unary_op(self, tree, address):
        operator, operand = tree.children[0], self.evaluate(tree.children[1], address)
        value = operand.scalar
        start, end = _span(tree)
        if str(operator) == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return Node(self.file, start, end, None, -value, address=address)
        if str(operator) == "!" and isinstance(value, bool):
            return Node(self.file, start, end, None, not value, address=address)
        return self.unresolved(tree, address)

    def _tuple(self, tree, address):
        items = [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        children = [self.evaluate(item, f"{address}[{i}]") for i, item in enumerate(items)]
        return Node(self.file, *_span(tree), children, address=address)

    def _object(self, tree, address):
        children: dict[str, Node] = {}
        for elem in tree.children:
            if not (isinstance(elem, Tree) and elem.data == "object_elem"):
                continue
            key_tree = elem.children[0]
            key = self._key(key_tree)
            if key is None:
                return self.unresolved(tree, address)
            children[key] = self._keyed(self.evaluate(elem.children[2], _join(address, key)), elem)
        return Node(self.file, *_span(tree), children, address=address)

    def _keyed(self, node: Node, written: Tree) -> Node:
        """Remember where ``name = value`` starts, when the value is written right there (a
        resolved ``var.x`` keeps the position of its default)."""
        start, end = _span(written)
        if node.source is self.file and node.start is not None and start <= node.start < end:
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
        unresolved: list[str] = []
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
            if piece.data == "interpolation":
                inner = self.evaluate(piece.children[1], None)
                if inner.unresolved is None and isinstance(inner.scalar, (str, int, float)) and not isinstance(inner.scalar, bool):
                    parts.append(str(inner.scalar))
                    continue
                if inner.unresolved is None and isinstance(inner.scalar, bool):
                    parts.append("true" if inner.scalar else "false")
                    continue
            unresolved.append(self.source(piece))
            parts.append(self.source(piece))
        text = "".join(parts)
        node = Node(self.file, start, end, None, text, address=address)
        if unresolved:
            node.unresolved = ", ".join(unresolved)
        elif literal:
            node.quoting = "hcl"
            node.content_offset = start + 1
        return node

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

        def substitute(match: re.Match) -> str:
            reference = match.group(1).strip()
            kind, _, name = reference.partition(".")
            if kind in ("var", "local") and re.fullmatch(r"[A-Za-z_][\w-]*", name):
                node = self.scope.lookup(kind, name)
                if node is not None and isinstance(node.scalar, (str, int, float)):
                    return str(node.scalar)
            unresolved.append(match.group(0))
            return match.group(0)

        substituted = _HEREDOC_INTERPOLATION.sub(substitute, body)
        exact = substituted == body
        text = substituted.replace("$${", "${").replace("%%{", "%{")
        node = Node(self.file, start, end, None, text, address=address)
        if unresolved:
            node.unresolved = ", ".join(unresolved)
        elif exact:
            node.quoting = "heredoc"
            node.content_offset = start + body_start
            node.heredoc_indent = indent
        return node

    def _heredoc_template_trim(self, tree, address):
        return self._heredoc_template(tree, address, trim=True)

    def _get_attr_expr_term(self, tree, address):
        reference = self.source(tree).strip()
        parts = reference.split(".")
        if len(parts) == 2 and parts[0] in ("var", "local"):
            node = self.scope.lookup(parts[0], parts[1])
            if node is not None:
                start, end = _span(tree)
                copy = _relocated(node, address)
                return copy
        return self.unresolved(tree, address)


def _relocated(node: Node, address: str | None) -> Node:
    """A resolved variable keeps the position of its literal (that is where to change it)."""
    copy = Node(node.source, node.start, node.end, node.children, node.scalar, address=address,
                quoting=node.quoting, content_offset=node.content_offset, heredoc_indent=node.heredoc_indent)
    return copy


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
