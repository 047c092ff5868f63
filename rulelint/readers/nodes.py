"""One read-only tree interface over every input format, so the model is built by one code path.

A ``Node`` is a value (mapping, list or scalar) that knows where it was written: ``origin()``
gives file, line/column span, JSON pointer and/or Terraform address; ``expression()`` turns a
string node into a model ``Expression`` with what ``rulelint.positions`` needs. JSON nodes find
their positions lazily (``JsonNode``); Terraform nodes carry offsets from the HCL parse tree;
``Node`` itself is also used for values rebuilt while normalising Terraform shapes.
"""

from __future__ import annotations

from array import array
from typing import Any, Iterator

from ..model import Expression, Origin
from ..model.sources import SourceFile
from .field_origins import ABSENT, LocatedOrigins, origin_at
from .jsondoc import JsonDocument


class Node:
    """A located value. ``children`` is a dict or list of Nodes for containers, else None.

    ``source`` is the input the value was read from: offsets (``start``, ``end``) are into its
    text, and expressions made from the node carry it for ``rulelint.positions``.
    """

    __slots__ = (
        "source", "start", "end", "children", "scalar", "pointer", "address",
        "quoting", "content_offset", "heredoc_indent", "unresolved", "_value", "blocks", "key_start",
    )

    def __init__(
        self,
        source: SourceFile,
        start: int | None,
        end: int | None,
        children: dict[str, "Node"] | list["Node"] | None = None,
        scalar: Any = None,
        *,
        pointer: str | None = None,
        address: str | None = None,
        quoting: str = "none",
        content_offset: int | None = None,
        heredoc_indent: int = 0,
        unresolved: str | None = None,
    ) -> None:
        self.source = source
        self.start = start
        self.end = end
        self.children = children
        self.scalar = scalar
        self.pointer = pointer
        self.address = address
        self.quoting = quoting
        self.content_offset = content_offset
        self.heredoc_indent = heredoc_indent
        self.unresolved = unresolved
        self.blocks = False  # a list of repeated Terraform blocks (provider v4 syntax)
        # Terraform: offset of the attribute name written before this value (``name = value``).
        self.key_start: int | None = None
        self._value: Any = _UNSET

    @property
    def file(self) -> str:
        """The input's name, as findings report it."""
        return self.source.name

    # -- shape -----------------------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The plain Python value (dicts, lists, scalars), as kept in ``raw``."""
        if self._value is _UNSET:
            if isinstance(self.children, dict):
                self._value = {key: child.value for key, child in self.children.items()}
            elif isinstance(self.children, list):
                self._value = [child.value for child in self.children]
            else:
                self._value = self.scalar
        return self._value

    def is_dict(self) -> bool:
        return isinstance(self.children, dict)

    def is_list(self) -> bool:
        return isinstance(self.children, list)

    def get(self, key: str) -> "Node | None":
        if isinstance(self.children, dict):
            return self.children.get(key)
        return None

    def items(self) -> Iterator[tuple[str, "Node"]]:
        if isinstance(self.children, dict):
            yield from self.children.items()

    def elements(self) -> list["Node"]:
        return list(self.children) if isinstance(self.children, list) else []

    def _located(self) -> None:
        """Compute the position when it is lazy (JSON nodes)."""

    def with_children(self, children: dict | list) -> "Node":
        """A copy of this node's position holding other (normalised) children."""
        self._located()
        node = Node(self.source, self.start, self.end, children, pointer=self.pointer, address=self.address)
        node.key_start = self.key_start
        return node

    def with_scalar(self, scalar: Any) -> "Node":
        self._located()
        node = Node(self.source, self.start, self.end, None, scalar, pointer=self.pointer, address=self.address)
        node.key_start = self.key_start
        return node

    # -- positions -------------------------------------------------------------------------
    def origin(self) -> Origin:
        if self.start is None:
            return Origin.trusted(file=self.file, pointer=self.pointer, address=self.address)
        return origin_at(self.source, self.start, self.end, None, self.pointer, self.address)

    def field_origin(self) -> Origin:
        """Where this value is set: in Terraform the whole ``name = value`` attribute (from the
        name to the end of the value), in JSON the value itself."""
        self._located()
        if self.start is None:
            return self.origin()
        return origin_at(self.source, self.start, self.end, self.key_start, self.pointer, self.address)

    def field_origins(self, keys, known: dict[str, Origin] | None = None) -> dict[str, Origin]:
        """``field_origin()`` of each of ``keys`` present in this mapping (``known`` ones given),
        made when first read: only the values' offsets are kept (see ``LocatedOrigins``)."""
        keys = tuple(keys)
        offsets: list[int] = []
        overrides = None
        address = self.address
        for key in keys:
            child = self.get(key)
            if child is None:
                offsets += (ABSENT, ABSENT, ABSENT)
                continue
            child._located()
            start, end, key_start = child.start, child.end, child.key_start
            offsets += (-1 if start is None else start, -1 if end is None else end,
                        -1 if key_start is None else key_start)
            if child.source is not self.source or child.pointer is not None \
                    or child.address != (f"{address}.{key}" if address else None):
                overrides = overrides or {}
                overrides[key] = (child.source, child.pointer, child.address)
        if overrides is None and all(offset == ABSENT for offset in offsets):
            return {}
        typecode = "i" if max(offsets, default=0) < 2**31 else "q"
        return LocatedOrigins(self.source, address, keys, array(typecode, offsets), overrides, known)

    def expression(self, context: str = "filter") -> Expression | None:
        """This string node as a model ``Expression`` (None when it holds no string)."""
        text = self.value
        if self.unresolved is None and not isinstance(text, str):
            return None
        return Expression.trusted(
            text=text if isinstance(text, str) else "",
            context=context,
            origin=self.origin(),
            quoting=self.quoting,
            content_offset=self.content_offset,
            unresolved=self.unresolved,
            heredoc_indent=self.heredoc_indent,
            source=self.source,
        )


