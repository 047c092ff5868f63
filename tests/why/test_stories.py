"""The four seed stories of issue 16, from configuration files, with the exact output.

Each story's full text output is a golden file beside its fixture (``expected.txt``); the
assertions above each comparison name what the story is about, so a golden rewrite that
loses it still fails.
"""

from __future__ import annotations

import json

from .conftest import FIXTURES, assert_golden

TIKTOK = FIXTURES / "tiktok-export"
MAUTIC = FIXTURES / "mautic-owasp"
BOTS = FIXTURES / "api-bot-fight-mode"
CUSTOM = FIXTURES / "custom-block"

TIKTOK_ARGS = (
    "why", "fixtures/why/tiktok-export/zone.json", "--url", "https://shop.example.com/admin/tiktok-creator/export-mp4",
    "--method", "POST", "--ip", "203.0.113.7", "--blocked-by", "5de7edfa648c4d6891dc3e7f84534ffa",
)


def test_managed_false_positive_gets_an_exception_for_only_the_firing_rule_path_and_method(rulelint):
    run = rulelint(*TIKTOK_ARGS, "--format", "json")
    assert run.code == 0, run.err
    trace = json.loads(run.out)
    assert trace["verdict"]["outcome"] == "blocked"
    assert trace["verdict"]["stage"] == "http_request_firewall_managed"
    exception = trace["exception"]
    assert exception["rule"]["action"] == "skip"
    assert exception["rule"]["action_parameters"] == {
        "rules": {"efb7b8c949ac4650a09736fc376e9aee": ["5de7edfa648c4d6891dc3e7f84534ffa"]}
    }
    assert exception["rule"]["expression"] == (
        'http.host eq "shop.example.com" and http.request.uri.path eq "/admin/tiktok-creator/export-mp4" '
        'and http.request.method eq "POST" and ip.src in {203.0.113.7}'
    )
    assert exception["phase"] == "http_request_firewall_managed"
    assert "before the execute rule \"Cloudflare Managed Ruleset\"" in exception["placement"]
    assert exception["proof"] == [
        "parses and type-checks",
        "matches this request",
        "with it in place the request passes that rule (traced again)",
        "rulelint's checks report nothing on it",
    ]
    # the members docs/why.md documents, no more, no fewer
    assert set(trace) == {"version", "request", "zone", "steps", "verdict", "exception", "blocked_by", "blocked_in",
                          "event", "notes"}
    assert {key for step in trace["steps"] for key in step} == {
        "stage", "subject", "outcome", "effect", "action", "rule_id", "ruleset_id", "location", "failed_condition",
        "depends_on", "expression", "notes"}
    assert set(trace["verdict"]) == {"outcome", "summary", "stage", "rule_id", "step", "possible", "advice"}
    assert set(exception) == {"phase", "kind", "rule", "terraform", "terraform_version", "placement", "proof", "notes"}
    assert_golden(TIKTOK / "expected.json", run.out)
    text = rulelint(*TIKTOK_ARGS)
    assert_golden(TIKTOK / "expected.txt", text.out)


def test_mautic_request_blocked_by_owasp_949110_gets_a_managed_exception_scoped_by_url_and_source(rulelint):
    run = rulelint("why", "fixtures/why/mautic-owasp/waf.tf", "--event", "fixtures/why/mautic-owasp/firewall_events.ndjson",
                   "--ray-id", "8e1f2a3b4c5d6e7f")
    assert run.code == 0, run.err
    assert "verdict: blocked by managed rule 6179ae15870a4bb7b2d480d4843b323c of Cloudflare OWASP Core Ruleset" in run.out
    assert ('expression: http.host eq "mautic.example.com" and http.request.uri.path eq "/s/emails/edit/12" '
            'and http.request.method eq "POST" and ip.src in {198.51.100.23}') in run.out
    assert '"4814384a9e5d4991b9815dcfc25d2f1f" = ["6179ae15870a4bb7b2d480d4843b323c"]' in run.out  # Terraform v5, as the input
    assert "FAILED" not in run.out
    assert_golden(MAUTIC / "expected.txt", run.out)


def test_mautic_office_range_becomes_a_named_list_in_the_exception(rulelint):
    run = rulelint("why", "fixtures/why/mautic-owasp/waf.tf", "--url", "https://mautic.example.com/s/emails/edit/12",
                   "--method", "POST", "--ip", "198.51.100.0/28", "--blocked-by", "949110", "--format", "json")
    exception = json.loads(run.out)["exception"]
    assert exception["rule"]["expression"].endswith("and ip.src in $mautic_example_com_clients_ips")
    assert exception["notes"][0] == (
        "create the IP list $mautic_example_com_clients_ips with 198.51.100.0/28 (the clients this exception is for) "
        "before deploying it"
    )
    assert not [line for line in exception["proof"] if line.startswith("FAILED")]


def test_api_client_on_a_bot_fight_mode_zone_is_told_no_skip_rule_helps_and_what_does(rulelint):
    run = rulelint("why", "fixtures/why/api-bot-fight-mode/bundle.json", "--event",
                   "fixtures/why/api-bot-fight-mode/firewall-events.json")
    assert run.code == 0, run.err
    assert "verdict: challenged by Bot Fight Mode" in run.out
    assert "No skip rule can help" in run.out
    assert "an IP Access Rule with action allow for the client's address" in run.out
    assert "skips phase http_request_sbfm: that does nothing for Bot Fight Mode" in run.out
    assert "narrowest exception" not in run.out
    assert_golden(BOTS / "expected.txt", run.out)


def test_request_blocked_by_a_custom_rule_is_traced_to_it(rulelint):
    run = rulelint("why", "fixtures/why/custom-block/zone.json", "--url", "https://www.example.com/api/orders?draft=1",
                   "--method", "POST", "--ip", "192.0.2.44", "--header", "User-Agent: shop-sync/2.1",
                   "--header", "Content-Type: application/json", "--no-other-headers")
    assert run.code == 0, run.err
    assert ('verdict: blocked by rule "Block API writes without a key" (b2c3d4e5f6a7489900aabbccddeeff11) '
            "(custom rules, phase http_request_firewall_custom)") in run.out
    assert "FAILED" not in run.out
    assert_golden(CUSTOM / "expected.txt", run.out)


def test_without_the_header_the_custom_rule_is_unknown_not_false(rulelint):
    run = rulelint("why", "fixtures/why/custom-block/zone.json", "--url", "https://www.example.com/api/orders",
                   "--method", "POST", "--ip", "192.0.2.44")
    assert "? unknown     rule \"Block API writes without a key\"" in run.out
    assert "      depends on the header x-api-key" in run.out
    assert "verdict: reaches the origin unless one of these rules matches" in run.out
    assert "may also act: rule \"Block API writes without a key\" (b2c3d4e5f6a7489900aabbccddeeff11): depends on the header x-api-key" in run.out
