"""No input makes parse() raise: every bad input becomes a diagnostic."""

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from rulelint.language import parse, print_expression


def codes(text, context="filter"):
    return [d.code for d in parse(text, context).diagnostics]


def test_ten_megabytes():
    assert codes("x" * 10_000_000) == ["too-long"]


def test_ten_thousand_parentheses():
    assert codes("(" * 10_000 + "ssl" + ")" * 10_000) == ["too-long", "too-deep"]


def test_deep_nesting_of_every_kind_stops_at_128():
    assert codes("not " * 128 + "ssl") == []
    assert codes("not " * 129 + "ssl") == ["too-deep"]
    assert codes("lower(" * 128 + "http.host" + ")" * 128 + ' eq "a"') == []
    assert codes("lower(" * 129 + "http.host" + ")" * 129 + ' eq "a"') == ["too-deep"]


def test_deep_nesting_inside_a_deep_caller_stack():
    def nested(levels):
        if levels:
            return nested(levels - 1)
        return parse("(" * 128 + "ssl" + ")" * 128 + " and ssl")
    assert nested(sys.getrecursionlimit() - 200).diagnostics[0].code in ("too-deep",)


def test_odd_characters():
    assert codes("http.host eq \x00") == ["syntax"]
    assert codes("\ud800") == ["syntax"]
    assert codes('http.host eq "\ud800"') == []
    assert codes("") == ["empty-expression"]
    assert codes(" \n\r ") == ["empty-expression"]
    assert codes("\t") == ["empty-expression"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list('ab.( )"\\[]{}*$,!=&|^~<>0189:-rx#\t\n\x00') + [
    "http.host", " eq ", " and ", " or ", "not ", "ip.src", " in ", "any(", "lower(",
    "[*]", "\ud800", "cf.threat_score"]), max_size=30).map("".join))
def test_random_text_never_raises_and_valid_trees_round_trip(text):
    parsed = parse(text)
    assert all(d.span.start <= d.span.end <= len(text) for d in parsed.diagnostics)
    if parsed.tree is not None and parsed.ok:
        assert parse(print_expression(parsed.tree)).tree == parsed.tree


# --- issue 19 item 5 / issue 18: literals of any size are diagnostics, never ValueError ----------

def errors(text, context="filter"):
    return [(d.code, d.message, d.span.start, d.span.end)
            for d in parse(text, context).diagnostics if d.severity == "error"]


def test_ip_list_element_with_5000_digits():
    text = "ip.src in {" + "1" * 5000 + "}"
    assert errors(text) == [
        ("too-long", "the expression is 5,012 characters long; Cloudflare accepts at most 4,096",
         0, 5012),
        ("invalid-literal", "111111111111111111111111… (5,000 characters) is not a valid IP address",
         11, 5011),
    ]


def test_cidr_length_with_5000_digits():
    text = "ip.src in {::/" + "1" * 5000 + "}"
    assert errors(text)[1] == (
        "invalid-literal",
        "::/111111111111111111111… (5,003 characters) has an invalid network length "
        "/111111111111111111111111… (5,000 characters)", 11, 5014)


def test_ip_octet_with_5000_digits():
    text = "ip.src in {1.2.3." + "1" * 5000 + "}"
    assert errors(text)[1][0] == "invalid-literal"
    assert errors("ip.src eq 1.2.3." + "1" * 5000)[1][0] == "invalid-literal"


def test_integer_with_5000_digits():
    text = "cf.threat_score eq " + "9" * 5000
    assert errors(text)[1] == (
        "invalid-literal",
        "999999999999999999999999… (5,000 characters) does not fit in a 64-bit signed integer",
        19, 5019)
    assert errors("cf.threat_score eq -" + "9" * 30)[0][0] == "invalid-literal"
    assert errors("cf.threat_score eq 0" + "7" * 5000)[1][0] == "invalid-literal"  # octal
    assert errors("cf.threat_score eq 0x" + "f" * 5000)[1][0] == "invalid-literal"


def test_leading_zeros_do_not_count_as_digits():
    assert errors("cf.threat_score eq " + "0" * 5000 + "17") == [errors(
        "cf.threat_score eq " + "0" * 5000 + "17")[0]]  # only too-long: 0…017 is octal 15
    assert parse("ip.src in {10.0.0.0/" + "0" * 30 + "8}").ok


def test_regex_repetition_count_with_5000_digits():
    text = 'http.host matches "a{' + "9" * 5000 + '}"'
    assert errors(text)[1][:2] == (
        "invalid-regex",
        "invalid regular expression: the repetition count in "
        "{999999999999999999999999… (5,000 characters)} is too large (at most 4294967295)")


def test_array_index_with_5000_digits():
    text = "http.request.headers.names[" + "1" * 5000 + '] eq "a"'
    assert [e[0] for e in errors(text)] == ["too-long", "invalid-literal"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parse_never_raises_on_arbitrary_text(text):
    for context in ("filter", "value", "string"):
        parsed = parse(text, context)
        assert not any(d.code == "internal-error" for d in parsed.diagnostics), parsed.diagnostics


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "ip.src in {", "ip.src eq ", "cf.threat_score eq ", "cf.threat_score in {", "::/", "1.2.3.",
    "/", "..", "}", " ", "-", "0x", "0", "9" * 4400, "1" * 25, 'http.host matches "a{', '}"',
    ",", "http.request.headers.names[", "]", ' eq "a"', "substring(http.host, ", ")"]),
    max_size=12).map("".join))
def test_parse_never_raises_on_huge_numbers_anywhere(text):
    parsed = parse(text)
    assert not any(d.code == "internal-error" for d in parsed.diagnostics), parsed.diagnostics


def test_non_ascii_digits_and_zero_padded_octets_in_lists():
    for digit in "²٣":
        assert [d.code for d in parse(f"ip.src in {{1.2.3.{digit}}}").diagnostics] == [
            "invalid-literal", "syntax"]
    padded = parse("ip.src in {1.2.3." + "0" * 5000 + "1}")
    assert [(d.code, d.message) for d in padded.diagnostics][1] == (
        "ip-short-form", "1.2.3.000000000000000000… (5,007 characters) is read as the address "
        "1.2.3.1; write the address in full")
