"""The exception ``why`` writes is valid where it is meant to go: the Terraform snippet, put
where the trace says, is read back by rulelint's own readers as the same rule, and a full
``rulelint check`` of the result reports nothing on it."""

from __future__ import annotations

import json

from rulelint.pipeline import run
from rulelint.readers import read_paths

from .conftest import FIXTURES

REQUEST = ("--url", "https://shop.example.com/admin/tiktok-creator/export-mp4", "--method", "POST",
           "--ip", "203.0.113.7", "--blocked-by", "5de7edfa648c4d6891dc3e7f84534ffa", "--format", "json")
SKIP = {"efb7b8c949ac4650a09736fc376e9aee": ["5de7edfa648c4d6891dc3e7f84534ffa"]}


def _snippet(terraform: str) -> str:
    return "".join(line + "\n" for line in terraform.splitlines() if not line.startswith("#"))


def _on(findings, where: str) -> list:
    """The findings located on the rule at ``where`` (a JSON pointer or a Terraform address)."""
    return [f for f in findings if (f.location.pointer or "").startswith(where) or (f.location.address or "").startswith(where)]


def _read_back(path):
    read = read_paths([str(path)])
    assert read.usable and not read.findings, read.findings
    managed = next(r for r in read.configuration.zones[0].rulesets if r.phase == "http_request_firewall_managed")
    return managed.rules


def test_terraform_v4_exception_reads_back_as_the_same_rule_before_the_execute_rule(rulelint, tmp_path):
    run_ = rulelint("why", "fixtures/why/tiktok-export/v4.tf", *REQUEST)
    exception = json.loads(run_.out)["exception"]
    assert exception["terraform_version"] == "v4"
    assert "      rules = {\n        \"efb7b8c949ac4650a09736fc376e9aee\" = \"5de7edfa648c4d6891dc3e7f84534ffa\"\n" in exception["terraform"]
    source = (FIXTURES / "tiktok-export" / "v4.tf").read_text()
    anchor = '  rules {\n    action = "execute"'
    patched = tmp_path / "main.tf"
    patched.write_text(source.replace(anchor, _snippet(exception["terraform"]) + "\n" + anchor))
    rules = _read_back(patched)
    assert [r.action for r in rules] == ["skip", "execute"]
    assert rules[0].skip.rules == SKIP
    assert rules[0].expression.text == exception["rule"]["expression"]
    assert _on(run([str(patched)]).findings, "cloudflare_ruleset.managed.rules[0]") == []
    # the filter sees findings where there are some: a broad skip in the same place has them
    broad = tmp_path / "broad.tf"
    broad.write_text(source.replace(anchor, '  rules {\n    action = "skip"\n    action_parameters {\n      ruleset = "current"\n'
                                            '    }\n    expression = "true"\n  }\n' + anchor))
    assert {f.check for f in _on(run([str(broad)]).findings, "cloudflare_ruleset.managed.rules[0]")} == {
        "broad-skip", "undocumented-exception"}


def test_terraform_v5_exception_reads_back_as_the_same_rule(rulelint, tmp_path):
    run_ = rulelint("why", "fixtures/why/mautic-owasp/waf.tf", "--url", "https://mautic.example.com/s/emails/edit/12",
                    "--method", "POST", "--ip", "198.51.100.23", "--blocked-by", "949110", "--format", "json")
    exception = json.loads(run_.out)["exception"]
    assert exception["terraform_version"] == "v5"
    source = (FIXTURES / "mautic-owasp" / "waf.tf").read_text()
    anchor = "    }, {\n    action = \"execute\""  # the second execute rule: the OWASP one
    assert source.count(anchor) == 1
    patched = tmp_path / "main.tf"
    patched.write_text(source.replace(anchor, "    },\n" + _snippet(exception["terraform"]).rstrip(",\n") + ", {\n    action = \"execute\""))
    rules = _read_back(patched)
    assert [r.action for r in rules] == ["execute", "skip", "execute"]
    assert rules[1].skip.rules == {"4814384a9e5d4991b9815dcfc25d2f1f": ["6179ae15870a4bb7b2d480d4843b323c"]}
    assert _on(run([str(patched)]).findings, "cloudflare_ruleset.managed.rules[1]") == []


def test_the_api_json_exception_reads_back_as_the_same_rule(rulelint, tmp_path):
    exception = json.loads(rulelint("why", "fixtures/why/tiktok-export/zone.json", *REQUEST).out)["exception"]
    responses = json.loads((FIXTURES / "tiktok-export" / "zone.json").read_text())
    responses[1]["result"]["rules"].insert(0, exception["rule"])
    patched = tmp_path / "zone.json"
    patched.write_text(json.dumps(responses))
    rules = _read_back(patched)
    assert rules[0].skip.rules == SKIP and rules[1].action == "execute"
    assert _on(run([str(patched)]).findings, "/1/result/rules/0/") == []


def test_super_bot_fight_mode_gets_a_custom_skip_of_its_phase_for_exactly_this_request(rulelint, tmp_path):
    """SBFM can be skipped from custom rules, only as a whole phase (cloudflare-facts): the
    exception skips http_request_sbfm for this request; broad-skip's finding on a phase skip
    is stated in the proof and suppressed, with the reason, in the rule's description."""
    bundle = json.loads((FIXTURES / "api-bot-fight-mode" / "bundle.json").read_text())
    zone = bundle["zones"][0]
    zone["bot_management"] = {"fight_mode": False, "sbfm_definitely_automated": "managed_challenge"}
    custom = zone["rulesets"]["entrypoints"]["http_request_firewall_custom"]["rules"]
    custom[:] = [{"id": "wp", "action": "block", "expression": 'http.request.uri.path eq "/wp-login.php"', "enabled": True}]
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    run_ = rulelint("why", str(tmp_path / "bundle.json"), "--url", "https://api.example.com/v1/orders", "--method", "POST",
                    "--ip", "203.0.113.50", "--bot-score", "1", "--format", "json")
    trace = json.loads(run_.out)
    assert trace["verdict"]["summary"] == ("challenged by Super Bot Fight Mode: definitely automated → managed_challenge "
                                           "(Super Bot Fight Mode, phase http_request_sbfm)")
    exception = trace["exception"]
    assert (exception["kind"], exception["phase"]) == ("custom-skip", "http_request_firewall_custom")
    assert exception["rule"]["action_parameters"] == {"phases": ["http_request_sbfm"]}
    assert exception["proof"][3] == ("rulelint broad-skip reports it, accepted: Super Bot Fight Mode can only be "
                                     "skipped as a whole phase; scoped to exactly this request")
    assert not [line for line in exception["proof"] if line.startswith("FAILED")]
    custom.insert(0, exception["rule"])
    (tmp_path / "deployed.json").write_text(json.dumps(bundle))
    # Nothing is reported on the exception; the zone's own lack of rate limiting is another matter.
    assert [f.check for f in run([str(tmp_path / "deployed.json")]).findings] == ["no-rate-limit"]
