"""Terraform HCL to located ``Node`` trees, evaluated over tree-sitter-hcl syntax trees.

What can be known without running Terraform is evaluated: literals, strings (HCL escapes
decoded, ``${…}`` substituted when known), heredocs, lists, objects, blocks, ``var.x`` (module
argument, tfvars or default), ``local.x``, attribute and index access, ``for`` expressions,
conditionals with a known condition, pure string functions (``tf_values``) and provider v4
``dynamic`` blocks. Anything else (resource attributes, data sources, unknown functions)
becomes a node with ``unresolved`` set to its source text. Nesting is bounded (``MAX_DEPTH``).

The syntax nodes are tree-sitter's (``hcl_syntax``): their offsets are bytes, every position
here goes through ``Syntax.span`` to become characters. tree-sitter flattens an operand's
postfix chain (``each.value.id`` is ``variable_expr get_attr get_attr``) into its parent, so
an operand is evaluated as a run of sibling nodes (``_operand``), not as one node.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Callable

from ..findings import UNRESOLVED_INTERPOLATION, UNRESOLVED_TERRAFORM
from ..model.sources import SourceFile
from .hcl_syntax import Syntax
from .nodes import Node

_HCL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
# What a literal piece of a quoted string holds besides plain characters: ``$${`` and ``%%{``
# (a written ``${`` / ``%{``) and backslash escapes.
_LITERAL_ESCAPE = re.compile(r"\$\$\{|%%\{[^}]*\}|\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)
_HEREDOC_INTERPOLATION = re.compile(r"(?<!\$)\$\{([^}]*)\}")


def _escape(match: re.Match) -> str:
    if match.group(1) or match.group(2):
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\uFFFD"  # beyond Unicode: Terraform rejects it
    return _HCL_ESCAPES.get(match.group(3), "\\" + match.group(3))


def _decode_literal(raw: str) -> str:
    """The value of a literal piece of a quoted string as written (``raw``)."""
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw

    def replace(match: re.Match) -> str:
        written = match.group()
        if written[0] != "\\":
            return written[1:]  # $${ -> ${, %%{…} -> %{…}
        return _escape(match)

    return _LITERAL_ESCAPE.sub(replace, raw)


# Deeper than any Cloudflare object written by hand: a bound, so a hostile file is one finding.
MAX_DEPTH = 100
UNRESOLVED_TERRAFORM = UNRESOLVED_TERRAFORM
UNRESOLVED_INTERPOLATION = UNRESOLVED_INTERPOLATION

# Binary operators of HCL (tree-sitter gives each as an anonymous node of that type).
_OPERATORS = frozenset({"==", "!=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "<=", ">="})
# Nodes that only wrap one expression.
_WRAPPERS = frozenset({"literal_value", "collection_value", "template_expr", "for_expr", "operation"})


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
    A declaration is kept as (syntax of its file, expression node): it keeps that file's tree
    alive only while this scope lives.
    """

    def __init__(self, notes: Notes | None = None) -> None:
        self.variables: dict[str, tuple[Syntax, Any]] = {}  # name -> default expression
        self.values: dict[str, Node] = {}  # name -> value given by tfvars or a module call
        self.locals: dict[str, tuple[Syntax, Any]] = {}
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
        declared = table.get(name)
        if declared is None or key in self._busy:
            return None
        syntax, expression = declared
        self._busy.add(key)
        try:
            node = Evaluator(self.file_of[key], self, syntax).evaluate(expression, key)
        except TooDeep:
            return None  # not cached: the same local may be read from a shallower place
        finally:
            self._busy.discard(key)
        result = None if node.unresolved else node
        self._cache[key] = result
        return result


def _significant(node) -> list:
    """The children of ``node`` without comments."""
    return [child for child in node.children if child.type != "comment"]


