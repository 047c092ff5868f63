"""print_expression: canonical text, and parse(print(tree)).tree == tree."""

import json

import pytest
from conftest import needs_shared, shared_is_present, shared_path

from rulelint.language import parse, print_expression
from rulelint.language.ast import Comparison, Field, Logical, Not, StringLit


def corpus():
    rows = []
    for line in shared_path("corpus", "expressions.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(json.loads(line.split("\t")[0]))
    return rows


def test_canonical_text():
    text = 'http.host=="a"&&(ip.src in {192.0.2.0/24}||!ssl)  ^^ http.host ~ "^x\\.y"'
    assert print_expression(parse(text).tree) == (
        'http.host eq "a" and (ip.src in {192.0.2.0/24} or not ssl) xor '
        'http.host matches "^x\\.y"')


def test_strings_are_re_escaped_to_the_same_bytes():
    text = 'http.host eq "\\x00\\101\\"\\\\é\\xff" and http.host eq 01:ff and http.host eq r##"a"#"##'
    printed = print_expression(parse(text).tree)
    assert printed == (
        'http.host eq "\\x00A\\"\\\\é\\xff" and http.host eq 01:ff and http.host eq r##"a"#"##')
    assert parse(printed).tree == parse(text).tree


def test_built_trees_get_the_parentheses_they_need():
    a = Comparison(Field("http.host"), "eq", StringLit(b"a"))
    built = Logical("and", (Logical("or", (a, a)), Not(Logical("and", (a, a)))))
    assert print_expression(built) == (
        '(http.host eq "a" or http.host eq "a") and not (http.host eq "a" and http.host eq "a")')


# Without ../shared the corpus tests below are skipped; the ones above still run.
VALID = [text for text in corpus() if parse(text).ok or parse(text, "value").ok] if shared_is_present() else []


@needs_shared
def test_the_corpus_has_enough_valid_expressions():
    assert len(VALID) >= 100


@needs_shared
@pytest.mark.parametrize("text", VALID, ids=range(len(VALID)))
def test_corpus_round_trip(text):
    context = "filter" if parse(text).ok else "value"
    tree = parse(text, context).tree
    printed = print_expression(tree)
    again = parse(printed, context)
    assert again.tree == tree
    assert print_expression(again.tree) == printed
