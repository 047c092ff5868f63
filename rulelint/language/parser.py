"""Parser and type checker for Rules language expressions, in one pass.

The boolean layer is a hand-written precedence climber, as in Cloudflare's wirefilter
(``not`` > ``and`` > ``xor`` > ``or``; chains of one operator become one n-ary ``Logical``).
Tokens come from the pyparsing elements in ``tokens.py``. Right-hand sides are lexed by the
type of the left-hand side, exactly like wirefilter: ``http.host eq 01:02`` is a hex byte
string, ``ip.src eq 1.2.3.4`` an address, ``tcp.port eq 0x10`` an integer.

Each ``_parse_<name>`` method implements the EBNF production ``<name>`` of
``grammars/wirefilter.ebnf``. Type errors are recorded and parsing goes on (the node gets the
``Unknown`` type); a syntax error stops the parse with a single diagnostic.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right

from . import literals, tables, tokens
from .ast import (
    BOOL,
    BYTES,
    INT,
    IP,
    UNKNOWN,
    BoolConst,
    Call,
    Comparison,
    Field,
    Group,
    Index,
    IntLit,
    IpLit,
    ListLit,
    Logical,
    NamedList,
    Node,
    Not,
    Quantifier,
    RangeLit,
    RegexLit,
    Span,
    StringLit,
    Type,
    walk,
)
from .diagnostics import Diagnostic

MAX_LENGTH = 4096  # Cloudflare's documented limit on an expression's length
MAX_PARSED_LENGTH = 65536  # beyond this, only the length is reported
MAX_DEPTH = 128  # wirefilter's default nesting limit
CONTEXTS = ("filter", "value", "string")
"""filter: must be Bool. value: one scalar value (a header set from an expression may be an
Int, Ip or Bool too, e.g. ``ip.src``). string: must be Bytes (URL rewrites, redirect targets)."""

ARRAY_BOOL = Type("Array", BOOL)

_WS = tokens.whitespace.re_match
_IDENT = tokens.identifier.re_match
_QUOTED = tokens.quoted_string.re_match
_RAW = tokens.raw_string.re_match
_HEX = tokens.hex_bytes.re_match
_INT = tokens.integer.re_match
_IP = tokens.ip_address.re_match
_LIST = tokens.list_name.re_match
_CMP = tokens.comparison_operator.re_match
_LOGIC = tokens.logical_operator.re_match
_NOT = tokens.not_operator.re_match
_QUANT = tokens.quantifier.re_match
_BOOL = tokens.bool_constant.re_match
_GLUED = tokens.KEYWORD_GLUED.match

_CMP_CANON = {
    "eq": "eq", "==": "eq", "ne": "ne", "!=": "ne", "lt": "lt", "<": "lt", "le": "le",
    "<=": "le", "gt": "gt", ">": "gt", "ge": "ge", ">=": "ge", "contains": "contains",
    "matches": "matches", "~": "matches", "wildcard": "wildcard",
    "strict wildcard": "strict_wildcard", "in": "in", "bitwise_and": "bitwise_and",
    "&": "bitwise_and",
}
_LOGIC_CANON = {"and": "and", "&&": "and", "or": "or", "||": "or", "xor": "xor", "^^": "xor"}
_PRECEDENCE = {"or": 1, "xor": 2, "and": 3}
_ORDERING = ("eq", "ne", "lt", "le", "gt", "ge")
_OPS_BY_TYPE = {
    "Bytes": _ORDERING + ("contains", "matches", "wildcard", "strict_wildcard", "in"),
    "Int": _ORDERING + ("in", "bitwise_and"),
    "Ip": _ORDERING + ("in",),
}
_OP_WORDS = {"strict_wildcard": "strict wildcard"}
_KIND_WORDS = {"Bytes": "a string", "Int": "an integer", "Ip": "an IP address"}
_LITERAL_NODES = (StringLit, IntLit, IpLit)


class _Stop(Exception):
    """A syntax error: parsing cannot go on."""


def _type_in(spec: str, actual: Type, first: Type) -> bool:
    """Whether ``actual`` is of the argument type ``spec`` (functions.json), where ``T`` is any
    type, ``T1`` the type of the call's first argument and ``T1.item`` its element type."""
    if spec == "T":
        return True
    if spec in ("T1", "T1.item"):
        wanted = first if spec == "T1" else first.item
        return wanted is None or wanted == UNKNOWN or actual == wanted
    if spec in ("Array<T>", "Map<T>"):
        return actual.name == spec[:-3]
    return str(actual) == spec


def _type_words(spec: str, first: Type) -> str:
    """An argument type as a message shows it: ``T1`` becomes the first argument's type."""
    if spec == "T1":
        return f"{first} (the type of argument 1)"
    if spec == "T1.item":
        return f"{first.item} (the element type of argument 1)"
    return spec