class Evaluator:
    """Evaluates the HCL of one file to located ``Node`` trees. ``env`` binds the names a
    ``for`` expression or a ``dynamic`` block introduces."""

    def __init__(self, source: SourceFile, scope: Scope, syntax: Syntax) -> None:
        self.source = source
        self.text = source.text
        self.scope = scope
        self.span = syntax.span
        self.env: dict[str, Node] = {}

    # -- helpers ----------------------------------------------------------------------------
    def written(self, tree) -> str:
        """The text of ``tree`` as written in the file."""
        start, end = self.span(tree)
        return self.text[start:end]

    def unresolved(self, tree, address: str | None) -> Node:
        start, end = self.span(tree)
        return self._unresolved_span(start, end, address)

    def _unresolved_span(self, start: int, end: int, address: str | None) -> Node:
        return Node(self.source, start, end, None, None, address=address, unresolved=self.text[start:end].strip())

    def _deeper(self) -> None:
        self.scope.depth += 1
        if self.scope.depth > MAX_DEPTH:
            self.scope.depth -= 1
            raise TooDeep()

    # -- blocks -----------------------------------------------------------------------------
    def body(self, body, address: str | None, start: int, end: int) -> Node:
        self._deeper()
        try:
            return self._body(body, address, start, end)
        finally:
            self.scope.depth -= 1

    def _body(self, body, address: str | None, start: int, end: int) -> Node:
        children: dict[str, Node] = {}
        for item in (body.children if body is not None else ()):
            kind = item.type
            if kind == "attribute":
                name = _name(item.child(0))
                value = _as_string_attribute(name, self.evaluate(_attribute_value(item), _join(address, name)))
                children[name] = self._keyed(value, item)
            elif kind == "block":
                block_type, labels = _block_head(item)
                if block_type == "dynamic" and labels:
                    for node in self._dynamic(item, labels[0], address):
                        _append_block(children, labels[0], node, self.span(item), self.source, address)
                    continue
                index = _block_count(children, block_type)
                node = self.block(item, f"{_join(address, block_type)}[{index}]")
                if labels:
                    node.children["__labels__"] = Node(self.source, node.start, node.start, None, labels)
                _append_block(children, block_type, node, self.span(item), self.source, address)
        return Node(self.source, start, end, children, address=address)

    def block(self, block, address: str | None) -> Node:
        start, end = self.span(block)
        return self.body(_block_body(block), address, start, end)

    def _dynamic(self, block, label: str, address: str | None) -> list[Node]:
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
            where = Node(self.source, *self.span(block), None, None, address=f"{_join(address, label)}")
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
        kind = tree.type
        if kind == "expression":
            if tree.child_count != 1:
                return self._operand(_significant(tree), address)
            tree = tree.child(0)
            kind = tree.type
        while kind in _WRAPPERS:
            tree = tree.child(0) if tree.child_count == 1 else _significant(tree)[0]
            kind = tree.type
        handler: Callable | None = _HANDLERS.get(kind)
        if handler is None:
            return self.unresolved(tree, address)
        return handler(self, tree, address)

    def _operand(self, parts: list, address: str | None) -> Node:
        """The value of a run of sibling nodes: a term (or ``( expression )``) and the attribute
        accesses and indexes after it."""
        if not parts:
            return self._unresolved_span(0, 0, address)
        if parts[0].type == "(":
            close = next((i for i, part in enumerate(parts) if part.type == ")"), len(parts))
            base_parts, rest = parts[1:close], parts[close + 1:]
            if not rest:
                return self._operand(base_parts, address)
            base = self._operand(base_parts, None)
        else:
            rest = parts[1:]
            if not rest:
                return self._evaluate(parts[0], address)
            base = None
        start, end = self.span(parts[0])[0], self.span(parts[-1])[1]
        first = rest[0]
        if base is None:
            term = parts[0]
            if first.type == "get_attr" and term.type == "variable_expr":
                root = _text(term.named_children[0])
                if root in ("var", "local") and root not in self.env:
                    node = self.scope.lookup(root, _text(first.named_children[0]))
                    if node is None:
                        # ``var.x.y`` when var.x is unknown: all of it is unresolved
                        return self._unresolved_span(start, end, address)
                    base = node
                    rest = rest[1:]
            if base is None:
                base = self.evaluate(term, None)
        value = base
        for operation in rest:
            if value.unresolved is not None:
                return self._unresolved_span(start, end, address)
            value = self._access(value, operation)
            if value is None:
                return self._unresolved_span(start, end, address)
        return readdress(value, address)

    def _access(self, value: Node, operation) -> Node | None:
        """``value.name`` / ``value[key]`` / ``value.0`` (None when not known)."""
        kind = operation.type
        if kind == "get_attr":
            return value.get(_text(operation.named_children[0]))
        if kind != "index":
            return None  # a splat: not evaluated
        index = operation.named_children[0]
        if index.type == "legacy_index":  # ``list.0``
            digits = _text(index)[1:]
            key: Any = int(digits) if digits.isdigit() and len(digits) < 20 else None
        else:
            key_node = self.evaluate(index.named_children[0], None)
            key = key_node.scalar if key_node.unresolved is None else None
        if value.is_list() and isinstance(key, int) and not isinstance(key, bool):
            elements = value.elements()
            return elements[key] if -len(elements) <= key < len(elements) else None
        if value.is_dict() and isinstance(key, str):
            return value.get(key)
        return None

    def _numeric_lit(self, tree, address):
        written = _text(tree)
        if written.isdigit():
            try:
                value: Any = int(written)
            except ValueError:  # more digits than Python converts (4,300): no Cloudflare value is
                return self.unresolved(tree, address)
        else:
            try:
                value = float(written)
            except ValueError:
                return self.unresolved(tree, address)
        return Node(self.source, *self.span(tree), None, value, address=address)

    def _bool_lit(self, tree, address):
        return Node(self.source, *self.span(tree), None, _text(tree) == "true", address=address)

    def _null_lit(self, tree, address):
        return Node(self.source, *self.span(tree), None, None, address=address)

    def _unary_operation(self, tree, address):
        parts = _significant(tree)
        operator, operand = parts[0].type, self._operand(parts[1:], None)
        value = operand.scalar
        start, end = self.span(tree)
        if operand.unresolved is None and operand.children is None and operator == "-" \
                and isinstance(value, (int, float)) and not isinstance(value, bool):
            return Node(self.source, start, end, None, -value, address=address)
        if operand.unresolved is None and operand.children is None and operator == "!" and isinstance(value, bool):
            return Node(self.source, start, end, None, not value, address=address)
        return self.unresolved(tree, address)

    def _tuple(self, tree, address):
        items = [c for c in tree.children if c.type == "expression"]
        children = [self.evaluate(item, _index(address, i)) for i, item in enumerate(items)]
        return Node(self.source, *self.span(tree), children, address=address)

    def _object(self, tree, address):
        children: dict[str, Node] = {}
        for elem in tree.children:
            if elem.type != "object_elem":
                continue
            if elem.child_count == 3:  # key = value (no comment inside)
                key_tree, value_tree = elem.child(0), elem.child(2)
            else:
                key_tree, value_tree = [c for c in elem.children if c.type == "expression"]
            key = self._key(key_tree)
            if key is None:
                return self.unresolved(tree, address)
            value = _as_string_attribute(key, self.evaluate(value_tree, _join(address, key)))
            children[key] = self._keyed(value, elem)
        return Node(self.source, *self.span(tree), children, address=address)

    def _keyed(self, node: Node, written) -> Node:
        """Remember where ``name = value`` starts, when the value is written right there (a
        resolved ``var.x`` keeps the position of its default)."""
        start, end = self.span(written)
        if node.source is self.source and node.start is not None and start <= node.start < end:
            node.key_start = start
        return node

    def _key(self, key_tree) -> str | None:
        """An object key: a bare name (``a = …``, also ``true = …``) is that name, anything else
        is evaluated and must be a known string."""
        if key_tree.child_count == 1:
            term = key_tree.child(0)
            if term.type == "variable_expr":
                return _name(term)
            if term.type == "literal_value" and term.named_children[0].type in ("bool_lit", "null_lit"):
                return _name(term)
        node = self.evaluate(key_tree, None)
        return node.scalar if isinstance(node.scalar, str) and not node.unresolved else None

    def _string_lit(self, tree, address):
        """A quoted string without ``${…}`` or ``%{…}``."""
        start, end = self.span(tree)
        node = Node(self.source, start, end, None, _shared(_decode_literal(self.text[start + 1:end - 1])), address=address)
        node.quoting = "hcl"
        node.content_offset = start + 1
        return node

    def _string(self, tree, address):
        start, end = self.span(tree)
        text_of = self.text
        parts: list[str] = []
        literal = True
        exact = True  # every character maps one to one onto the file (positions hold)
        unresolved: list[str] = []
        kept: list[str] = []
        position = start + 1
        for part in tree.children:
            kind = part.type
            if kind != "template_interpolation" and kind != "template_directive":
                continue
            part_start, part_end = self.span(part)
            if part_start > position:
                parts.append(_decode_literal(text_of[position:part_start]))
            position = part_end
            literal = False
            written = text_of[part_start:part_end]
            if kind == "template_interpolation":
                inner = self.evaluate(next(c for c in part.children if c.type == "expression"), None)
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
        if end - 1 > position:
            parts.append(_decode_literal(text_of[position:end - 1]))
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

    def _heredoc_template(self, tree, address):
        start, end = self.span(tree)
        # The heredoc ends with the line break after its closing marker.
        if self.text.startswith("\r\n", end):
            end += 2
        elif self.text.startswith("\n", end):
            end += 1
        raw = self.text[start:end]
        trim = raw.startswith("<<-")
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

    # -- references -------------------------------------------------------------------------
    def _variable_expr(self, tree, address):
        bound = self.env.get(_text(tree))
        if bound is not None:
            return readdress(bound, address)
        return self.unresolved(tree, address)

    def _binary_operation(self, tree, address):
        """Comparisons, ``&&`` / ``||`` and arithmetic on known scalars (``for`` conditions)."""
        parts = _significant(tree)
        split = next((i for i, part in enumerate(parts) if not part.is_named and part.type in _OPERATORS), None)
        if split is None:
            return self.unresolved(tree, address)
        operator = parts[split].type
        left, right = self._operand(parts[:split], None), self._operand(parts[split + 1:], None)
        if left.unresolved is not None or right.unresolved is not None or left.children is not None \
                or right.children is not None:
            return self.unresolved(tree, address)
        value = _BINARY.get(operator, _unknown_operation)(left.scalar, right.scalar)
        if value is _UNKNOWN:
            return self.unresolved(tree, address)
        return Node(self.source, *self.span(tree), None, value, address=address)

    def _conditional(self, tree, address):
        branches = [c for c in tree.children if c.type == "expression"]
        condition = self.evaluate(branches[0], None)
        if condition.unresolved is None and isinstance(condition.scalar, bool) and len(branches) == 3:
            return self.evaluate(branches[1] if condition.scalar else branches[2], address)
        return self.unresolved(tree, address)

    def _function_call(self, tree, address):
        from . import tf_values

        children = tree.children
        name = _text(children[0])
        arguments = next((c for c in children if c.type == "function_arguments"), None)
        argument_nodes = arguments.children if arguments is not None else []
        if any(c.type == "ellipsis" for c in argument_nodes):
            return self.unresolved(tree, address)
        nodes = []
        for argument in argument_nodes:
            if argument.type != "expression":
                continue
            node = self.evaluate(argument, None)
            if not _known(node):
                return self.unresolved(tree, address)
            nodes.append(node)
        if name == "concat" and all(node.is_list() for node in nodes):
            # Lists of rules joined: each element keeps the position it was written at.
            elements = [element for node in nodes for element in node.elements()]
            return Node(self.source, *self.span(tree), [readdress(e, _index(address, i)) for i, e in enumerate(elements)],
                        address=address)
        values = [node.value for node in nodes]
        try:
            result = tf_values.call(name, values)
        except tf_values.Unknown:
            return self.unresolved(tree, address)
        return from_value(result, self.source, *self.span(tree), address)

    def _for_tuple_expr(self, tree, address):
        return self._for(tree, address, as_object=False)

    def _for_object_expr(self, tree, address):
        return self._for(tree, address, as_object=True)

    def _for(self, tree, address, as_object: bool):
        """``[for k, v in coll : body if cond]`` / ``{for … : key => value}`` over a known
        collection; each item keeps the position of what it was made from."""
        children = tree.children
        intro = next(c for c in children if c.type == "for_intro")
        intro_parts = intro.children
        names = [_text(c) for c in intro_parts if c.type == "identifier"]
        collection_tree = next(c for c in intro_parts if c.type == "expression")
        condition = next((c for c in children if c.type == "for_cond"), None)
        bodies = [c for c in children if c.type == "expression"]
        if any(c.type == "ellipsis" for c in children):
            return self.unresolved(tree, address)  # grouping mode: rare, not evaluated
        pairs = _pairs(self.evaluate(collection_tree, None))
        if pairs is None or len(bodies) != (2 if as_object else 1):
            return self.unresolved(tree, address)
        test_tree = next(c for c in condition.children if c.type == "expression") if condition is not None else None
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
                if test_tree is not None:
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
        return Node(self.source, *self.span(tree), keyed if as_object else items, address=address)


