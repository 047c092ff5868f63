"""What constant-condition decides about single conditions and whole expressions."""

from __future__ import annotations

import pytest

from rulelint.analysis.constant_conditions import constant_atoms, fold, rewrite
from rulelint.language import parse, print_expression
from rulelint.language.ast import BoolConst


def _tree(text: str):
    parsed = parse(text, "filter")
    assert parsed.ok, text
    return parsed.tree


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("cf.threat_score gt 10", False),
        ("cf.threat_score ge 1", False),
        ("cf.threat_score lt 20", True),
        ("cf.threat_score le 0", True),
        ("cf.threat_score eq 0", True),
        ('http.request.method eq "get"', False),
        ('http.request.method in {"get" "post"}', False),
        ('http.request.uri.path eq "admin"', False),
        ('http.request.uri.path eq "/a?b=1"', False),
        ('http.request.uri.path contains "?debug"', False),
        ('starts_with(http.request.uri.path, "api/")', False),
        ("ip.src in {}", False),
    ],
)
def test_constant_atoms(text, value):
    (atom,) = constant_atoms(_tree(text))
    assert atom.value is value


@pytest.mark.parametrize(
    "text",
    [
        'http.request.method eq "GET"',
        'http.request.method in {"get" "POST"}',  # one item still holds
        'http.request.uri.path contains "admin"',
        'http.request.uri contains "?debug"',
        'lower(http.request.method) eq "get"',
        "cf.bot_management.score lt 30",
    ],
)
def test_conditions_that_vary(text):
    assert constant_atoms(_tree(text)) == []


def test_whole_expression_folds_through_not_or_and_parentheses():
    tree = _tree('not (cf.threat_score gt 10) or http.host eq "a.example.com"')
    atoms = constant_atoms(tree)
    assert fold(tree, {id(a.node): a.value for a in atoms}) is True


def test_removing_constants_keeps_the_rest():
    tree = _tree('(http.host eq "a.example.com" and cf.threat_score lt 5) or ip.src in {}')
    atoms = constant_atoms(tree)
    assert fold(tree, {id(a.node): a.value for a in atoms}) is None
    new = rewrite(tree, {id(a.node): BoolConst(a.value) for a in atoms})
    assert print_expression(new) == 'http.host eq "a.example.com"'
