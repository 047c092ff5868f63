"""managed-rules-coverage: where findings point, what is assumed, and when the check stays
silent because it cannot tell."""

from __future__ import annotations

import json

from rulelint.pipeline.engine import analyse

ZONE = "0da42c8d2132a9ddaf714f9e7c920711"
CMR = "efb7b8c949ac4650a09736fc376e9aee"
OWASP = "4814384a9e5d4991b9815dcfc25d2f1f"


def _managed(*rules, ruleset_id="m1"):
    return {"success": True, "errors": [], "messages": [], "result": {
        "id": ruleset_id, "kind": "zone", "phase": "http_request_firewall_managed", "rules": list(rules)}}


def _execute(rule_id, ruleset, expression="true", overrides=None, enabled=True):
    params = {"id": ruleset}
    if overrides is not None:
        params["overrides"] = overrides
    return {"id": rule_id, "action": "execute", "expression": expression, "action_parameters": params,
            "enabled": enabled}


def _findings(tmp_path, *documents):
    paths = []
    for index, document in enumerate(documents):
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(document, indent=1))
        paths.append(str(path))
    return analyse(paths, select=["managed-rules-coverage"]).findings


def _dns(*names):
    return {"success": True, "errors": [], "messages": [], "result": [
        {"id": f"d{i}", "name": name, "type": "A", "content": "198.51.100.1", "proxied": True, "zone_id": ZONE}
        for i, name in enumerate(names)]}


def test_a_missing_execute_names_the_entry_point_and_the_assumptions(tmp_path):
    (finding,) = _findings(tmp_path, _managed(_execute("x1", OWASP)))
    assert finding.severity == "error"
    assert finding.location.rule_id == "m1"
    assert finding.message == (
        "No enabled execute rule runs the Cloudflare Managed Ruleset or the Free Managed Ruleset on "
        "this zone: no Cloudflare-maintained WAF rule inspects its requests (account-level rulesets "
        "were not among the inputs: assumed none runs it)."
    )
    # The plan is unknown: the ruleset every plan can run, and the paid one in the note.
    assert finding.suggestion.action_parameters == {"id": "77454fe2d30c4220b5701f6fdfb893ba"}
    assert f"on a paid plan, the Cloudflare Managed Ruleset, {CMR}, instead" in finding.suggestion.note


def test_managed_rulesets_listed_beside_the_entry_point_are_not_entry_points(tmp_path):
    """A bundle lists Cloudflare's managed rulesets (kind managed, no rules): they neither hide
    the missing execute nor count as unread."""
    bundle = {"bundle_format": "rulelint.zone-bundle/1", "account": {"id": "a1", "rulesets": []}, "zones": [{
        "zone": {"id": ZONE, "name": "example.com", "plan": "business"},
        "rulesets": {
            "entrypoints": {"http_request_firewall_managed": {
                "id": "m1", "kind": "zone", "phase": "http_request_firewall_managed",
                "rules": [_execute("x1", CMR, enabled=False)]}},
            "managed_index": [{"id": CMR, "kind": "managed", "phase": "http_request_firewall_managed"}],
        }}]}
    (finding,) = _findings(tmp_path, bundle)
    assert finding.message == (
        "No enabled execute rule runs the Cloudflare Managed Ruleset on this zone: no "
        "Cloudflare-maintained WAF rule inspects its requests."
    )
    assert finding.suggestion.action_parameters == {"id": CMR}


def test_a_disabled_execute_rule_counts_as_missing(tmp_path):
    (finding,) = _findings(tmp_path, _managed(_execute("x1", CMR, enabled=False)))
    assert finding.message.startswith("No enabled execute rule runs")


def test_no_managed_phase_among_the_inputs_is_not_judged(tmp_path):
    custom = {"success": True, "errors": [], "messages": [], "result": {
        "id": "c1", "kind": "zone", "phase": "http_request_firewall_custom",
        "rules": [{"id": "r1", "action": "block", "expression": "true", "enabled": True}]}}
    assert _findings(tmp_path, custom) == []


def test_a_managed_phase_the_token_could_not_read_is_left_to_unreadable_part(tmp_path):
    bundle = {"bundle_format": "rulelint.zone-bundle/1", "zones": [{
        "zone": {"id": ZONE, "name": "example.com", "plan": "pro"},
        "unreadable": [{"what": "rulesets:http_request_firewall_managed", "status": 403, "error": "Forbidden"}]}]}
    assert _findings(tmp_path, bundle) == []


