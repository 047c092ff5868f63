"""Function signatures, regexes and wildcards checked with the engine's precision (issue 18):
exact codes, messages and spans for the smallest input of each group."""

import pytest

from rulelint.language import parse


def errors(text):
    return [(d.code, d.message, (d.span.start, d.span.end))
            for d in parse(text).diagnostics if d.severity == "error"]


@pytest.mark.parametrize(("text", "want"), [
    ('len("") eq 1', ("argument-kind", "argument 1 of len() (value) must be a field, not a literal",
                      (4, 6))),
    ("coalesce(ssl)", ("argument-count", "coalesce() takes at least 2 arguments, but 1 was given",
                       (0, 13))),
    ('coalesce("", 1) eq ""', ("argument-type", "argument 2 of coalesce() (fallbacks) must be "
                               "Bytes (the type of argument 1), found Int", (13, 14))),
    ('coalesce(http.request.headers.names, http.request.headers.names)[0] eq "a"',
     ("argument-type", "argument 1 of coalesce() (value) must be Bytes or Int or Ip or Bool, "
      "found Array<Bytes>", (9, 35))),
    ('concat(http.host, http.request.headers.names) eq ""',
     ("argument-type", "argument 2 of concat() (values) must be Bytes (the type of argument 1), "
      "found Array<Bytes>", (18, 44))),
    ("has_value(http.request.headers.names, 1)",
     ("argument-type", "argument 2 of has_value() (value) must be Bytes (the element type of "
      "argument 1), found Int", (38, 39))),
    ('to_string(1) eq ""', ("argument-kind", "argument 1 of to_string() (value) must be a field, "
                            "not a literal", (10, 11))),
])
def test_function_signatures_as_the_engine_checks_them(text, want):
    assert errors(text) == [want]


@pytest.mark.parametrize("text", [
    'coalesce(http.host, "") eq ""',
    "coalesce(cf.threat_score, 1, 2) eq 1",
    'starts_with(http.host, http.referer)',
    'has_value(http.request.headers.names, "a")',
    "len(http.request.headers.names) eq 1",  # the docs: len() counts an array's elements
    'concat(http.request.headers.names, http.request.headers.values)[0] eq "a"',
])
def test_signatures_that_are_valid(text):
    assert errors(text) == []


@pytest.mark.parametrize(("pattern", "message"), [
    (r"(?u)\p{Foo}", "Unicode property not found: Foo"),
    (r"(?u)\pQ", "Unicode property not found: Q"),
    (r"(?u)\p{sc=Bogus}", "Unicode property value not found: Bogus (for Script)"),
    (r"(?u)\p{Block=Basic_Latin}", "Unicode property not found: Block"),
    (r"(?u)\p{L", r"unclosed Unicode class \p{…: no closing }"),
    ("(?P<1a>x)", "invalid capture group name '1a'"),
    ("(?P<>x)", "empty capture group name"),
    ("(?P<a>x)(?<a>y)", "duplicate capture group name 'a'"),
    ("(?P<a", "unclosed capture group name: no closing >"),
    ("(?ii)x", "duplicate flag i"),
    ("(?i-i)x", "duplicate flag i"),
    ("(?--i)x", "the flag negation operator - is repeated"),
    ("(?i-)x", "the flag negation operator - is not followed by a flag"),
    ("(?)x", "(? is not followed by flags, a group name or :"),
    ("[][]", "unclosed character class ["),
    ("a{1000}{1000}", "the compiled pattern would exceed the regex crate's size limit of "
                      "10,485,760 bytes (repetition counts multiply its size)"),
    (r"(?u)\w{1000}", "the compiled pattern would exceed the regex crate's size limit of "
                      "10,485,760 bytes (repetition counts multiply its size)"),
    ("(" * 251 + "a" + ")" * 251, "the pattern nests more than 250 levels (the regex crate's limit)"),
    ("a" + "*" * 251, "the pattern nests more than 250 levels (the regex crate's limit)"),
])
def test_regexes_the_crate_rejects(pattern, message):
    text = f'http.host matches r#"{pattern}"#'
    assert errors(text) == [("invalid-regex", f"invalid regular expression: {message}",
                             (18, len(text)))]


@pytest.mark.parametrize("pattern", [
    r"(?u)\p{Greek}", r"(?u)\pL", r"(?u)\p{sc=Latn}", r"(?u)\p{Script_Extensions=Greek}",
    r"(?u)\p{gc:Lu}", r"(?u)\p{isAlphabetic}", r"(?u)[\p{L}\d]", r"(?u)\P{any}",
    "(?P<a.b[0]>x)", "(?<_x>a)(?<y>b)", "(?i:a)(?i:b)", "a{ 5 }", "a{5 , 6}", "[a--b]",
    "[a&&b]", "[a[bc]d]", "a{100000}", r"\w{1000}", "(" * 250 + "a" + ")" * 250,
    "a" + "*" * 250, "(?x) a # comment",
])
def test_regexes_the_crate_accepts(pattern):
    assert errors(f'http.host matches r#"{pattern}"#') == []


def test_wildcard_star_limit():
    ten = '"' + "a*" * 10 + '"'
    eleven = '"' + "a*" * 11 + '"'
    assert errors(f"http.host wildcard {ten}") == []
    assert errors(f"http.host strict wildcard {eleven}") == [
        ("invalid-wildcard", "a wildcard pattern may contain at most 10 * (unescaped stars)",
         (26, 50))]
    escaped = '"' + "a*" * 10 + "\\\\*" * 5 + '"'
    assert errors(f"http.host wildcard {escaped}") == []
