"""Account rulesets run on the zones their zone condition names; a rule for every zone is
analysed once, in the account's pseudo-zone (docs/bundle-format.md, "Account rulesets")."""

from __future__ import annotations

from rulelint.analysis.hostnames import zone_hostnames
import json
from pathlib import Path

import pytest

from rulelint.pipeline.engine import analyse
from rulelint.readers import read_paths

ACCOUNT = "f037e56e89293a057740de681ac9abbe"
EXAMPLE_ID = "0da42c8d2132a9ddaf714f9e7c920711"
OTHER_ID = "1da42c8d2132a9ddaf714f9e7c920712"
SKIP_MANAGED = {"phases": ["http_request_firewall_managed"]}


def _rule(rule_id: str, action: str, expression: str, parameters: dict, description: str = "",
          enabled: bool = True) -> dict:
    return {"id": rule_id, "action": action, "expression": expression, "description": description,
            "action_parameters": parameters, "enabled": enabled}


def _bundle(tmp_path: Path, account_rulesets: list[dict], zone_rulesets: dict | None = None) -> Path:
    """Two zones (example.com on Enterprise, other.com on Free) and the account's rulesets,
    one JSON value per line so tests can name lines."""
    zones = [
        {"zone": {"id": EXAMPLE_ID, "name": "example.com", "plan": "enterprise"},
         "rulesets": zone_rulesets or {}},
        {"zone": {"id": OTHER_ID, "name": "other.com", "plan": "free"}, "rulesets": {},
         "dns_records": [{"id": "d1", "type": "A", "name": "www.other.com", "content": "192.0.2.1", "proxied": True}]},
    ]
    lines = ['{"bundle_format": "rulelint.zone-bundle/1",',
             f' "account": {{"id": "{ACCOUNT}", "name": "Acct", "rulesets": [']
    for index, ruleset in enumerate(account_rulesets):
        rules = ruleset.pop("rules")
        head = json.dumps(ruleset)[:-1] + ', "rules": ['
        lines.append(("  " if index == 0 else "  ,") + head)
        lines.extend(("    " if i == 0 else "    ,") + json.dumps(rule) for i, rule in enumerate(rules))
        lines.append("  ]}")
    lines.append(" ]},")
    lines.append(' "zones": ' + json.dumps(zones) + "}")
    path = tmp_path / "bundle.json"
    path.write_text("\n".join(lines) + "\n")
    json.loads(path.read_text())  # the helper writes valid JSON
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _linked(configuration) -> dict[str, list[str]]:
    """Zone label -> ids of the account rules linked to it."""
    return {zone.label: [rule.id for ruleset in zone.account_rulesets for rule in ruleset.rules]
            for zone in configuration.zones}


def _broad_skips(path: Path) -> list[tuple[str | None, int | None, str | None]]:
    analysis = analyse([str(path)], select=["broad-skip"])
    return [(f.location.zone, f.location.line, f.location.rule_id) for f in analysis.findings]


def _root(*rules: dict) -> dict:
    return {"id": "11111111111111111111111111111111", "name": "root", "kind": "root",
            "phase": "http_request_firewall_custom", "rules": list(rules)}


def _custom(ruleset_id: str, *rules: dict, phase: str | None = "http_request_firewall_custom") -> dict:
    ruleset = {"id": ruleset_id, "name": f"custom {ruleset_id[:4]}", "kind": "custom", "rules": list(rules)}
    if phase:
        ruleset["phase"] = phase
    return ruleset


CUSTOM_ID = "31111111111111111111111111111111"


def test_account_custom_ruleset_executed_for_one_zone_is_analysed_in_that_zone(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("execute-1", "execute", 'cf.zone.name eq "example.com"', {"id": CUSTOM_ID})),
        _custom(CUSTOM_ID, _rule("acct-skip", "skip", "true", SKIP_MANAGED, "acct skip all")),
    ])
    configuration = read_paths([str(path)]).configuration
    assert _linked(configuration) == {"example.com": ["execute-1", "acct-skip"], "other.com": []}
    assert _broad_skips(path) == [("example.com", _line_of(path, "acct-skip"), "acct-skip")]


