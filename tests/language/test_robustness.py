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
