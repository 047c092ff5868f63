"""The scope analysis: what restricts each disjunct of a filter expression."""

from rulelint.language import ast
from rulelint.analysis.scope import MAX_DISJUNCTS, analyse_scope

from .trees import AND, FALSE, NOT, OR, TRUE, cmp, host, ip_list, ips, method, path, s, ua


def kinds(disjunct):
    return sorted((c.kind, c.strength) for c in disjunct.conditions)


def test_true_is_one_always_true_disjunct():
    scope = analyse_scope(TRUE)
    assert scope.always_true and scope.complete
    assert scope.disjuncts[0].breadth == "always"


def test_not_false_is_always_true_and_false_never_matches():
    assert analyse_scope(NOT(FALSE)).always_true
    assert analyse_scope(FALSE).never_matches


def test_x_or_not_x_is_always_true():
    x = host("a.example.com")
    assert analyse_scope(OR(x, NOT(x))).always_true


def test_resolution_inside_a_conjunction_leaves_the_host_only():
    x = ip_list("partners")
    scope = analyse_scope(AND(host("a.example.com"), ast.Group(OR(x, NOT(x)))))
    assert len(scope.disjuncts) == 1
    assert scope.disjuncts[0].breadth == "host"


def test_negated_empty_ip_list_is_always_true():
    empty = cmp("ip.src", "in", ast.ListLit(()))
    assert analyse_scope(NOT(empty)).always_true
    assert analyse_scope(empty).never_matches


def test_negated_source_is_not_a_restriction():
    scope = analyse_scope(AND(path("eq", "/hook"), NOT(ips("192.0.2.1"))))
    (d,) = scope.disjuncts
    assert not d.has_source
    assert kinds(d) == [("other", ""), ("path", "exact")]


def test_path_strengths_and_method():
    d = analyse_scope(AND(path("contains", "/x"), method("POST"))).disjuncts[0]
    assert kinds(d) == [("method", "exact"), ("path", "broad")]
    assert d.breadth is None  # a path pattern with a method is not broad traffic
    d = analyse_scope(ast.Call("starts_with", (ast.Field("http.request.uri.path"), s("/api/")))).disjuncts[0]
    assert kinds(d) == [("path", "prefix")] and d.breadth == "path-pattern"
    d = analyse_scope(cmp("http.request.uri.path", "matches", ast.RegexLit("^/a"))).disjuncts[0]
    assert kinds(d) == [("path", "pattern")]


def test_host_strengths():
    assert kinds(analyse_scope(cmp("http.host", "wildcard", s("*.example.com"))).disjuncts[0]) == [("host", "pattern")]
    call = ast.Call("ends_with", (ast.Field("http.host"), s(".example.com")))
    assert kinds(analyse_scope(call).disjuncts[0]) == [("host", "suffix")]
    lowered = ast.Comparison(ast.Call("lower", (ast.Field("http.host"),)), "eq", s("a.com"))
    assert kinds(analyse_scope(lowered).disjuncts[0]) == [("host", "exact")]


def test_sources():
    def mechanism(tree):
        return [c.strength for c in analyse_scope(tree).disjuncts[0].sources]

    assert mechanism(ip_list("stripe_ips")) == ["ip_list"]
    assert mechanism(ips("192.0.2.1")) == ["ip"]
    assert mechanism(cmp("ip.src", "eq", ast.IpLit("192.0.2.1"))) == ["ip"]
    assert mechanism(cmp("ip.src.asnum", "in", ast.ListLit((ast.IntLit(64500),)))) == ["asn"]
    verified = ast.Field("cf.tls_client_auth.cert_verified")
    assert mechanism(AND(verified, NOT(ast.Field("cf.tls_client_auth.cert_revoked")))) == ["mtls"]
    assert mechanism(AND(verified, cmp("cf.tls_client_auth.cert_fingerprint_sha256", "eq", s("ab")))) == ["mtls"]
    assert mechanism(ast.Field("cf.client.bot")) == ["verified_bot"]
    assert mechanism(cmp("cf.verified_bot_category", "eq", s("Search Engine Crawler"))) == ["verified_bot"]
    assert mechanism(cmp("ip.src", "in", ast.ListLit((ast.IpLit("0.0.0.0", 0),)))) == []


