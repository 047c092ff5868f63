"""Issue 19, item 10: an answer of an unexpected shape is recorded as an unreadable part, with
the reason, and every other part of the fetch is kept."""

from __future__ import annotations

import json

import pytest

from rulelint.fetch.command import main

from .cf_server import CloudflareStub, envelope, recorded_result
from .conftest import FIREWALL_MANAGED_ENTRYPOINT, TOKEN, ZONE_FILES, ZONE_ID, base_argv, clean_env, fetch_args

Z = f"/zones/{ZONE_ID}"
ENTRYPOINT = f"{Z}/rulesets/{FIREWALL_MANAGED_ENTRYPOINT}"
MANAGED = "rulesets:http_request_firewall_managed"


def entrypoint(**changes):
    return envelope({**recorded_result(ZONE_FILES, ENTRYPOINT), **changes})


def first_rule():
    return recorded_result(ZONE_FILES, ENTRYPOINT)["rules"][0]


#: name → (path, answer body, the part, its bundle key, the recorded reason)
CASES = {
    "list-for-an-object": (ENTRYPOINT, envelope([]), MANAGED, "entrypoints",
                           "unexpected answer: result is a list, expected an object"),
    "null-result": (ENTRYPOINT, envelope(None), MANAGED, "entrypoints",
                    "unexpected answer: result is null, expected an object"),
    "string-for-rules": (ENTRYPOINT, entrypoint(rules="none"), MANAGED, "entrypoints",
                         "unexpected answer: result.rules is a string, expected a list"),
    "rules-not-a-list": (ENTRYPOINT, entrypoint(rules={"0": {}}), MANAGED, "entrypoints",
                         "unexpected answer: result.rules is an object, expected a list"),
    "rule-not-an-object": (ENTRYPOINT, None, MANAGED, "entrypoints",
                           "unexpected answer: result.rules[1] is a number, expected an object"),
    "answer-is-a-list": (ENTRYPOINT, [envelope({})], MANAGED, "entrypoints",
                         "unexpected answer: response is a list, expected an object"),
    "object-for-a-list": (f"{Z}/pagerules", envelope({"id": "x"}), "page_rules", "page_rules",
                          "unexpected answer: result is an object, expected a list"),
    "string-for-bot-management": (f"{Z}/bot_management", envelope("on"), "bot_management", "bot_management",
                                  "unexpected answer: result is a string, expected an object"),
    "setting-without-id": (f"{Z}/settings", envelope([{"value": "high"}]), "settings", "settings",
                           "unexpected answer: result[0].id is missing"),
    "bad-result-info": (f"{Z}/dns_records", envelope([], result_info=[]), "dns_records", "dns_records",
                        "unexpected answer: response.result_info is a list, expected an object"),
}


def fetch(api, tmp_path, name="bundle.json"):
    out = tmp_path / name
    code = main(fetch_args(*base_argv(api, out)), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN), sleep=lambda s: None)
    return code, (json.loads(out.read_text()) if out.exists() else None)


def without(bundle, key):
    """The bundle minus its time stamp, the bad part and the unreadable list."""
    zone = dict(bundle["zones"][0])
    zone.pop("unreadable")
    if key == "entrypoints":
        zone["rulesets"] = {**zone["rulesets"], "entrypoints": {
            phase: ruleset for phase, ruleset in zone["rulesets"]["entrypoints"].items()
            if phase != "http_request_firewall_managed"}}
    else:
        zone.pop(key)
    return {**bundle, "generated_at": None, "zones": [zone]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_malformed_answer_is_one_unreadable_part(name, tmp_path, capsys):
    path, body, part, key, reason = CASES[name]
    if body is None:
        body = entrypoint(rules=[first_rule(), 7])
    with CloudflareStub(ZONE_FILES, token=TOKEN, page_size=3, cursor_size=2) as api:
        clean_code, clean = fetch(api, tmp_path, "clean.json")
        api.fault(path, kind="body", status=200, body=body, times=50)
        code, bundle = fetch(api, tmp_path)
    assert clean_code == 0
    assert code == 1, capsys.readouterr().err
    zone = bundle["zones"][0]
    assert {"what": part, "status": 200, "error": reason} in zone["unreadable"]
    assert [u["what"] for u in zone["unreadable"] if u["status"] != 404] == [part]
    assert without(bundle, key) == without(clean, key)
    if key == "entrypoints":
        assert "http_request_firewall_managed" not in zone["rulesets"]["entrypoints"]
    assert f"warning: example.com: {part}: {reason}" in capsys.readouterr().err
    assert len(api.requests_to(path)) >= 1


def test_a_malformed_zone_lookup_stops_with_a_reason(tmp_path, capsys):
    with CloudflareStub(ZONE_FILES, token=TOKEN) as api:
        api.fault("/zones", kind="body", status=200, body=envelope([{"name": "example.com"}]))
        code, bundle = fetch(api, tmp_path)
    assert code == 2 and bundle is None
    assert "error: zone example.com: unexpected answer: result[0].id is missing" in capsys.readouterr().err


def test_malformed_answers_are_not_retried(tmp_path):
    with CloudflareStub(ZONE_FILES, token=TOKEN) as api:
        api.fault(ENTRYPOINT, kind="body", status=200, body=envelope([]), times=50)
        fetch(api, tmp_path)
    assert len(api.requests_to(ENTRYPOINT)) == 1
