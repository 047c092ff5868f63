"""Forms wirefilter (Cloudflare's engine) reads in a surprising way, and rulelint must too.

Each case was checked against the oracle (octorules-wirefilter) when written; the conformance
suite (tests/conformance) keeps checking the verdicts. Here the exact diagnostics are pinned.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulelint.language import parse, print_expression
from rulelint.language.ast import Comparison, Field, Group, IpLit, ListLit, Logical, Not, Quantifier


def diagnostics(text, context="filter"):
    return [(d.code, d.severity, d.message, (d.span.start, d.span.end), d.hint)
            for d in parse(text, context).diagnostics]


# --- 1. integers: no input raises -----------------------------------------------------------

@pytest.mark.parametrize("text", ["cf.threat_score eq 0xx0", "cf.threat_score eq 0xg",
                                  "cf.threat_score eq 0x", "cf.threat_score in { 0x}"])
def test_0x_without_hex_digits_is_one_error(text):
    [(code, severity, message, span, hint)] = diagnostics(text)
    start = text.index("0x")
    assert (code, severity, span) == ("invalid-literal", "error", (start, start + 2))
    assert message.startswith("expected hexadecimal digits after 0x, found ")


def test_0xx0_message():
    assert diagnostics("cf.threat_score eq 0xx0") == [
        ("invalid-literal", "error", "expected hexadecimal digits after 0x, found 'x0'", (19, 21), None)]


def test_integer_forms_follow_wirefilter():
    assert parse("cf.threat_score eq -01").tree.rhs.value == -1  # - then decimal digits
    assert parse("cf.threat_score eq 017").tree.rhs.value == 15  # leading 0: octal
    assert diagnostics("cf.threat_score eq 0X1F") == [  # only a lowercase 0x is hex
        ("syntax", "error", "expected 'and', 'or', 'xor' or the end of the expression, found 'X1F'",
         (20, 23), None)]
    assert not parse("cf.threat_score eq -0x1").ok  # -0 then x1
    assert parse("cf.threat_score eq 10or ssl").tree == Logical("or", (
        Comparison(Field("cf.threat_score"), "eq", parse("cf.threat_score eq 10").tree.rhs),
        Field("ssl")))
    assert diagnostics("cf.threat_score eq 10and ssl")[0][:3] == (
        "invalid-literal", "error", "10a is not a valid decimal integer")


@settings(max_examples=200, deadline=None)
@given(field=st.sampled_from(["cf.threat_score", "ip.src", "http.host"]),
       op=st.sampled_from([" eq ", " in {", " lt ", " contains "]),
       tail=st.text(alphabet="0123456789abcdefxX.:-/+ {}\\\"r#$_gz", max_size=12))
def test_random_literals_never_raise(field, op, tail):
    text = field + op + tail
    parsed = parse(text)
    assert all(0 <= d.span.start <= d.span.end <= len(text) for d in parsed.diagnostics)
    if parsed.ok:
        assert parse(print_expression(parsed.tree)).tree == parsed.tree


# --- 3. keywords matched by prefix ----------------------------------------------------------

KEYWORD_SPACING = [
    ("notssl", "'not' runs into 'ssl'; put a space after the keyword (this is read as 'not ssl')",
     (0, 3), "write: not ssl"),
    ("ssl andssl", "'and' runs into 'ssl'; put a space after the keyword (this is read as 'and ssl')",
     (4, 7), "write: and ssl"),
    ("ssl orssl", "'or' runs into 'ssl'; put a space after the keyword (this is read as 'or ssl')",
     (4, 6), "write: or ssl"),
    ('notany(http.request.headers.names[*] eq "a")',
     "'not' runs into 'any'; put a space after the keyword (this is read as 'not any')", (0, 3),
     "write: not any"),
    ("cf.threat_score eq10", "'eq' runs into '10'; put a space after the keyword "
     "(this is read as 'eq 10')", (16, 18), "write: eq 10"),
]


@pytest.mark.parametrize(("text", "message", "span", "hint"), KEYWORD_SPACING)
def test_keyword_run_into_a_word_is_read_by_prefix_with_a_warning(text, message, span, hint):
    parsed = parse(text)
    assert parsed.ok
    assert diagnostics(text) == [("keyword-spacing", "warning", message, span, hint)]


def test_prefix_keywords_build_the_same_tree_as_spaced_ones():
    assert parse("notssl").tree == parse("not ssl").tree == Not(Field("ssl"))
    assert parse("ssl andnotssl").tree == parse("ssl and not ssl").tree
    assert parse("notnot ssl").tree == Not(Not(Field("ssl")))
    assert parse('nothttp.host eq "a"').tree == parse('not http.host eq "a"').tree


def test_a_keyword_prefix_is_still_a_keyword_where_wirefilter_expects_one():
    # At a simple expression, 'not' wins even over a longer name: notes = not es.
    assert [d.code for d in parse("notes").diagnostics] == ["keyword-spacing", "unknown-field"]
    # After a value, an operator is matched by prefix: eqs = eq s (then s is no value).
    assert not parse('http.host eqs "a"').ok
    assert parse('http.host eq"a" or ssl').diagnostics == ()  # no word character follows


# --- 4. any()/all() take one comparison, or a parenthesised combination ---------------------

def test_quantifier_argument_is_one_comparison():
    names = 'http.request.headers.names[*] eq "a"'
    assert diagnostics(f"any({names} and {names})") == [
        ("syntax", "error", "any(…) takes a single comparison; to combine several with 'and', put "
         "them in parentheses: any((… and …))", (41, 44), "wrap the argument in parentheses: any((…))")]
    assert not parse(f"all({names} or {names})").ok
    tree = parse(f"any(({names} and {names}))").tree
    assert isinstance(tree, Quantifier) and isinstance(tree.arg, Group)
    assert parse(f"any(not {names} and {names})").ok  # starts with not: a whole logical expression
    assert parse(f"any(({names}) and {names})").ok  # starts with (: likewise
    assert diagnostics('any("a")') == [
        ("type-mismatch", "error", "any() needs an Array<Bool> argument (a comparison using [*]), "
         "found Bytes", (4, 7), 'e.g. any(http.request.headers.names[*] eq "x-api-key")')]


# --- 5. a function argument that starts with ( is a condition -------------------------------

@pytest.mark.parametrize(("text", "span", "shown"), [
    ("len((http.host)) eq 1", (5, 14), "http.host"),
    ("len(((http.host))) eq 1", (6, 15), "http.host"),
    ('concat(http.host, (http.host)) eq "a"', (19, 28), "http.host"),
    ("len((http.request.headers.names)) eq 1", (5, 31), "http.request.headers.names"),
])
def test_parenthesised_value_argument_is_a_syntax_error(text, span, shown):
    assert diagnostics(text) == [
        ("syntax", "error", f"expected a comparison operator after {shown}: an argument that starts "
         "with '(' is read as a condition, so a value may not be wrapped in parentheses", span,
         f"remove the parentheses around {shown}")]


def test_parenthesised_condition_argument_is_type_checked_as_a_condition():
    assert [d.code for d in parse('lower((http.host eq "a")) eq "a"').diagnostics] == ["argument-type"]
    assert parse('len(http.host) eq 1').ok


# --- 6. regex hex escapes -------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "problem"), [
    ("a\\x4", "incomplete escape \\x4: \\x takes exactly 2 hex digits or {…}"),
    ("a\\x", "incomplete escape \\x: \\x takes exactly 2 hex digits or {…}"),
    ("a\\u004", "incomplete escape \\u004: \\u takes exactly 4 hex digits or {…}"),
    ("\\U0000004", "incomplete escape \\U0000004: \\U takes exactly 8 hex digits or {…}"),
    ("a\\x{", "incomplete \\x{…} escape: no closing }"),
    ("a\\u{", "incomplete \\u{…} escape: no closing }"),
    ("a\\x{}", "empty hexadecimal escape \\x{}"),
    ("\\xzz", "invalid hexadecimal digit in the escape \\xzz"),
    ("[\\x4]", "invalid hexadecimal digit in the escape \\x4]"),
    ("\\x{110000}", "\\x110000 is not a Unicode scalar value"),
    ("\\x{d800}", "\\xd800 is not a Unicode scalar value"),
])
def test_incomplete_or_bad_hex_escapes_in_a_regex(pattern, problem):
    text = f'http.host matches "{pattern}"'
    assert diagnostics(text) == [
        ("invalid-regex", "error", f"invalid regular expression: {problem}", (18, len(text)), None)]


@pytest.mark.parametrize("pattern", ["a\\x41", "\\x{41}", "\\x{100}", "\\u{ff}", "\\u00ff",
                                     "\\U000000ff", "[\\x41-\\x5a]", "\\\\x4"])
def test_complete_hex_escapes_in_a_regex(pattern):
    assert parse(f'http.host matches "{pattern}"').diagnostics == ()


# --- 7. IP list elements: the cidr crate's lenient forms ------------------------------------

@pytest.mark.parametrize(("element", "address", "prefix", "message", "hint"), [
    ("1.1.1.01", "1.1.1.1", None, "1.1.1.01 is read as the address 1.1.1.1; write the address in full",
     "write 1.1.1.1"),
    ("10.20", "10.20.0.0", None, "10.20 is read as the address 10.20.0.0; write the address in full",
     "write 10.20.0.0"),
    ("129.169.7", "129.169.7.0", None,
     "129.169.7 is read as the address 129.169.7.0; write the address in full", "write 129.169.7.0"),
    ("10", "10.0.0.0", None, "10 is read as the address 10.0.0.0; write the address in full",
     "write 10.0.0.0"),
    ("10.20/16", "10.20.0.0", 16, "10.20 is read as the address 10.20.0.0; write the network in full",
     "write 10.20.0.0/16"),
])
def test_short_and_leading_zero_ipv4_list_elements(element, address, prefix, message, hint):
    text = f"ip.src in {{{element}}}"
    parsed = parse(text)
    assert parsed.ok
    assert parsed.tree.rhs == ListLit((IpLit(address, prefix),))
    assert diagnostics(text) == [("ip-short-form", "warning", message, (11, 11 + len(element)), hint)]
    printed = print_expression(parsed.tree)
    assert printed == f"ip.src in {{{address}{'' if prefix is None else f'/{prefix}'}}}"
    again = parse(printed)
    assert again.tree == parsed.tree and again.diagnostics == ()


@pytest.mark.parametrize(("text", "code", "message"), [
    ("ip.src eq 1.1.1.01", "invalid-literal", "1.1.1.01 is not a valid IP address"),
    ("ip.src eq 10.20", "invalid-literal", "10.20 is not a valid IP address"),
    ("ip.src in {10.20..10.30}", "invalid-literal", "10.20 is not a valid IP address"),
    ("ip.src in {1.1.1.1..1.1.1.01}", "invalid-literal", "1.1.1.01 is not a valid IP address"),
    ("ip.src in {10.20/8}", "host-bits-set", "10.20/8 has host bits set; the network is 10.0.0.0/8"),
    ("ip.src in {256}", "invalid-literal", "256 is not a valid IP address"),
    ("ip.src in {1.2.3.}", "invalid-literal", "1.2.3. is not a valid IP address"),
    ("ip.src in {10/33}", "invalid-literal", "/33 is too long for an IPv4 network (at most /32)"),
])
def test_lenient_forms_stop_where_wirefilter_stops(text, code, message):
    errors = [(d.code, d.message) for d in parse(text).diagnostics if d.severity == "error"]
    assert errors[0] == (code, message)


# --- 8. lower()/upper()/substring() take a field ----------------------------------------------

@pytest.mark.parametrize(("text", "name", "param", "span"), [
    ('lower("test") eq "a"', "lower", "value", (6, 12)),
    ('upper("test") eq "a"', "upper", "value", (6, 12)),
    ('substring("abc", 1) eq "a"', "substring", "field", (10, 15)),
])
def test_functions_the_docs_say_take_a_field_reject_a_literal(text, name, param, span):
    assert diagnostics(text) == [
        ("argument-kind", "error", f"argument 1 of {name}() ({param}) must be a field, not a literal", span, None)]


def test_field_arguments_may_be_function_results():
    assert parse('lower(upper(http.host)) eq "a"').ok
    assert parse('substring(lower(http.host), 1) eq "a"').ok