_UNSET = object()


class JsonNode(Node):
    """A node of a ``JsonDocument``; positions and children are computed when first asked.

    A node keeps only its parent and key: the JSON pointer and the span are derived from the
    parent's (each computed once per node), so making a node costs almost nothing.
    """

    __slots__ = ("doc", "parent", "key", "_bracket", "_done")

    def __init__(self, doc: JsonDocument, parent: "JsonNode | None", key: Any, value: Any,
                 address: str | None = None) -> None:
        self.doc = doc
        self.parent = parent
        self.key = key
        self._value = value
        self._done = False
        self._bracket = -1
        self.source = doc.source
        self.start = self.end = None
        self.scalar = None
        self.pointer = None
        self.address = address
        self.quoting = "json" if value.__class__ is str else "none"
        self.content_offset = None
        self.heredoc_indent = 0
        self.unresolved = None
        self.blocks = False
        self.key_start = None

    @classmethod
    def root(cls, doc: JsonDocument) -> "JsonNode":
        return cls(doc, None, None, doc.value)

    def readdressed(self, address: str | None) -> "JsonNode":
        """The same value and position under another Terraform address."""
        node = JsonNode(self.doc, self.parent, self.key, self._value, address)
        return node

    @property
    def path(self) -> tuple:
        parts = []
        node = self
        while node.parent is not None:
            parts.append(node.key)
            node = node.parent
        return tuple(reversed(parts))

    def _pointer(self) -> str:
        if self.pointer is None:
            if self.parent is None:
                self.pointer = ""
            else:
                key = self.key
                part = key.replace("~", "~0").replace("/", "~1") if key.__class__ is str else str(key)
                self.pointer = f"{self.parent._pointer()}/{part}"
        return self.pointer

    def _located(self) -> None:
        if self._done:
            return
        self._done = True
        self._pointer()
        doc = self.doc
        span = None
        parent = self.parent
        if parent is None:
            self._bracket = doc.root_bracket()
            span = doc.container_span(0) if self._bracket == 0 else doc.span(())
        else:
            parent._located()
            found = None
            if parent._bracket >= 0:
                if parent._value.__class__ is dict:
                    found = doc.member(parent._bracket, self.key, parent._value)
                else:
                    found = doc.element(parent._bracket, self.key, parent._value)
            if found is not None:
                span = found[:2]
                self._bracket = found[2]
            else:
                try:
                    span = doc.span(self.path)
                except RecursionError:  # absurdly deep input: known by its pointer only
                    span = None
        if span is not None:
            self.start, self.end = span
            if self._value.__class__ is str:
                self.content_offset = self.start + 1

    def origin(self) -> Origin:
        self._located()
        return super().origin()

    def expression(self, context: str = "filter") -> Expression | None:
        self._located()
        return super().expression(context)

    def field_origins(self, keys, known: dict[str, Origin] | None = None) -> dict[str, Origin]:
        """Origins of the values of ``keys`` present in this object (``known`` ones given),
        computed when first read (see ``field_origins.LazyOrigins``)."""
        values = self._value
        if not isinstance(values, dict):
            return {}
        present = self.doc.shared(tuple(key for key in keys if key in values))
        if not present:
            return {}
        self._located()
        if self.start is None:
            return super().field_origins(present, known)
        from .field_origins import LazyOrigins

        return LazyOrigins(self.source, self.start, self._pointer(), self.address, present, known)

    def _child(self, key: Any, value: Any) -> "JsonNode":
        address = None
        if self.address is not None:
            address = f"{self.address}[{key}]" if isinstance(key, int) else f"{self.address}.{key}"
        return JsonNode(self.doc, self, key, value, address)

    def is_dict(self) -> bool:
        return isinstance(self._value, dict)

    def is_list(self) -> bool:
        return isinstance(self._value, list)

    def get(self, key: str) -> "JsonNode | None":
        if isinstance(self._value, dict) and key in self._value:
            return self._child(key, self._value[key])
        return None

    def items(self) -> Iterator[tuple[str, "JsonNode"]]:
        if isinstance(self._value, dict):
            for key, value in self._value.items():
                yield key, self._child(key, value)

    def elements(self) -> list["JsonNode"]:
        if isinstance(self._value, list):
            return [self._child(index, value) for index, value in enumerate(self._value)]
        return []

    @property
    def children(self):  # type: ignore[override]
        if isinstance(self._value, dict):
            return dict(self.items())
        if isinstance(self._value, list):
            return self.elements()
        return None

    @children.setter
    def children(self, _value) -> None:
        pass