_HANDLERS: dict[str, Callable] = {
    "numeric_lit": Evaluator._numeric_lit,
    "bool_lit": Evaluator._bool_lit,
    "null_lit": Evaluator._null_lit,
    "string_lit": Evaluator._string_lit,
    "quoted_template": Evaluator._string,
    "heredoc_template": Evaluator._heredoc_template,
    "tuple": Evaluator._tuple,
    "object": Evaluator._object,
    "variable_expr": Evaluator._variable_expr,
    "function_call": Evaluator._function_call,
    "for_tuple_expr": Evaluator._for_tuple_expr,
    "for_object_expr": Evaluator._for_object_expr,
    "unary_operation": Evaluator._unary_operation,
    "binary_operation": Evaluator._binary_operation,
    "conditional": Evaluator._conditional,
}


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




def _append_block(children: dict[str, Node], block_type: str, node: Node, span: tuple[int, int], source: SourceFile,
                  address: str | None) -> None:
    existing = children.get(block_type)
    if existing is None or not existing.blocks:
        existing = Node(source, *span, [], address=_join(address, block_type))
        existing.blocks = True
        children[block_type] = existing
    existing.children.append(node)
    existing.end = max(existing.end or 0, node.end or 0)


def _block_count(children: dict[str, Node], block_type: str) -> int:
    existing = children.get(block_type)
    return len(existing.children) if existing is not None and existing.blocks else 0