def test_root_rule_for_one_zone_is_reported_once_and_its_hosts_stay_in_that_zone(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("root-skip", "skip", 'cf.zone.name eq "example.com" and http.host eq "api.example.com"',
                    SKIP_MANAGED, "root skip")),
    ])
    configuration = read_paths([str(path)]).configuration
    assert _linked(configuration) == {"example.com": ["root-skip"], "other.com": []}
    example, other = configuration.zones
    assert "api.example.com" in zone_hostnames(example)
    assert zone_hostnames(other) == ["www.other.com"]
    assert _broad_skips(path) == [("example.com", _line_of(path, "root-skip"), "root-skip")]


def test_account_rule_for_every_zone_is_reported_once_in_the_account_pseudo_zone(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("everywhere", "skip", 'http.request.uri.path eq "/health"', SKIP_MANAGED, "health"),
              _rule("execute-all", "execute", "true", {"id": CUSTOM_ID})),
        _custom(CUSTOM_ID, _rule("custom-all", "skip", "true", SKIP_MANAGED, "custom for all")),
    ])
    configuration = read_paths([str(path)]).configuration
    assert _linked(configuration) == {
        "example.com": [], "other.com": [], f"account {ACCOUNT}": ["everywhere", "execute-all", "custom-all"],
    }
    pseudo = configuration.zones[2]
    assert (pseudo.id, pseudo.name, pseudo.account_scope, pseudo.rulesets) == (None, None, f"account {ACCOUNT}", [])
    assert _broad_skips(path) == [
        (f"account {ACCOUNT}", _line_of(path, "everywhere"), "everywhere"),
        (f"account {ACCOUNT}", _line_of(path, "custom-all"), "custom-all"),
    ]


def test_account_without_zone_rules_adds_no_pseudo_zone(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [])
    assert [zone.label for zone in read_paths([str(path)]).configuration.zones] == ["example.com", "other.com"]


@pytest.mark.parametrize(("expression", "zones"), [
    ('cf.zone.name eq "example.com"', ["example.com"]),
    ('cf.zone.name eq "EXAMPLE.com"', ["example.com"]),
    ('(cf.zone.name in {"example.com" "other.com"}) and http.request.uri.path eq "/x"', ["example.com", "other.com"]),
    (f'cf.zone.id eq "{OTHER_ID}"', ["other.com"]),
    ('cf.zone.plan eq "ENT"', ["example.com"]),
    ('(cf.zone.plan eq "FREE") and (http.host contains "petstore.")', ["other.com"]),
    ('cf.zone.name eq "example.com" or cf.zone.id eq "' + OTHER_ID + '"', ["example.com", "other.com"]),
    # Not a zone condition every match must pass: the rule runs on every zone.
    ('cf.zone.name eq "example.com" or http.request.uri.path eq "/x"', [f"account {ACCOUNT}"]),
    ('cf.zone.name ne "example.com"', [f"account {ACCOUNT}"]),
    ('not cf.zone.name eq "example.com"', [f"account {ACCOUNT}"]),
    ('http.host eq "api.example.com"', [f"account {ACCOUNT}"]),
    ('cf.zone.name eq', [f"account {ACCOUNT}"]),  # does not parse
    # Names only zones that are not in the input: analysed once, at account level.
    ('cf.zone.name eq "elsewhere.net"', [f"account {ACCOUNT}"]),
])
def test_zone_condition_of_an_execute_rule(tmp_path: Path, expression: str, zones: list[str]) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("execute-1", "execute", expression, {"id": CUSTOM_ID})),
        _custom(CUSTOM_ID, _rule("acct-skip", "skip", "true", SKIP_MANAGED)),
    ])
    linked = _linked(read_paths([str(path)]).configuration)
    assert [label for label, rules in linked.items() if "acct-skip" in rules] == zones
    assert [label for label, rules in linked.items() if "execute-1" in rules] == zones


def test_custom_rule_runs_where_the_execute_rule_and_its_own_condition_both_allow(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("execute-1", "execute", 'cf.zone.name in {"example.com" "other.com"}', {"id": CUSTOM_ID})),
        _custom(CUSTOM_ID,
                _rule("only-other", "skip", 'cf.zone.name eq "other.com"', SKIP_MANAGED),
                _rule("both", "skip", 'http.request.uri.path eq "/x"', SKIP_MANAGED)),
    ])
    assert _linked(read_paths([str(path)]).configuration) == {
        "example.com": ["execute-1", "both"], "other.com": ["execute-1", "only-other", "both"],
    }


