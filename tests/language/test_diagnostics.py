"""Every diagnostic code: exact code, severity, message, span (start, end, line, column), hint."""

import pytest

from rulelint.language import parse

CASES = [
    ('http.host eq "a', "unterminated-string", "error",
     "this string has no closing quote", (13, 15, 1, 14), None),
    ('http.host eq "a\\nb"', "invalid-escape", "error",
     'invalid escape \\n in a string; expected \\", \\\\, \\xHH (two hex digits) or '
     "\\OOO (three octal digits)", (15, 17, 1, 16), None),
    ('http.hots eq "x"', "unknown-field", "error", "unknown field http.hots", (0, 9, 1, 1),
     "did you mean http.host?"),
    ('lowr(http.host) eq "x"', "unknown-function", "error", "unknown function lowr",
     (0, 4, 1, 1), "did you mean lower?"),
    ("cf.threat_score contains 10", "unsupported-operator", "error",
     "'contains' cannot be used on Int values; expected one of eq, ne, lt, le, gt, ge, in, "
     "bitwise_and", (16, 24, 1, 17), None),
    ("ssl eq 1", "unsupported-operator", "error",
     "'eq' cannot be used on a Bool value; use the field on its own (or with not)",
     (4, 6, 1, 5), None),
    ('ip.src eq "198.51.100.4"', "type-mismatch", "error",
     "expected an IP address after 'eq', found a string", (10, 24, 1, 11),
     "write the address without quotes: 198.51.100.4"),
    ("http.host", "type-mismatch", "error",
     "the whole expression must be Bool, but this is a Bytes value; expected a comparison "
     "operator after it", (0, 9, 1, 1), "compare it, e.g. with eq, ne, lt"),
    ("any(ssl)", "type-mismatch", "error",
     "any() needs an Array<Bool> argument (a comparison using [*]), found Bool", (4, 7, 1, 5),
     'e.g. any(http.request.headers.names[*] eq "x-api-key")'),
    ("cf.threat_score eq 08", "invalid-literal", "error", "08 is not a valid octal integer",
     (19, 21, 1, 20), None),
    ("ip.src eq 192.0.2.0/24", "invalid-literal", "error",
     "'eq' compares with one IP address, not the network 192.0.2.0/24", (10, 22, 1, 11),
     "to match a network, write: in {192.0.2.0/24}"),
    ("cf.threat_score in {5..1}", "invalid-literal", "error",
     "invalid range: both ends must be of one kind (and one IP family), and the first must "
     "not be greater than the second", (20, 24, 1, 21), None),
    ("http.host in $Bad", "invalid-literal", "error",
     "invalid list name $Bad; list names use lowercase letters, digits and _ (managed lists "
     "are written $cf.name)", (13, 17, 1, 14), None),
    ("ip.src in {192.0.2.1/24}", "host-bits-set", "error",
     "192.0.2.1/24 has host bits set; the network is 192.0.2.0/24", (11, 23, 1, 12),
     "write 192.0.2.0/24"),
    ('http.host matches "(a)\\1"', "invalid-regex", "error",
     "invalid regular expression: backreferences such as \\1 are not supported",
     (18, 25, 1, 19), None),
    ('http.host matches "^/(?!admin)"', "invalid-regex", "error",
     "invalid regular expression: look-around, including look-ahead and look-behind, is not "
     "supported", (18, 31, 1, 19), None),
    ('http.host wildcard "/a**"', "invalid-wildcard", "error",
     "a wildcard pattern may not contain ** (two consecutive stars)", (19, 25, 1, 20), None),
    ('lower(http.host, http.host) eq "x"', "argument-count", "error",
     "lower() takes 1 argument, but 2 were given", (0, 27, 1, 1), None),
    ('starts_with("x", "a")', "argument-kind", "error",
     "argument 1 of starts_with() (source) must be a field, not a literal",
     (12, 15, 1, 13), None),
    ("len(cf.threat_score) gt 1", "argument-type", "error",
     "argument 1 of len() (value) must be Bytes or Array<T>, found Int", (4, 19, 1, 5), None),
    ('http.request.headers.names[*] eq "x"', "map-each-outside-quantifier", "error",
     "a comparison using [*] gives one result per element (Array<Bool>); it must be wrapped "
     "in any(…) or all(…)", (0, 36, 1, 1),
     "wrap it: any(…) is true if one element matches, all(…) if every one does"),
    ("starts_with(http.host, http.request.headers.names[*])", "map-each-outside-quantifier",
     "error", "[*] may only be used in the first argument of starts_with()", (23, 52, 1, 24),
     None),
    ('http.host[0] eq "a"', "invalid-index", "error",
     "cannot index a Bytes value with [0]; only arrays and maps can be indexed",
     (9, 12, 1, 10), None),
    ('http.host eq "a"\tand ssl', "tab-character", "warning",
     "TAB character inside the expression; Cloudflare's parser accepts only spaces and line "
     "breaks between tokens", (16, 17, 1, 17), "replace the TAB with a space"),
    ('ip.geoip.country eq "FR"', "deprecated-field", "warning",
     "ip.geoip.country is deprecated; use ip.src.country", (0, 16, 1, 1), "ip.src.country"),
    ('http.host in {"a", "b"}', "syntax", "error",
     "list items are separated by spaces, not commas", (17, 18, 1, 18),
     'remove the commas: {"a" "b"}'),
    ('http.host eq "a" ssl', "syntax", "error",
     "expected 'and', 'or', 'xor' or the end of the expression, found 'ssl'",
     (17, 20, 1, 18), None),
    ('http.host eq "a" and\n  (ssl or', "syntax", "error",
     "expected an expression, found the end of the expression", (30, 30, 2, 10), None),
    ("", "empty-expression", "error", "the expression is empty; expected a filter expression",
     (0, 0, 1, 1), None),
    ("(" * 129 + "ssl" + ")" * 129, "too-deep", "error",
     "the expression nests more than 128 levels of parentheses, not, any/all and function "
     "calls", (128, 129, 1, 129), None),
]