def _index(address: str | None, index: int) -> str | None:
    return f"{address}[{index}]" if address else None


def _join(address: str | None, name: str) -> str | None:
    return f"{address}.{name}" if address else None


# -- syntax tree shapes ----------------------------------------------------------------------

def _text(node) -> str:
    """The text of a node that holds no character beyond ASCII-safe names (identifiers,
    operators, numbers): its bytes decoded."""
    return node.text.decode("utf-8")


def _name(node) -> str:
    """An attribute, object key or block name: interned, because the model keeps it as a key of
    every rule's ``raw`` (100,000 rules would otherwise hold 100,000 copies of "expression")."""
    return sys.intern(node.text.decode("utf-8"))


# Literal strings up to this length are interned (``_shared``).
_SHARED_LENGTH = 40


def _shared(value: str) -> str:
    """A quoted literal's value, interned when short: actions, phases, kinds and the like are
    written on every rule and kept in its ``raw`` (about 3 MB at 10,000 rules otherwise); long
    values (expressions, descriptions) are mostly unique and are left alone."""
    return sys.intern(value) if len(value) <= _SHARED_LENGTH else value


def _label(node) -> str:
    """A block label: an identifier, or a quoted string's characters as written."""
    if node.type == "string_lit":
        return node.text.decode("utf-8")[1:-1]
    return _text(node)


