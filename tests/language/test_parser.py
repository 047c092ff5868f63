"""Parse results: exact trees (spans and types are left out of equality), types and spans."""

import pytest

from rulelint.language import parse
from rulelint.language.ast import (
    BOOL, BYTES, INT, IP, BoolConst, Call, Comparison, Field, Group, Index, IntLit, IpLit,
    ListLit, Logical, NamedList, Not, Quantifier, RangeLit, RegexLit, StringLit, Type,
)

HOST = Field("http.host")
SSL = Field("ssl")
PATH = Field("http.request.uri.path")


def tree(text, context="filter"):
    parsed = parse(text, context)
    assert [d.code for d in parsed.diagnostics if d.severity == "error"] == []
    return parsed.tree


def test_comparison_with_both_spellings():
    assert tree('http.host eq "a"') == Comparison(HOST, "eq", StringLit(b"a"))
    assert tree('http.host == "a"') == Comparison(HOST, "eq", StringLit(b"a"))
    assert tree('http.host == "a"').spelling == "=="


@pytest.mark.parametrize(("text", "op"), [
    ("cf.threat_score ne 1", "ne"), ("cf.threat_score != 1", "ne"),
    ("cf.threat_score lt 1", "lt"), ("cf.threat_score < 1", "lt"),
    ("cf.threat_score le 1", "le"), ("cf.threat_score <= 1", "le"),
    ("cf.threat_score gt 1", "gt"), ("cf.threat_score > 1", "gt"),
    ("cf.threat_score ge 1", "ge"), ("cf.threat_score >= 1", "ge"),
    ("cf.threat_score bitwise_and 1", "bitwise_and"), ("cf.threat_score & 1", "bitwise_and"),
])
def test_int_operators(text, op):
    assert tree(text) == Comparison(Field("cf.threat_score"), op, IntLit(1))


def test_precedence_not_and_xor_or():
    a, b, c, d = (Comparison(HOST, "eq", StringLit(x.encode())) for x in "abcd")
    text = 'http.host eq "a" or http.host eq "b" and http.host eq "c" or http.host eq "d"'
    assert tree(text) == Logical("or", (a, Logical("and", (b, c)), d))
    text = 'http.host eq "a" xor http.host eq "b" or http.host eq "c" and http.host eq "d"'
    assert tree(text) == Logical("or", (Logical("xor", (a, b)), Logical("and", (c, d))))
    text = 'not http.host eq "a" and http.host eq "b"'
    assert tree(text) == Logical("and", (Not(a), b))
    assert tree("ssl && ssl || ssl ^^ !ssl") == Logical(
        "or", (Logical("and", (SSL, SSL)), Logical("xor", (SSL, Not(SSL)))))


def test_chains_of_one_operator_are_flattened():
    assert tree("ssl and ssl and ssl and ssl") == Logical("and", (SSL,) * 4)


def test_groups_are_kept():
    assert tree("(ssl or ssl) and ssl") == Logical(
        "and", (Group(Logical("or", (SSL, SSL))), SSL))


def test_literals_by_left_hand_type():
    assert tree("http.host eq 61:62.63-64") == Comparison(HOST, "eq", StringLit(b"abcd", "hex"))
    assert tree('http.host eq r#"a"b"#') == Comparison(HOST, "eq", StringLit(b'a"b', "raw", 1))
    assert tree('http.host eq "\\x41\\101\\"\\\\"') == Comparison(
        HOST, "eq", StringLit(b'AA"\\'))
    assert tree("ip.src eq 2001:DB8::1") == Comparison(Field("ip.src"), "eq",
                                                       IpLit("2001:db8::1"))
    assert tree("ip.src.asnum eq 0x10") == Comparison(Field("ip.src.asnum"), "eq", IntLit(16))
    assert tree("ip.src.asnum eq 010") == Comparison(Field("ip.src.asnum"), "eq", IntLit(8))
    assert tree("cf.threat_score gt -1") == Comparison(Field("cf.threat_score"), "gt",
                                                       IntLit(-1))


def test_lists_ranges_and_named_lists():
    assert tree("ip.src in {192.0.2.0/24 10.0.0.1..10.0.0.9 ::1}") == Comparison(
        Field("ip.src"), "in", ListLit((
            IpLit("192.0.2.0", 24),
            RangeLit(IpLit("10.0.0.1"), IpLit("10.0.0.9")),
            IpLit("::1"))))
    assert tree("cf.threat_score in {1..5 8}") == Comparison(
        Field("cf.threat_score"), "in", ListLit((RangeLit(IntLit(1), IntLit(5)), IntLit(8))))
    assert tree('http.host in {"a" "b"}') == Comparison(
        HOST, "in", ListLit((StringLit(b"a"), StringLit(b"b"))))
    assert tree("http.host in {}") == Comparison(HOST, "in", ListLit(()))
    assert tree("ip.src in $cf.open_proxies") == Comparison(
        Field("ip.src"), "in", NamedList("cf.open_proxies"))


def test_regex_and_wildcard_right_hand_sides():
    assert tree('http.host matches "\\d+\\.example\\.com"') == Comparison(
        HOST, "matches", RegexLit("\\d+\\.example\\.com"))
    assert tree('http.host ~ r"^a"') == Comparison(HOST, "matches", RegexLit("^a", True))
    assert tree('http.host matches "[\\"]"') == Comparison(HOST, "matches", RegexLit('[\\"]'))
    assert tree('http.host wildcard "*.example.com"') == Comparison(
        HOST, "wildcard", StringLit(b"*.example.com"))
    assert tree('http.host strict wildcard r"\\*"') == Comparison(
        HOST, "strict_wildcard", StringLit(b"\\*", "raw"))


def test_indexing_quantifiers_and_calls():
    names = Field("http.request.headers.names")
    assert tree('any(http.request.headers.names[*] == "x")') == Quantifier(
        "any", Comparison(Index(names, None), "eq", StringLit(b"x")))
    assert tree('all(lower(http.request.headers.names[*])[*] eq "x")') == Quantifier(
        "all", Comparison(Index(Call("lower", (Index(names, None),)), None), "eq",
                          StringLit(b"x")))
    assert tree('http.request.headers["x-a"][0] eq "y"') == Comparison(
        Index(Index(Field("http.request.headers"), "x-a"), 0), "eq", StringLit(b"y"))
    assert tree('starts_with(http.request.uri.path, "/api")') == Call(
        "starts_with", (PATH, StringLit(b"/api")))


def test_true_false_and_value_context():
    assert tree("true") == BoolConst(True)
    assert tree("not false") == Not(BoolConst(False))
    assert tree('concat("/x", http.request.uri.path)', "value") == Call(
        "concat", (StringLit(b"/x"), PATH))


def test_types_and_spans():
    parsed = parse('lower(http.host) eq "a" and len(http.request.uri.args.names) gt 1')
    comparison = parsed.tree.items[0]
    assert comparison.type == BOOL and comparison.lhs.type == BYTES
    assert parsed.tree.items[1].lhs.type == INT
    assert parse("ip.src eq 192.0.2.1").tree.lhs.type == IP
    assert parse('any(http.request.headers.names[*] eq "a")').tree.arg.type == Type("Array", BOOL)
    span = comparison.rhs.span
    assert (span.start, span.end, span.column, span.end_column) == (20, 23, 21, 24)
    assert (parsed.tree.span.start, parsed.tree.span.end) == (0, 65)


def test_keywords_need_no_space_after_a_string():
    assert tree('http.host eq"a"or ssl') == Logical("or", (
        Comparison(HOST, "eq", StringLit(b"a")), SSL))