class Parser:
    """Parses one expression; use ``parse_expression``."""

    def __init__(self, text: str, context: str) -> None:
        self.text = text
        self.context = context
        self.diagnostics: list[Diagnostic] = []
        self.depth = 0
        self._lines: list[int] | None = None
        stripped = text.strip()
        self.begin = text.find(stripped[:1]) if stripped else len(text)
        self.end = self.begin + len(stripped)
        self.has_tab = "\t" in stripped
        self.pos = self.begin
        self._fields = tables.fields()
        self._glued: set[int] = set()
        self._functions = tables.functions()

    # --- positions and diagnostics ----------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        if self._lines is None:
            text = self.text
            self._lines = [i for i, ch in enumerate(text) if ch == "\n"] if "\n" in text else []
        lines = self._lines
        if not lines:
            return Span(start, end, 1, start + 1, 1, end + 1)
        line = bisect_right(lines, start - 1)
        column = start - (lines[line - 1] + 1 if line else 0) + 1
        end_line = bisect_right(lines, end - 1)
        end_column = end - (lines[end_line - 1] + 1 if end_line else 0) + 1
        return Span(start, end, line + 1, column, end_line + 1, end_column)

    def report(self, code: str, message: str, start: int, end: int, hint: str | None = None,
               severity: str = "error") -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, self.span(start, end), hint))

    def stop(self, code: str, message: str, start: int, end: int, hint: str | None = None):
        self.report(code, message, start, end, hint)
        raise _Stop

    def found(self, pos: int) -> str:
        """A short description of what is at ``pos``, for "expected …, found …" messages."""
        if pos >= self.end:
            return "the end of the expression"
        match = _IDENT(self.text, pos, self.end)
        if match:
            return f"'{match.group()}'"
        ch = self.text[pos]
        if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF:
            return f"'{ch}'"
        return f"the character U+{ord(ch):04X}"

    def expected(self, what: str, pos: int | None = None):
        pos = self.pos if pos is None else pos
        end = pos + 1 if pos < self.end else pos
        match = _IDENT(self.text, pos, self.end) if pos < self.end else None
        if match:
            end = match.end()
        self.stop("syntax", f"expected {what}, found {self.found(pos)}", pos, end)

    def skip(self) -> int:
        """Skip whitespace; return the new position."""
        pos = self.pos
        match = _WS(self.text, pos, self.end)
        end = match.end()
        if self.has_tab and end > pos:
            tab = self.text.find("\t", pos, end)
            if tab >= 0 and not any(d.code == "tab-character" for d in self.diagnostics):
                self.report(
                    "tab-character",
                    "TAB character inside the expression; Cloudflare's parser accepts only "
                    "spaces and line breaks between tokens",
                    tab, tab + 1, hint="replace the TAB with a space", severity="warning",
                )
        self.pos = end
        return end

    def keyword(self, match) -> None:
        """Warn when an English keyword runs straight into a word (``notssl``, ``andssl``).

        Wirefilter matches keywords by prefix, so the text is valid and means ``not ssl``;
        a reader (or a stricter parser) easily takes it for one unknown name.
        """
        end = match.end()
        word = match.group()
        if (end < self.end and word[0].isalpha() and _GLUED(self.text, end)
                and end not in self._glued):
            self._glued.add(end)
            after = _IDENT(self.text, end, self.end)
            rest = after.group() if after else self.text[end]
            self.report("keyword-spacing",
                        f"'{word}' runs into '{rest}'; put a space after the keyword "
                        f"(this is read as '{word} {rest}')",
                        match.start(), end, hint=f"write: {word} {rest}", severity="warning")

    def enter(self, start: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.stop(
                "too-deep",
                f"the expression nests more than {MAX_DEPTH} levels of parentheses, not, "
                "any/all and function calls",
                start, start + 1,
            )

    def expect_char(self, ch: str, what: str) -> int:
        pos = self.skip()
        if pos < self.end and self.text[pos] == ch:
            self.pos = pos + 1
            return pos + 1
        self.expected(what)

    # --- entry point ------------------------------------------------------------------------

    def parse(self) -> Node | None:
        if self.begin >= self.end:
            what = "a filter expression" if self.context == "filter" else "a value expression"
            self.report("empty-expression", f"the expression is empty; expected {what}",
                        0, len(self.text))
            return None
        node = self._parse_logical(1)
        pos = self.skip()
        if pos < self.end:
            what = "'and', 'or', 'xor' or the end of the expression"
            if isinstance(node, (Field, Index, Call)) and node.type.name not in ("Bool", "Unknown"):
                what = "a comparison operator"
            self.expected(what)
        if self.context == "string":
            if node.type != BYTES and node.type != UNKNOWN:
                self.report("type-mismatch",
                            f"this value expression must produce a string (Bytes), found {node.type}",
                            node.span.start, node.span.end,
                            hint="convert it with to_string(…)" if node.type in (INT, IP, BOOL)
                            else None)
        elif self.context == "value":
            if node.type.item is not None:
                self.report("type-mismatch",
                            "a value expression must produce one value (a string, integer, IP "
                            f"address or Bool), found {node.type}",
                            node.span.start, node.span.end)
        else:
            self.need_bool(node, "the whole expression")
        return node

    def need_bool(self, node: Node, where: str) -> None:
        """Report a node that stands where a Bool is needed but is not one."""
        kind = node.type
        if kind == BOOL or kind == UNKNOWN:
            return
        span = node.span
        if kind == ARRAY_BOOL:
            if any(isinstance(n, Index) and n.key is None for n in walk(node)):
                self.report(
                    "map-each-outside-quantifier",
                    "a comparison using [*] gives one result per element (Array<Bool>); "
                    "it must be wrapped in any(…) or all(…)",
                    span.start, span.end,
                    hint="wrap it: any(…) is true if one element matches, all(…) if every one does",
                )
            else:
                self.report("type-mismatch",
                            f"{where} must be Bool, found Array<Bool>; wrap it in any(…) or all(…)",
                            span.start, span.end)
            return
        if isinstance(node, (Field, Index, Call)):
            ops = _OPS_BY_TYPE.get(kind.name)
            hint = f"compare it, e.g. with {', '.join(_OP_WORDS.get(o, o) for o in ops[:3])}" if ops else None
            self.report("type-mismatch",
                        f"{where} must be Bool, but this is a {kind} value; "
                        "expected a comparison operator after it",
                        span.start, span.end, hint=hint)
        else:
            self.report("type-mismatch", f"{where} must be Bool, found {kind}",
                        span.start, span.end)

    # --- boolean layer ----------------------------------------------------------------------

    def _peek_logical(self):
        pos = self.skip()
        match = _LOGIC(self.text, pos, self.end)
        if match is None:
            return None, None, pos
        spelling = match.group()
        if _GLUED(self.text, match.end()):
            self.keyword(match)
        return _LOGIC_CANON[spelling], spelling, match.end()

    def _parse_logical(self, min_precedence: int) -> Node:
        """logical := simple ( logical_operator simple )*  — precedence climbing, n-ary."""
        left = self._parse_simple()
        while True:
            op, spelling, after = self._peek_logical()
            if op is None or _PRECEDENCE[op] < min_precedence:
                return left
            items = [left]
            while True:
                self.pos = after
                items.append(self._parse_logical(_PRECEDENCE[op] + 1))
                next_op, _, next_after = self._peek_logical()
                if next_op != op:
                    break
                after = next_after
            left = self._combine(op, spelling, items)

    def _combine(self, op: str, spelling: str, items: list[Node]) -> Logical:
        types = {item.type for item in items if item.type != UNKNOWN}
        result = UNKNOWN
        if types == {BOOL}:
            result = BOOL
        elif types == {ARRAY_BOOL}:
            result = ARRAY_BOOL
        elif types:
            for item in items:
                if ARRAY_BOOL in types and BOOL in types and item.type == ARRAY_BOOL:
                    self.need_bool(item, f"each side of '{spelling}'")
                elif item.type not in (BOOL, ARRAY_BOOL, UNKNOWN):
                    self.need_bool(item, f"each side of '{spelling}'")
            result = BOOL if BOOL in types else UNKNOWN
        first, last = items[0].span, items[-1].span
        return Logical(op, tuple(items), spelling, self.span(first.start, last.end), result)

    def _parse_simple(self) -> Node:
        """simple := group | not_expr | quantified | bool_constant | comparison"""
        pos = self.skip()
        if pos >= self.end:
            self.expected("an expression")
        text = self.text
        ch = text[pos]
        if ch == "(":
            self.enter(pos)
            self.pos = pos + 1
            inner = self._parse_logical(1)
            close = self.expect_char(")", "')' to close the '(' at column "
                                          f"{self.span(pos, pos).column}")
            self.depth -= 1
            return Group(inner, self.span(pos, close), inner.type)
        match = _NOT(text, pos, self.end)
        if match:
            if _GLUED(text, match.end()):
                self.keyword(match)
            self.enter(pos)
            self.pos = match.end()
            operand = self._parse_simple()
            self.depth -= 1
            if operand.type not in (BOOL, ARRAY_BOOL, UNKNOWN):
                self.need_bool(operand, f"the operand of '{match.group()}'")
            kind = operand.type if operand.type in (BOOL, ARRAY_BOOL) else UNKNOWN
            return Not(operand, match.group(), self.span(pos, operand.span.end), kind)
        match = _QUANT(text, pos, self.end)
        if match:
            return self._parse_quantified(pos, match.group())
        match = _BOOL(text, pos, self.end)
        if match and match.group() not in self._fields:
            self.pos = match.end()
            return BoolConst(match.group() == "true", self.span(pos, match.end()))
        return self._parse_comparison()[0]

    def _parse_quantified(self, pos: int, kind: str) -> Quantifier:
        """quantified := quantifier "(" logical ")" """
        self.enter(pos)
        self.pos = pos + len(kind)
        self.expect_char("(", f"'(' after {kind}")
        arg, _ = self._parse_argument()
        at = self.skip()
        combined = _LOGIC(self.text, at, self.end)
        if combined:
            self.stop("syntax",
                      f"{kind}(…) takes a single comparison; to combine several with "
                      f"'{combined.group()}', put them in parentheses: {kind}((… {combined.group()} …))",
                      at, combined.end(), hint=f"wrap the argument in parentheses: {kind}((…))")
        close = self.expect_char(")", f"')' to close {kind}(")
        self.depth -= 1
        if arg.type not in (ARRAY_BOOL, UNKNOWN):
            self.report("type-mismatch",
                        f"{kind}() needs an Array<Bool> argument (a comparison using [*]), "
                        f"found {arg.type}",
                        arg.span.start, arg.span.end,
                        hint=f"e.g. {kind}(http.request.headers.names[*] eq \"x-api-key\")")
        return Quantifier(kind, arg, self.span(pos, close))

    # --- comparisons ------------------------------------------------------------------------

    def _parse_comparison(self) -> tuple[Node, bool]:
        """comparison := index_expr [ comparison_operator rhs ]

        Returns the node and whether it is computed per element (it uses ``[*]``).
        """
        lhs, each = self._parse_index_expr()
        pos = self.skip()
        match = _CMP(self.text, pos, self.end)
        if match is None:
            return lhs, each
        spelling = match.group()
        op = _CMP_CANON[spelling]
        if _GLUED(self.text, match.end()):
            self.keyword(match)
        self.pos = match.end()
        kind = lhs.type
        allowed = _OPS_BY_TYPE.get(kind.name) if kind.item is None else None
        if kind != UNKNOWN and (allowed is None or op not in allowed):
            if allowed:
                choices = ", ".join(_OP_WORDS.get(o, o) for o in allowed)
                message = f"'{spelling}' cannot be used on {kind} values; expected one of {choices}"
            elif kind == BOOL:
                message = (f"'{spelling}' cannot be used on a Bool value; "
                           "use the field on its own (or with not)")
            else:
                message = (f"'{spelling}' cannot be used on {kind} values; "
                           "index it first ([0], [\"key\"] or [*])")
            self.report("unsupported-operator", message, pos, match.end())
            kind = UNKNOWN
        rhs = self._parse_rhs(kind, op, spelling)
        result = ARRAY_BOOL if each else BOOL
        return Comparison(lhs, op, rhs, spelling, self.span(lhs.span.start, rhs.span.end),
                          result), each

    def _parse_rhs(self, kind: Type, op: str, spelling: str) -> Node:
        """rhs := typed by the left-hand side: bytes | regex | wildcard | int | ip | list"""
        pos = self.skip()
        if pos >= self.end:
            self.expected(f"a value after '{spelling}'")
        if op == "in":
            return self._parse_list(kind)
        name = kind.name
        if name == "Unknown":
            if op == "matches":
                return self._parse_regex(pos)
            return self._read_any_literal(pos, ranges=False)
        if name == "Bytes":
            if op == "matches":
                return self._parse_regex(pos)
            node = self._parse_bytes(pos, spelling, allow_hex=op not in ("wildcard", "strict_wildcard"))
            if op in ("wildcard", "strict_wildcard") and node.type == BYTES:
                problem = literals.check_wildcard(node.value)
                if problem:
                    self.report("invalid-wildcard", problem[0], node.span.start, node.span.end)
            return node
        if name == "Int":
            return self._parse_int(pos, spelling)
        return self._parse_ip(pos, spelling, single=True)

    # --- literals ---------------------------------------------------------------------------

    def _wrong_kind(self, pos: int, expected: str, spelling: str) -> Node:
        """Report a literal of the wrong kind, then read it anyway to carry on."""
        node = self._read_any_literal(pos, ranges=False)
        found = {StringLit: "a string", IntLit: "an integer", IpLit: "an IP address",
                 ListLit: "a list", NamedList: "a list"}.get(type(node), "something else")
        hint = None
        if expected == "an IP address" and isinstance(node, StringLit):
            hint = f"write the address without quotes: {node.value.decode('utf-8', 'replace')}"
        elif expected == "an integer" and isinstance(node, StringLit) and node.value.isdigit():
            hint = f"write the number without quotes: {node.value.decode()}"
        self.report("type-mismatch", f"expected {expected} after '{spelling}', found {found}",
                    node.span.start, node.span.end, hint=hint)
        return node

    def _read_string(self, pos: int) -> StringLit | None:
        """quoted_string | raw_string, or None when neither starts at ``pos``."""
        text = self.text
        ch = text[pos]
        if ch == '"':
            match = _QUOTED(text, pos, self.end)
            if match is None:
                self.stop("unterminated-string",
                          "this string has no closing quote", pos, self.end)
            body = match.group()[1:-1]
            value, problem = literals.decode_quoted(body)
            if problem:
                message, start, end = problem
                self.stop("invalid-escape", message, pos + 1 + start, pos + 1 + end)
            self.pos = match.end()
            return StringLit(value, "quoted", 0, self.span(pos, match.end()))
        if ch == "r" and text[pos + 1 : pos + 2] in ('"', "#"):
            match = _RAW(text, pos, self.end)
            if match is None:
                self.stop("unterminated-string",
                          "this raw string has no closing quote (with the same number of #)",
                          pos, self.end)
            hashes = len(match.group(1))
            if hashes > 255:
                self.stop("invalid-literal", "a raw string may use at most 255 #",
                          pos, pos + 1 + hashes)
            self.pos = match.end()
            value = match.group(2).encode("utf-8", "surrogatepass")
            return StringLit(value, "raw", hashes, self.span(pos, match.end()))
        return None

    def _parse_bytes(self, pos: int, spelling: str, allow_hex: bool = True) -> Node:
        """bytes := quoted_string | raw_string | hex_bytes"""
        node = self._read_string(pos)
        if node is not None:
            return node
        if allow_hex:
            match = _HEX(self.text, pos, self.end)
            if match:
                self.pos = match.end()
                value = bytes(int(match.group()[i : i + 2], 16) for i in range(0, len(match.group()), 3))
                return StringLit(value, "hex", 0, self.span(pos, match.end()))
        return self._wrong_kind(pos, "a string", spelling)

    def _parse_regex(self, pos: int) -> Node:
        """regex := raw_string | '"' regex_body '"'  (backslashes kept as written)"""
        text = self.text
        if text[pos] == "r" and text[pos + 1 : pos + 2] in ('"', "#"):
            raw = self._read_string(pos)
            pattern = raw.value.decode("utf-8", "surrogatepass")
            node = RegexLit(pattern, True, raw.hashes, raw.span)
            effective = pattern
        elif text[pos] == '"':
            i = pos + 1
            end = self.end
            in_class = False
            class_start = -1
            while i < end:
                ch = text[i]
                if ch == "\\":
                    i += 2
                    continue
                if in_class:
                    if ch == "]" and i > class_start + 1 and not (
                        i == class_start + 2 and text[class_start + 1] == "^"
                    ):
                        in_class = False
                elif ch == "[":
                    in_class = True
                    class_start = i
                elif ch == '"':
                    break
                i += 1
            if i >= end:
                self.stop("unterminated-string", "this regular expression has no closing quote",
                          pos, self.end)
            pattern = text[pos + 1 : i]
            self.pos = i + 1
            node = RegexLit(pattern, False, 0, self.span(pos, i + 1))
            effective = pattern.replace('\\"', '"') if '\\"' in pattern else pattern
        else:
            return self._wrong_kind(pos, "a regular expression string", "matches")
        problem = literals.check_regex(effective)
        if problem:
            self.report("invalid-regex",
                        f"invalid regular expression: {problem}",
                        node.span.start, node.span.end)
        return node

    def _parse_int(self, pos: int, spelling: str) -> Node:
        """int := integer"""
        text = self.text
        match = _INT(text, pos, self.end)
        if match is None or text[pos] == "r":
            return self._wrong_kind(pos, "an integer", spelling)
        after = match.end()
        if after < self.end and text[after] in ".:" and text[after : after + 2] != "..":
            return self._wrong_kind(pos, "an integer", spelling)
        value, problem = literals.convert_int(match.group())
        if problem and match.group() == "0x":
            self.stop("invalid-literal", f"expected hexadecimal digits after 0x, found {self.found(after)}",
                      pos, after)
        self.pos = after
        if problem:
            self.report("invalid-literal", problem, pos, after)
            value = 0
        return IntLit(value, self.span(pos, after))

    def _parse_ip(self, pos: int, spelling: str, single: bool, lenient: bool = False) -> Node:
        """ip := ip_address  (a CIDR network only inside a list)

        ``lenient``: a ``{…}`` element that is not a range end, read like wirefilter's ``cidr``
        crate does (``10.20`` is 10.20.0.0, ``1.1.1.01`` is 1.1.1.1), with a warning.
        """
        text = self.text
        match = _IP(text, pos, self.end)
        if match is None:
            return self._wrong_kind(pos, "an IP address", spelling)
        token = match.group()
        if not lenient and _INT(token) and _INT(token).end() == len(token):
            return self._wrong_kind(pos, "an IP address", spelling)
        self.pos = match.end()
        span = self.span(pos, match.end())
        if single or not lenient:
            address_text, _, prefix_text = token.partition("/")
            parsed = literals.parse_address(address_text)
            if parsed is None:
                self.report("invalid-literal", f"{literals.shorten(token)} is not a valid IP address",
                            pos, match.end())
                return IpLit(address_text, None, span)
            address = parsed[0]
            if not prefix_text:
                return IpLit(address, None, span)
            if single:
                shown = literals.shorten(token)
                self.report(
                    "invalid-literal",
                    f"'{spelling}' compares with one IP address, not the network {shown}",
                    pos, match.end(), hint=f"to match a network, write: in {{{shown}}}",
                )
                prefix = literals.bounded_int(prefix_text)
                return IpLit(address, prefix if prefix is not None and prefix <= 255 else None, span)
        address, length, problem, note = literals.parse_network(token)
        if problem:
            self.report("invalid-literal", problem, pos, match.end())
            return IpLit(address, length, span)
        if length is None:
            if note:
                self.report("ip-short-form", f"{note}; write the address in full",
                            pos, match.end(), hint=f"write {address}", severity="warning")
            return IpLit(address, None, span)
        network = ipaddress.ip_network(f"{address}/{length}", strict=False)
        if network.network_address.compressed != address:
            self.report("host-bits-set",
                        f"{literals.shorten(token)} has host bits set; the network is {network}",
                        pos, match.end(), hint=f"write {network}")
        elif note:
            self.report("ip-short-form", f"{note}; write the network in full",
                        pos, match.end(), hint=f"write {network}", severity="warning")
        return IpLit(address, length, span)

    def _parse_list(self, kind: Type) -> Node:
        """list := "{" list_item* "}" | list_name"""
        pos = self.pos
        text = self.text
        if text[pos] == "$":
            match = _LIST(text, pos, self.end)
            name = match.group()[1:]
            self.pos = match.end()
            problem = literals.check_list_name(name)
            if problem:
                self.report("invalid-literal", problem, pos, match.end())
            return NamedList(name, self.span(pos, match.end()), kind)
        if text[pos] != "{":
            self.expected("'{' (an inline list) or a $list name after 'in'")
        name = kind.name
        if kind.item is not None or name == "Bool":
            self.report("unsupported-operator", f"'in' cannot be used on {kind} values",
                        pos, pos + 1)
            name = "Unknown"
        self.pos = pos + 1
        items = []
        while True:
            at = self.skip()
            if at >= self.end:
                self.expected("'}' to close the list")
            ch = text[at]
            if ch == "}":
                self.pos = at + 1
                break
            if ch == ",":
                self.stop("syntax", "list items are separated by spaces, not commas", at, at + 1,
                          hint="remove the commas: {\"a\" \"b\"}")
            if name == "Bytes":
                item = self._parse_bytes(at, "in")
            elif name == "Int":
                item = self._parse_list_item(at, self._parse_int, "in")
            elif name == "Ip":
                token = _IP(text, at, self.end)
                ranged = token is not None and text.startswith("..", token.end())
                item = self._parse_list_item(
                    at, lambda p, s: self._parse_ip(p, s, single=False, lenient=not ranged), "in")
            else:
                item = self._read_any_literal(at, ranges=True)
            items.append(item)
        return ListLit(tuple(items), self.span(pos, self.pos), kind)

    def _parse_list_item(self, pos: int, read, spelling: str) -> Node:
        """list_item := value [ range_separator value ]"""
        low = read(pos, spelling)
        if self.text.startswith("..", self.pos):
            self.pos += 2
            if self.pos >= self.end:
                self.expected("the end of the range after '..'")
            high = read(self.pos, spelling)
            node = RangeLit(low, high, self.span(pos, high.span.end), low.type)
            self._check_range(node)
            return node
        return low

    def _check_range(self, node: RangeLit) -> None:
        low, high = node.low, node.high
        if isinstance(low, IntLit) and isinstance(high, IntLit):
            bad = low.value > high.value
        elif isinstance(low, IpLit) and isinstance(high, IpLit):
            if low.prefix is not None or high.prefix is not None:
                bad = True
            else:
                try:
                    a, b = ipaddress.ip_address(low.address), ipaddress.ip_address(high.address)
                    bad = a.version != b.version or a > b
                except ValueError:
                    return
        else:
            bad = True
        if bad:
            self.report("invalid-literal",
                        "invalid range: both ends must be of one kind (and one IP family), "
                        "and the first must not be greater than the second",
                        node.span.start, node.span.end)

    def _read_any_literal(self, pos: int, ranges: bool) -> Node:
        """A literal of whatever kind is written (after an unknown field, or to recover)."""
        text = self.text
        ch = text[pos]
        node = self._read_string(pos)
        if node is not None:
            return node
        if ch in "{$":
            return self._parse_list(UNKNOWN)
        match = _HEX(text, pos, self.end)
        if match and not _IP(text, pos, self.end).group().count(".") == 3:
            return self._parse_bytes(pos, "")
        ip_match = _IP(text, pos, self.end)
        if ip_match and any(c in ip_match.group() for c in ".:"):
            node = self._parse_ip(pos, "", single=False)
        elif _INT(text, pos, self.end):
            node = self._parse_int(pos, "")
        else:
            self.expected("a value (a string, number, IP address or list)", pos)
        if ranges and text.startswith("..", self.pos):
            self.pos += 2
            if self.pos >= self.end:
                self.expected("the end of the range after '..'")
            high = self._read_any_literal(self.pos, ranges=False)
            node = RangeLit(node, high, self.span(pos, high.span.end), node.type)
        return node

    # --- values: fields, calls, indexing ----------------------------------------------------

    def _parse_index_expr(self) -> tuple[Node, bool]:
        """index_expr := ( call | field ) ( "[" index "]" )*   (no space before "[")"""
        pos = self.pos
        text = self.text
        match = _IDENT(text, pos, self.end)
        if match is None:
            self.expected("a field, a function call, '(' or 'not'")
        name = match.group()
        self.pos = match.end()
        each = False
        info = self._fields.get(name)
        if info is not None:
            node: Node = Field(name, self.span(pos, match.end()), info.type)
            if info.replacement:
                self.report("deprecated-field",
                            f"{name} is deprecated; use {info.replacement}",
                            pos, match.end(), hint=info.replacement, severity="warning")
        else:
            after = self.skip()
            if after < self.end and text[after] == "(":
                node, each_arg = self._parse_call(pos, name, after)
            else:
                self.pos = match.end()
                if name in self._functions:
                    self.expected(f"'(' after the function name {name}")
                if name in ("true", "false"):
                    node = BoolConst(name == "true", self.span(pos, match.end()))
                else:
                    suggestion = tables.did_you_mean(name)
                    self.report("unknown-field", f"unknown field {name}", pos, match.end(),
                                hint=f"did you mean {suggestion}?" if suggestion else None)
                    node = Field(name, self.span(pos, match.end()), UNKNOWN)
        while self.pos < self.end and text[self.pos] == "[":
            node, star = self._parse_index(node)
            each = each or star
        return node, each

    def _parse_index(self, target: Node) -> tuple[Node, bool]:
        """index := "*" | integer | quoted_string"""
        open_at = self.pos
        self.pos += 1
        pos = self.skip()
        text = self.text
        kind = target.type
        key: int | str | None
        if text.startswith("*", pos):
            key = None
            self.pos = pos + 1
        elif text.startswith('"', pos):
            literal = self._read_string(pos)
            try:
                key = literal.value.decode("utf-8")
            except UnicodeDecodeError:
                self.stop("invalid-literal", "a map key must be valid UTF-8", pos, self.pos)
        else:
            match = _INT(text, pos, self.end)
            if match is None:
                self.expected("a quoted map key, a non-negative array index or *")
            value, problem = literals.convert_int(match.group())
            if problem or value < 0 or value > 2**32 - 1:
                self.stop("invalid-literal",
                          f"{literals.shorten(match.group())} is not a valid array index "
                          "(0 to 4294967295)",
                          pos, match.end())
            key = value
            self.pos = match.end()
        close = self.expect_char("]", "']' to close the index")
        result = UNKNOWN
        if kind != UNKNOWN:
            if key is None and kind.name in ("Array", "Map"):
                result = kind.item
            elif isinstance(key, int) and kind.name == "Array":
                result = kind.item
            elif isinstance(key, str) and kind.name == "Map":
                result = kind.item
            else:
                shown = "[*]" if key is None else f"[{key!r}]".replace("'", '"')
                wanted = {"Array": "it takes an integer index or [*]",
                          "Map": "it takes a quoted key or [*]"}.get(
                    kind.name, "only arrays and maps can be indexed")
                self.report("invalid-index", f"cannot index a {kind} value with {shown}; {wanted}",
                            open_at, close)
        return Index(target, key, self.span(target.span.start, close), result), key is None

    def _parse_call(self, pos: int, name: str, paren: int) -> tuple[Node, bool]:
        """call := identifier "(" [ argument ( "," argument )* ] ")" """
        self.enter(pos)
        self.pos = paren + 1
        args: list[Node] = []
        eaches: list[bool] = []
        after = self.skip()
        if after < self.end and self.text[after] == ")":
            self.pos = after + 1
        else:
            while True:
                arg, each = self._parse_argument()
                args.append(arg)
                eaches.append(each)
                at = self.skip()
                if at < self.end and self.text[at] == ",":
                    self.pos = at + 1
                    continue
                if at < self.end and self.text[at] == ")":
                    self.pos = at + 1
                    break
                self.expected(f"',' or ')' in the arguments of {name}()")
        self.depth -= 1
        span = self.span(pos, self.pos)
        info = self._functions.get(name)
        if info is None or info.grammar:
            suggestion = tables.did_you_mean(name, tuple(self._functions))
            self.report("unknown-function", f"unknown function {name}", pos, pos + len(name),
                        hint=f"did you mean {suggestion}?" if suggestion else None)
            return Call(name, tuple(args), span, UNKNOWN), False
        result = self._check_call(info, args, eaches, span)
        return Call(name, tuple(args), span, result), False

    def _parse_argument(self) -> tuple[Node, bool]:
        """argument := string | logical (starting with "(", not, any/all) | comparison | literal"""
        pos = self.skip()
        if pos >= self.end:
            self.expected("a function argument")
        text = self.text
        ch = text[pos]
        node = self._read_string(pos)
        if node is not None:
            return node, False
        if ch == "(" or _NOT(text, pos, self.end) or _QUANT(text, pos, self.end):
            node = self._parse_logical(1)
            if isinstance(node, Group) and node.type not in (BOOL, ARRAY_BOOL, UNKNOWN):
                bare = node
                while isinstance(bare, Group):
                    bare = bare.inner
                shown = self.text[bare.span.start:bare.span.end]
                self.report("syntax",
                            f"expected a comparison operator after {shown}: an argument that "
                            "starts with '(' is read as a condition, so a value may not be "
                            "wrapped in parentheses",
                            bare.span.start, bare.span.end,
                            hint=f"remove the parentheses around {shown}")
                node = Group(node.inner, node.span, UNKNOWN)
            return node, node.type == ARRAY_BOOL
        if ch.isalpha() or ch == "_":
            return self._parse_comparison()
        if ch.isdigit() or ch == "-":
            ip_match = _IP(text, pos, self.end)
            if ip_match and ("." in ip_match.group() or "::" in ip_match.group()) and not _HEX(text, pos, self.end):
                return self._parse_ip(pos, "", single=True), False
            if _HEX(text, pos, self.end):
                return self._parse_bytes(pos, ""), False
            return self._parse_int(pos, ""), False
        self.expected("a function argument")

    def _check_call(self, info: tables.FunctionInfo, args: list[Node], eaches: list[bool],
                    span: Span) -> Type:
        name = info.name
        count = len(args)
        if count < info.min_args or (info.max_args is not None and count > info.max_args):
            if info.max_args is None:
                wanted = f"at least {info.min_args}"
            elif info.min_args == info.max_args:
                wanted = str(info.min_args)
            else:
                wanted = f"{info.min_args} to {info.max_args}"
            plural = "" if wanted == "1" else "s"
            self.report("argument-count",
                        f"{name}() takes {wanted} argument{plural}, but {count} "
                        f"{'was' if count == 1 else 'were'} given", span.start, span.end)
        for index, arg in enumerate(args):
            param = info.param(index)
            if param is None:
                break
            ordinal = index + 1
            if eaches[index] and index > 0:
                self.report("map-each-outside-quantifier",
                            f"[*] may only be used in the first argument of {name}()",
                            arg.span.start, arg.span.end)
                continue
            is_literal = isinstance(arg, _LITERAL_NODES)
            if param.kind == "field" and is_literal:
                self.report("argument-kind",
                            f"argument {ordinal} of {name}() ({param.name}) must be a field, "
                            "not a literal", arg.span.start, arg.span.end)
                continue
            if param.kind == "literal" and not is_literal:
                self.report("argument-kind",
                            f"argument {ordinal} of {name}() ({param.name}) must be a literal",
                            arg.span.start, arg.span.end)
                continue
            actual = arg.type
            if actual == UNKNOWN:
                continue
            first = args[0].type
            if index > 0 and eaches[0] and first.item is not None:
                first = first.item  # f(x[*], …): the first argument is one element at a time
            if not any(_type_in(spec, actual, first) for spec in param.types):
                wanted = " or ".join(_type_words(spec, first) for spec in param.types)
                self.report("argument-type",
                            f"argument {ordinal} of {name}() ({param.name}) must be "
                            f"{wanted}, found {actual}",
                            arg.span.start, arg.span.end)
        if info.returns == "T":
            result = args[0].type if args else UNKNOWN
        else:
            result = tables.parse_type(info.returns)
        if eaches and eaches[0] and result != UNKNOWN:
            result = Type("Array", result)
        return result


def parse_expression(text: str, context: str = "filter") -> tuple[Node | None, tuple[Diagnostic, ...]]:
    """Parse and type-check ``text``; never raises."""
    diagnostics: list[Diagnostic] = []
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {', '.join(CONTEXTS)}, not {context!r}")
    if len(text) > MAX_LENGTH:
        diagnostics.append(Diagnostic(
            "too-long",
            "error",
            f"the expression is {len(text):,} characters long; Cloudflare accepts at most "
            f"{MAX_LENGTH:,}",
            Span(0, len(text), 1, 1, text.count("\n") + 1,
                 len(text) - (text.rfind("\n") + 1) + 1),
        ))
        if len(text) > MAX_PARSED_LENGTH:
            return None, tuple(diagnostics)
    parser = Parser(text, context)
    tree: Node | None
    try:
        tree = parser.parse()
    except _Stop:
        tree = None
    except RecursionError:
        tree = None
        parser.report("too-deep", "the expression nests too deeply to be parsed",
                      parser.pos, min(parser.pos + 1, len(text)))
    except Exception as exc:  # noqa: BLE001 - the promise: bad input never raises
        # A defect in rulelint, not in the expression; one rule must not end the whole run.
        tree = None
        parser.report("internal-error",
                      f"rulelint could not check this expression ({type(exc).__name__}); "
                      "this is a rulelint bug, please report it with the expression",
                      parser.pos, min(parser.pos + 1, len(text)))
    diagnostics.extend(parser.diagnostics)
    diagnostics.sort(key=lambda d: (d.span.start, d.span.end))
    return tree, tuple(diagnostics)