@pytest.mark.parametrize(("text", "code", "severity", "message", "where", "hint"), CASES,
                         ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_diagnostic(text, code, severity, message, where, hint):
    parsed = parse(text)
    assert [(d.code, d.severity, d.message, (d.span.start, d.span.end, d.span.line,
             d.span.column), d.hint) for d in parsed.diagnostics] == [
        (code, severity, message, where, hint)]
    assert parsed.ok is (severity != "error")


def test_too_long_is_reported_and_short_enough_text_still_parsed():
    text = " or ".join(['http.host eq "example.com"'] * 160)
    parsed = parse(text)
    assert [(d.code, d.message) for d in parsed.diagnostics] == [
        ("too-long",
         f"the expression is {len(text):,} characters long; Cloudflare accepts at most 4,096")]
    assert parsed.tree is not None and len(parsed.tree.items) == 160


def test_value_context_accepts_any_single_value_and_string_context_requires_bytes():
    for text in ('concat("/x", http.request.uri.path)', "ip.src", "len(http.host)",
                 "cf.bot_management.score", "ssl"):
        assert parse(text, context="value").diagnostics == (), text
    [diagnostic] = parse("http.request.headers.names", context="value").diagnostics
    assert (diagnostic.code, diagnostic.message, diagnostic.span.start, diagnostic.span.end) == (
        "type-mismatch", "a value expression must produce one value (a string, integer, IP "
        "address or Bool), found Array<Bytes>", 0, 26)
    assert parse('concat("/x", http.request.uri.path)', context="string").diagnostics == ()
    [diagnostic] = parse("len(http.host)", context="string").diagnostics
    assert (diagnostic.code, diagnostic.message, diagnostic.hint) == (
        "type-mismatch", "this value expression must produce a string (Bytes), found Int",
        "convert it with to_string(…)")
    [diagnostic] = parse("", context="value").diagnostics
    assert diagnostic.message == "the expression is empty; expected a value expression"
    [diagnostic] = parse("", context="string").diagnostics
    assert diagnostic.message == "the expression is empty; expected a value expression"


def test_type_errors_do_not_stop_the_parse():
    parsed = parse('http.hots eq "x" and cf.threat_score contains 10 and ip.src eq "1.2.3.4"')
    assert [d.code for d in parsed.diagnostics] == [
        "unknown-field", "unsupported-operator", "type-mismatch"]
    assert parsed.tree is not None


def test_multiline_spans():
    parsed = parse('ssl and\nhttp.hots eq "x"')
    [diagnostic] = parsed.diagnostics
    span = diagnostic.span
    assert (span.start, span.end, span.line, span.column, span.end_line, span.end_column) == (
        8, 17, 2, 1, 2, 10)
