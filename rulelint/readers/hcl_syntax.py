"""HCL text to a tree-sitter syntax tree, with character offsets and one syntax error in words.

tree-sitter-hcl parses in C and keeps every node's exact byte range; rulelint's positions are
*character* offsets into the decoded text, so ``Syntax.char`` converts (the identity for ASCII
text, a bisect over the multi-byte characters otherwise). tree-sitter never fails: it recovers
from a syntax error with ERROR and MISSING nodes, so ``first_error`` finds the first one and says
what is wrong where a Terraform user looks for it (no parser node names).

tree-sitter and its HCL grammar are imported when the first file is parsed: a run without
Terraform input never loads them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

_PARSER: Any = None
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _parser() -> Any:
    """The one tree-sitter parser of the process (built on first use: see the module docstring)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_hcl

        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    return _PARSER


class Syntax:
    """One file's syntax tree (``root``) and the text it was parsed from."""

    __slots__ = ("text", "root", "_multibyte", "_extra")

    def __init__(self, text: str) -> None:
        self.text = text
        data = text.encode("utf-8")
        self.root = _parser().parse(data).root_node
        self._multibyte: list[int] = []  # byte offset of each character after a multi-byte one
        self._extra: list[int] = []  # bytes beyond one per character, up to that offset
        if len(data) != len(text):
            extra = 0
            for match in _NON_ASCII.finditer(text):
                extra += len(match.group().encode("utf-8")) - 1
                self._multibyte.append(match.end() + extra)
                self._extra.append(extra)

    def char(self, byte: int) -> int:
        """The character offset of byte offset ``byte`` (a character boundary)."""
        if not self._multibyte:
            return byte
        index = bisect_left(self._multibyte, byte + 1) - 1
        return byte - self._extra[index] if index >= 0 else byte

    def span(self, node: Any) -> tuple[int, int]:
        """(start, end) character offsets of ``node``."""
        if not self._multibyte:
            return node.start_byte, node.end_byte
        return self.char(node.start_byte), self.char(node.end_byte)



def parse(text: str) -> Syntax:
    return Syntax(text)


# ---------------------------------------------------------------------------------------------
# Syntax errors

# What a syntax error message names: a word or number, a quoted string, an operator, else one character.
_WORD = re.compile(r'[A-Za-z0-9_.\-]+|"(?:[^"\\\n]|\\.)*"?|<<-?|=>|==|!=|<=|>=|&&|\|\||\.\.\.|\S')
_EXPONENT = re.compile(r"[eE][+-]?[0-9]")
_CLOSING = frozenset({"}", "]", ")"})


def first_error(syntax: Syntax) -> tuple[str, int] | None:
    """(message, character offset) of the first syntax error, None when the text is HCL.

    The offset is where the parser could go no further: the first character after the error
    node's complete children (what it had read as valid), or where a token was missing; a
    problem with nothing but white space after it is the end of the file.
    """
    root = syntax.root
    if not root.has_error:
        return None
    return _describe(syntax, syntax.char(_error_byte(root)))


def _error_byte(root: Any) -> int:
    """The byte offset where the first ERROR or MISSING node shows the parse went wrong: inside
    an ERROR node, the end of its last complete child before anything broken."""
    node = root
    while True:
        if node.is_missing:
            return node.start_byte
        if node.is_error:
            if all(child.type in _CLOSING for child in node.children):
                return node.start_byte  # a bracket closing nothing
            before = node.prev_sibling
            if before is not None and before.start_byte < before.end_byte == node.start_byte:
                return node.start_byte  # glued to what was read: ``1e3`` is ``1`` and then ``e3``
        position = node.start_byte if node.is_error else node.end_byte
        broken = None
        for child in node.children:
            if child.is_missing or child.is_error or child.has_error:
                broken = child
                break
            if node.is_error and child.end_byte > child.start_byte:
                position = child.end_byte
        if broken is None:
            return position
        node = broken


def _describe(syntax: Syntax, offset: int) -> tuple[str, int]:
    """Name what stands at ``offset`` (after spaces, tabs and a CR before a line break)."""
    text = syntax.text
    while offset < len(text) and text[offset] in " \t\r":
        offset += 1
    if not text[offset:].strip():
        return "unexpected end of file (a block, string or expression is not finished)", len(text.rstrip())
    if text[offset] == "\n":
        return "unexpected end of line", offset
    if _EXPONENT.match(text, offset) and offset and text[offset - 1].isdigit():
        return "a number with an exponent needs a fraction here (1.0e3, not 1e3)", offset
    if text[offset] == "\\":
        return f"invalid escape sequence {text[offset:offset + 2]}", offset
    match = _WORD.match(text, offset)
    written = match.group() if match else text[offset]
    if len(written) > 40:
        written = written[:40] + "…"
    return f"unexpected {written!r}", offset