def test_a_partial_execute_names_every_host_it_leaves_out(tmp_path):
    managed = _managed(_execute("x1", CMR, 'http.host in {"www.example.com" "shop.example.com"}'))
    (finding,) = _findings(tmp_path, managed, _dns("www.example.com", "api.example.com", "admin.example.com"))
    assert finding.severity == "warning"
    assert finding.location.rule_id == "x1"
    assert finding.message.endswith("requests to admin.example.com and api.example.com are never inspected by it.")


def test_a_path_scoped_execute_is_partial_without_host_names(tmp_path):
    managed = _managed(_execute("x1", CMR, 'starts_with(http.request.uri.path, "/api/")'))
    (finding,) = _findings(tmp_path, managed, _dns("www.example.com"))
    assert finding.message.endswith("every other request is never inspected by it.")


def test_executes_that_together_cover_everything_are_not_partial(tmp_path):
    managed = _managed(
        _execute("x1", CMR, 'http.host eq "api.example.com"'),
        _execute("x2", CMR, 'http.host ne "api.example.com"'),
    )
    assert _findings(tmp_path, managed) == []


def test_an_expression_that_does_not_parse_is_not_judged_partial(tmp_path):
    assert _findings(tmp_path, _managed(_execute("x1", CMR, 'http.host eq "a" and ('))) == []


def test_paranoia_level_categories_are_not_counted_but_other_owasp_categories_are(tmp_path):
    overrides = {"categories": [
        {"category": "paranoia-level-2", "enabled": False},
        {"category": "paranoia-level-3", "enabled": False},
        {"category": "language-php", "enabled": False},
    ]}
    managed = _managed(_execute("x1", CMR), _execute("x2", OWASP, overrides=overrides))
    (finding,) = _findings(tmp_path, managed)
    assert finding.location.rule_id == "x2"
    assert finding.message == (
        "The execute rule of the Cloudflare OWASP Core Ruleset turns 1 category off (language-php), for every request."
    )


def test_the_owasp_anomaly_rule_turned_off_is_one_error_not_also_a_count(tmp_path):
    overrides = {"rules": [{"id": "6179ae15870a4bb7b2d480d4843b323c", "enabled": False}]}
    (finding,) = _findings(tmp_path, _managed(_execute("x1", CMR), _execute("x2", OWASP, overrides=overrides)))
    assert finding.severity == "error"
    assert "sets the anomaly-score rule 6179ae15870a4bb7b2d480d4843b323c, the rule that blocks, off" in finding.message


def test_an_account_ruleset_that_runs_it_for_the_zone_covers_it(tmp_path):
    bundle = {
        "bundle_format": "rulelint.zone-bundle/1",
        "account": {"id": "f037e56e89293a057740de681ac9abbe", "rulesets": [{
            "id": "root1", "kind": "root", "phase": "http_request_firewall_managed",
            "rules": [_execute("acc1", CMR, 'cf.zone.name in {"example.com"} and cf.zone.plan eq "ENT"')]}]},
        "zones": [{
            "zone": {"id": ZONE, "name": "example.com", "plan": "enterprise"},
            "rulesets": {"entrypoints": {}},
            "unreadable": [{"what": "rulesets:http_request_firewall_managed", "status": 404, "error": "absent"}],
        }],
    }
    assert _findings(tmp_path, bundle) == []


def test_an_exception_that_skips_the_anomaly_rule_is_broad_skips_not_this_checks(tmp_path):
    """One finding per cause: broad-skip reports an exception skipping the anomaly-score rule."""
    skip = {"id": "s1", "action": "skip", "expression": 'http.request.uri.path eq "/graphql"', "enabled": True,
            "action_parameters": {"rules": {OWASP: ["6179ae15870a4bb7b2d480d4843b323c"]}}}
    assert _findings(tmp_path, _managed(skip, _execute("x1", CMR), _execute("x2", OWASP))) == []


def test_a_partial_execute_without_host_or_path_is_quoted(tmp_path):
    managed = _managed(_execute("x1", CMR, "not ip.src in $office_ips"))
    (finding,) = _findings(tmp_path, managed)
    assert finding.message == (
        "The Cloudflare Managed Ruleset runs only for requests matching `not ip.src in $office_ips`; "
        "every other request is never inspected by it."
    )


def test_every_alternative_of_a_partial_execute_is_named(tmp_path):
    managed = _managed(_execute("x1", CMR, 'http.host eq "a.example.com" or http.host eq "b.example.com"'))
    (finding,) = _findings(tmp_path, managed, _dns("a.example.com", "c.example.com"))
    assert finding.message.startswith(
        'The Cloudflare Managed Ruleset runs only for requests to "a.example.com" or requests to "b.example.com"; '
        "requests to c.example.com are never inspected by it."
    )
