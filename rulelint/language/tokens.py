"""The lexical layer of the Rules language, written as named pyparsing elements.

Each token is one pyparsing ``Regex`` with a ``set_name()`` equal to its production in
``grammars/wirefilter.ebnf``. pyparsing compiles every pattern once, at import; the parser in
``parser.py`` then calls each element's compiled matcher (``re_match``) at the position where
the grammar expects that token. Wirefilter lexes the right-hand side of a comparison by the type
of its left-hand side, so tokens are matched on demand rather than in one pass: calling the
element's matcher directly keeps that cheap (about 0.3 µs a token instead of the 2-3 µs of a
full ``parse_string``), which is what lets the parser reach thousands of expressions a second.
"""

from __future__ import annotations

import re

import pyparsing as pp

KEYWORD_GLUED = re.compile(r"[A-Za-z0-9_]")
"""A character that, right after an English keyword, makes the keyword a prefix of a word."""


def _token(name: str, pattern: str, flags: int = 0) -> pp.Regex:
    element = pp.Regex(pattern, flags=flags).set_name(name)
    element.parse_with_tabs()  # keep offsets exact: never expand tabs
    TOKENS[name] = element
    return element


TOKENS: dict[str, pp.Regex] = {}
"""Every lexical element by its production name (the grammar/EBNF sync test reads this)."""

# Whitespace: wirefilter skips only space, CR and LF; a TAB is tolerated here with a warning.
whitespace = _token("whitespace", r"[ \r\n\t]*")
# Field and function names: dotted runs of [A-Za-z0-9_] segments, matched greedily.
identifier = _token("identifier", r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*")
# Quoted string: the body is decoded (and its escapes checked) by literals.decode_quoted.
quoted_string = _token("quoted_string", r'"(?:[^"\\]|\\.)*"', re.S)
# Raw string r"…", r#"…"#: ends at the first quote followed by as many # as it opened with.
raw_string = _token("raw_string", r'r(#*)"(.*?)"\1', re.S)
# Hex byte string: at least two bytes, separated by : - or . (separators may be mixed).
# Like wirefilter it stops after the last byte, so `01:02and ssl` is a byte string then `and`.
hex_bytes = _token("hex_bytes", r"[0-9A-Fa-f]{2}(?:[:.\-][0-9A-Fa-f]{2})+")
# Integers as wirefilter reads them: lowercase 0x then hex digits, or an optional - then a run
# of hex digits (a leading 0 means octal). Hex letters are taken in so `1f` and `08` are one
# bad token; anything else ends the number (`10or ssl` is 10, then `or`).
integer = _token("integer", r"0x[0-9A-Fa-f]*|-?[0-9][0-9A-Fa-f]*")
# IP address or CIDR network (validated by the ipaddress module afterwards).
ip_address = _token("ip_address", r"(?:[0-9A-Fa-f:]|\.(?!\.))+(?:/[0-9]+)?")
# Named list reference $name or managed list $cf.name (name rules checked afterwards).
list_name = _token("list_name", r"\$[A-Za-z0-9_.]*")
range_separator = _token("range_separator", r"\.\.")

# Keywords are matched by prefix, with no word boundary, exactly as wirefilter's lex_enum!
# does (`notssl` is `not ssl`, `ssl andssl` is `ssl and ssl`); the parser warns when a word
# character follows an English keyword (see KEYWORD_GLUED).
comparison_operator = _token(
    "comparison_operator",
    r"eq|ne|lt|le|gt|ge|contains|matches|wildcard|strict wildcard|in|bitwise_and"
    r"|==|!=|<=|>=|<|>|~|&(?!&)",
)
logical_operator = _token("logical_operator", r"and|or|xor|&&|\|\||\^\^")
not_operator = _token("not_operator", r"not|!(?!=)")
quantifier = _token("quantifier", r"(?:any|all)(?=[ \r\n\t]*\()")
bool_constant = _token("bool_constant", r"(?:true|false)(?![A-Za-z0-9_.(\[])")
lparen = _token("lparen", r"\(")
rparen = _token("rparen", r"\)")
lbrace = _token("lbrace", r"\{")
rbrace = _token("rbrace", r"\}")
lbracket = _token("lbracket", r"\[")
rbracket = _token("rbracket", r"\]")
comma = _token("comma", r",")
star = _token("star", r"\*")