def _block_head(block) -> tuple[str, list[str]]:
    """(type, labels) of a ``type "label" … {`` block."""
    block_type = None
    labels = []
    for child in block.children:
        kind = child.type
        if kind == "identifier" or kind == "string_lit":
            if block_type is None:
                block_type = _name(child)
            else:
                labels.append(_label(child))
        elif kind == "block_start":
            break
    return block_type or "", labels


def _block_body(block):
    """The ``body`` of a block (None when the block is empty: ``x {}``)."""
    for child in block.children:
        if child.type == "body":
            return child
    return None


def _attribute_value(attribute):
    """The expression of an ``attribute`` (``name = expression``)."""
    if attribute.child_count == 3:
        return attribute.child(2)
    for child in attribute.children:
        if child.type == "expression":
            return child
    raise ValueError("attribute without a value")


def _blocks(block):
    body = _block_body(block)
    for item in (body.children if body is not None else ()):
        if item.type == "block":
            block_type, labels = _block_head(item)
            yield block_type, labels, item


def attribute_name(attribute) -> str:
    """The name of an ``attribute`` node (``name = value``)."""
    return _text(attribute.children[0])


def attributes(body) -> list[tuple[str, Any]]:
    """(name, expression) of each attribute of a body node (a file's top level for tfvars)."""
    return [(attribute_name(item), _attribute_value(item)) for item in (body.children if body is not None else ())
            if item.type == "attribute"]


def file_body(syntax: Syntax):
    """The top-level body of a parsed file (None for a file with no item)."""
    return next((child for child in syntax.root.children if child.type == "body"), None)


def top_level_blocks(syntax: Syntax):
    """(block type, labels, block node) of every top-level block."""
    body = file_body(syntax)
    for item in (body.children if body is not None else ()):
        if item.type == "block":
            block_type, labels = _block_head(item)
            yield block_type, labels, item


def block_attributes(block) -> dict[str, Any]:
    return dict(attributes(_block_body(block)))


def literal_string(expression) -> str | None:
    """The characters of ``expression`` when it is one quoted string without ``${…}``, as
    written (a module's ``source``); else None."""
    if expression is None:
        return None
    parts = _significant(expression)
    if len(parts) == 1 and parts[0].type == "literal_value":
        value = parts[0].named_children[0]
        if value.type == "string_lit":
            return _label(value)
    return None
