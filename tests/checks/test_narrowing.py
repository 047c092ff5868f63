"""Narrowing moves and the narrower-than proof, on hand-built trees."""

from rulelint.analysis import narrowing
from rulelint.language import ast

from .trees import AND, OR, TRUE, host, ip_list, method, path, ua


def add_source(index, item):
    return [ip_list("partner_ips")]


def test_contains_becomes_eq_for_a_complete_path_and_starts_with_for_a_folder():
    assert narrowing.stronger_path_atom(path("contains", "/admin/export-mp4")) == path("eq", "/admin/export-mp4")
    folder = narrowing.stronger_path_atom(path("contains", "/hooks/"))
    assert folder == ast.Call("starts_with", (ast.Field("http.request.uri.path"), ast.StringLit(b"/hooks/")))
    assert narrowing.stronger_path_atom(path("contains", "export")) is None
    assert narrowing.stronger_path_atom(path("contains", "/a?b")) is None


def test_narrow_adds_conjuncts_only_to_selected_alternatives():
    tree = OR(AND(host("a.com"), ip_list("p")), AND(host("b.com"), path("contains", "/x")))
    new = narrowing.narrow(tree, lambda i, item: i == 1, add_source)
    assert new == OR(AND(host("a.com"), ip_list("p")), AND(host("b.com"), path("eq", "/x"), ip_list("partner_ips")))
    assert narrowing.is_narrower(tree, new)


def test_true_is_replaced_not_kept():
    new = narrowing.narrow(TRUE, lambda i, item: True, add_source)
    assert new == ip_list("partner_ips")
    assert narrowing.is_narrower(TRUE, new)


def test_widening_is_not_narrower():
    assert not narrowing.is_narrower(AND(host("a.com"), ip_list("p")), host("a.com"))
    assert not narrowing.is_narrower(path("eq", "/x"), path("contains", "/x"))
    assert not narrowing.is_narrower(host("a.com"), OR(host("a.com"), host("b.com")))
    assert not narrowing.is_narrower(path("contains", "/x"), path("eq", "/y"))


def test_implication_table():
    assert narrowing.implies(path("eq", "/a/b"), path("contains", "/a"))
    assert narrowing.implies(narrowing.starts_with("http.request.uri.path", "/a/"), path("contains", "/a/"))
    assert narrowing.implies(path("eq", "/a/b"), narrowing.starts_with("http.request.uri.path", "/a/"))
    assert not narrowing.implies(path("contains", "/a"), path("eq", "/a"))
    assert not narrowing.implies(method("POST"), path("contains", "/a"))
    assert narrowing.implies(ua("x"), TRUE)


def test_list_names():
    assert narrowing.list_name("Stripe webhooks") == "stripe_webhooks_ips"
    assert narrowing.list_name("", None, "3f2a9c") == "3f2a9c_ips".replace("3f", "rule_3f", 1)
    assert narrowing.list_name(None, "") == "allowed_ips"


def _tree(text):
    from rulelint.language import parse

    parsed = parse(text)
    assert parsed.ok, text
    return parsed.tree


def test_removing_parentheses_or_reordering_is_not_a_suggestion():
    """The cf-terraforming reproducer: `(ip.src in {192.0.2.0/24})` was "narrowed" to itself."""
    original = _tree("(ip.src in {192.0.2.0/24})")
    assert narrowing.checked_suggestion(original, _tree("ip.src in {192.0.2.0/24}")) is None
    assert narrowing.checked_suggestion(_tree("(a.b or c.d)".replace("a.b", "http.host eq \"a\"").replace("c.d", "http.host eq \"b\"")),
                                        _tree('http.host eq "b" or http.host eq "a"')) is None
    assert narrowing.checked_suggestion(_tree('(http.host eq "a") and ((ip.src in $p))'), _tree('http.host eq "a" and ip.src in $p')) is None
    assert narrowing.checked_suggestion(original, _tree("ip.src in {192.0.2.0/24} and ip.src in $p")) == (
        "ip.src in {192.0.2.0/24} and ip.src in $p"
    )


def test_an_always_true_alternative_absorbs_the_narrowed_ones():
    tree = _tree('http.host eq "a.example.com" or true')
    new = narrowing.narrow(tree, lambda i, item: True, add_source)
    assert new == ip_list("partner_ips")
    assert narrowing.checked_suggestion(tree, new) == "ip.src in $partner_ips"


def test_two_path_conditions_are_not_both_strengthened_into_a_contradiction():
    tree = _tree('http.request.uri.path contains "/admin/export" and http.request.uri.path contains "/hooks/"')
    new = narrowing.narrow(tree, lambda i, item: True, add_source)
    assert new == AND(path("contains", "/admin/export"), path("contains", "/hooks/"), ip_list("partner_ips"))


def test_strictness_needs_an_alternative_the_suggestion_no_longer_covers():
    a, b = host("a.com"), host("b.com")
    assert not narrowing.is_strictly_narrower(OR(a, b), OR(b, a))
    assert narrowing.is_strictly_narrower(OR(a, b), OR(a, AND(b, ip_list("p"))))
    # narrowing an alternative another one still covers changes nothing
    assert not narrowing.is_strictly_narrower(OR(a, AND(a, method("POST"))), OR(a, AND(a, method("POST"), ip_list("p"))))