def test_weak_sources_are_no_source_restriction_and_say_why():
    """cloudflare-facts.md, "Source restrictions that hold few people out"."""
    from rulelint.analysis.scope import weakness

    def weak(tree, fetchers_weak=False):
        (d,) = analyse_scope(tree, fetchers_weak).disjuncts
        assert not d.has_source and d.breadth == "unrestricted"
        return [(c.strength, weakness(c)) for c in d.weak_sources]

    [(strength, why)] = weak(cmp("cf.verified_bot_category", "eq", s("")))
    assert strength == "not_verified_bot" and "every request that is not a verified bot" in why
    [(strength, why)] = weak(cmp("ip.src.asnum", "in", ast.ListLit((ast.IntLit(64500), ast.IntLit(16509)))))
    assert strength == "public_cloud_asn" and "(Amazon Web Services)" in why
    [(strength, why)] = weak(ast.Field("cf.tls_client_auth.cert_verified"))
    assert strength == "bare_mtls" and "revoked" in why
    webhooks = cmp("cf.verified_bot_category", "in", ast.ListLit((s("Webhooks"),)))
    [(strength, _)] = weak(webhooks, fetchers_weak=True)
    assert strength == "customer_directed_bot"
    # Only a rule that turns off managed rules or rate limiting makes them weak.
    assert analyse_scope(webhooks).disjuncts[0].has_source


def test_attacker_controlled_conditions_do_not_restrict():
    query = cmp("http.request.uri", "contains", s("/webhook"))
    header = cmp("http.request.headers", "eq", s("x"))  # shape only: attacker field
    for tree in (ua("Stripe"), query, AND(ua("Stripe"), header)):
        (d,) = analyse_scope(tree).disjuncts
        assert d.attacker_only and not d.has_source
        assert d.breadth == "unrestricted"


def test_or_reopens_scope():
    tree = OR(AND(host("a.com"), ip_list("p")), host("b.com"))
    scope = analyse_scope(tree)
    assert [d.breadth for d in scope.disjuncts] == [None, "host"]
    assert len(scope.unscoped()) == 1


def test_not_over_and_distributes():
    scope = analyse_scope(NOT(AND(host("a.com"), path("eq", "/x"))))
    assert len(scope.disjuncts) == 2
    assert all(c.negated for d in scope.disjuncts for c in d.conditions)


def test_xor_expands():
    scope = analyse_scope(ast.Logical("xor", (host("a.com"), ip_list("p"))))
    assert len(scope.disjuncts) == 2
    assert sorted(d.has_source for d in scope.disjuncts) == [False, True]


def test_past_the_size_limit_the_answer_is_conservative():
    pairs = [OR(host(f"h{i}.com"), path("eq", f"/p{i}")) for i in range(10)]  # 2**10 > 256
    scope = analyse_scope(AND(*pairs))
    assert not scope.complete and scope.always_true
    assert str(MAX_DISJUNCTS) in scope.note


# -- what does not count as a source restriction ---------------------------------------------------


def _only(text):
    from rulelint.language import parse

    scope = analyse_scope(parse(text).tree)
    assert len(scope.disjuncts) == 1, text
    return scope.disjuncts[0]


def test_cloudflare_managed_lists_are_hostile_sources_not_allowlists():
    for name in ("cf.open_proxies", "cf.anonymizer", "cf.vpn", "cf.malware", "cf.botnetcc"):
        disjunct = _only(f'http.request.uri.path eq "/sync" and ip.src in ${name}')
        assert not disjunct.has_source, name
        assert [(c.kind, c.strength) for c in disjunct.attacker] == [("attacker", "managed_list")]
    assert _only("ip.src in $cf.vpn").attacker_only
    assert _only("ip.src in $partner_ips").has_source


def test_near_everything_ip_lists_are_not_a_restriction():
    for text in (
        "ip.src in {0.0.0.0/1 128.0.0.0/1}",
        "ip.src in {1.0.0.0..255.255.255.255}",
        "ip.src in {10.0.0.0/7}",
        "ip.src in {64.0.0.0/8 65.0.0.0/8}",  # two /8s: 2**25 addresses
        "ip.src in {2000::/16}",
        "ip.src in {192.0.2.1 ::/0}",
    ):
        disjunct = _only(text)
        assert not disjunct.has_source and disjunct.breadth == "unrestricted", text
    for text in ("ip.src in {17.0.0.0/8}", "ip.src in {2001:db8::/17}", "ip.src in {192.0.2.0..192.0.2.255}"):
        assert _only(text).has_source, text


def test_contradictory_string_tests_never_match():
    from rulelint.language import parse

    for text in (
        'http.request.uri.path eq "/a" and http.request.uri.path eq "/b"',
        'http.request.uri.path contains "/admin" and http.request.uri.path eq "/webhooks"',
        'starts_with(http.request.uri.path, "/api/") and http.request.uri.path eq "/v1/x"',
        'http.host in {"a.example.com" "b.example.com"} and http.host eq "c.example.com"',
    ):
        assert analyse_scope(parse(text).tree).never_matches, text
    assert not analyse_scope(parse('http.request.uri.path contains "/ap" and http.request.uri.path eq "/api"').tree).never_matches