def test_custom_ruleset_executed_for_two_zones_by_two_rules(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("execute-a", "execute", 'cf.zone.name eq "example.com"', {"id": CUSTOM_ID}),
              _rule("execute-b", "execute", 'cf.zone.name eq "other.com"', {"id": CUSTOM_ID}),
              _rule("execute-off", "execute", "true", {"id": CUSTOM_ID}, enabled=False)),
        _custom(CUSTOM_ID, _rule("acct-skip", "skip", "true", SKIP_MANAGED)),
    ])
    assert _linked(read_paths([str(path)]).configuration) == {
        "example.com": ["execute-a", "acct-skip"], "other.com": ["execute-b", "acct-skip"],
        f"account {ACCOUNT}": ["execute-off"],
    }


def test_custom_ruleset_run_by_no_enabled_rule_is_analysed_by_its_own_conditions(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        _root(_rule("execute-off", "execute", 'cf.zone.name eq "example.com"', {"id": CUSTOM_ID}, enabled=False)),
        _custom(CUSTOM_ID, _rule("acct-skip", "skip", "true", SKIP_MANAGED)),
    ])
    assert _linked(read_paths([str(path)]).configuration) == {
        "example.com": ["execute-off"], "other.com": [], f"account {ACCOUNT}": ["acct-skip"],
    }


def test_executed_custom_ruleset_without_phase_takes_the_entry_points(tmp_path: Path) -> None:
    path = _bundle(tmp_path, [
        {**_root(_rule("execute-1", "execute", 'cf.zone.name eq "example.com"', {"id": CUSTOM_ID})),
         "phase": "http_request_firewall_managed"},
        _custom(CUSTOM_ID, _rule("acct-skip", "skip", "true", {"ruleset": "current"}), phase=None),
    ])
    configuration = read_paths([str(path)]).configuration
    [custom] = [r for r in configuration.accounts[0].rulesets if r.kind == "custom"]
    assert custom.phase == "http_request_firewall_managed"


def test_zone_custom_ruleset_executed_from_the_zone_entry_point_is_analysed(tmp_path: Path) -> None:
    zone_custom = "6a2b3c4d5e6f40718293a4b5c6d7e8f0"
    path = _bundle(tmp_path, [], {
        "entrypoints": {"http_request_firewall_custom": {
            "id": "4c971a697dd249939460f4e2e6ff8f37", "kind": "zone", "phase": "http_request_firewall_custom",
            "rules": [_rule("zone-execute", "execute", "true", {"id": zone_custom})]}},
        "custom": [{"id": zone_custom, "name": "my custom", "kind": "custom",
                    "rules": [_rule("zone-skip", "skip", "true", SKIP_MANAGED, "zone skip")]}],
    })
    configuration = read_paths([str(path)]).configuration
    [custom] = [r for r in configuration.zones[0].rulesets if r.kind == "custom"]
    assert custom.phase == "http_request_firewall_custom"
    assert [(zone, rule_id) for zone, _line, rule_id in _broad_skips(path)] == [("example.com", "zone-skip")]


def test_terraform_account_rulesets_linked_through_resource_references(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(f'''resource "cloudflare_ruleset" "custom" {{
  account_id = "{ACCOUNT}"
  name       = "acct custom"
  kind       = "custom"
  rules = [{{
    action            = "skip"
    expression        = "true"
    action_parameters = {{ phases = ["http_request_firewall_managed"] }}
  }}]
}}

resource "cloudflare_ruleset" "root" {{
  account_id = "{ACCOUNT}"
  name       = "root"
  kind       = "root"
  phase      = "http_request_firewall_custom"
  rules = [{{
    action            = "execute"
    expression        = "cf.zone.plan eq \\"ENT\\""
    action_parameters = {{ id = cloudflare_ruleset.custom.id }}
  }}]
}}
''')
    result = read_paths([str(path)])
    assert result.findings == []
    account = result.configuration.accounts[0]
    root = account.rulesets[1]
    assert root.rules[0].execute.ruleset_ref == "cloudflare_ruleset.custom"
    assert account.rulesets[0].phase == "http_request_firewall_custom"
    # No zone of the input is on Enterprise: analysed once, at account level.
    [pseudo] = result.configuration.zones
    assert pseudo.label == f"account {ACCOUNT}"
    assert [rule.action for ruleset in pseudo.account_rulesets for rule in ruleset.rules] == ["skip", "execute"]
    analysis = analyse([str(path)], select=["broad-skip"])
    assert [(f.location.zone, f.location.line) for f in analysis.findings] == [(f"account {ACCOUNT}", 7)]
