"""A plan JSON given together with the .tf files it was made from describes every resource
twice; each is read once (the plan's values, at the .tf positions), and an info finding says so."""

from __future__ import annotations

import shutil
from pathlib import Path

from rulelint.readers import read_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
DIRECTORY = FIXTURES / "plan-with-configuration"


def _counts(zone) -> tuple:
    return (
        [len(r.rules) for r in zone.rulesets], len(zone.page_rules), len(zone.firewall_rules),
        len(zone.filters), len(zone.access_rules), len(zone.lockdowns), len(zone.ua_rules),
        len(zone.dns_records), sorted(zone.settings),
    )


PLAN_ONLY = ([2, 1, 1], 1, 1, 1, 1, 1, 1, 1, ["browser_check", "security_level"])


def _message(files: list[str], count: int) -> str:
    return (f"the plan and the Terraform files it was made from ({', '.join(files)}) were both given: "
            f"each of the {count} resources they share is read once, from the plan (its values, at the .tf lines)")


def test_plan_alone_reads_each_resource_once() -> None:
    result = read_paths([str(DIRECTORY / "plan.json")])
    assert result.findings == []
    assert len(result.configuration.zones) == 1
    assert _counts(result.configuration.zones[0]) == PLAN_ONLY


def test_directory_with_plan_and_tf_files_reads_each_resource_once(monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES)
    result = read_paths(["plan-with-configuration"])
    main, edge = "plan-with-configuration/main.tf", "plan-with-configuration/modules/edge/main.tf"
    assert [(f.check, f.severity, f.message, f.location.file, f.location.line) for f in result.findings] == [
        ("invalid-input", "info", _message([main, edge], 13), "plan-with-configuration/plan.json", 1),
    ]
    assert len(result.configuration.zones) == 1
    zone = result.configuration.zones[0]
    assert _counts(zone) == PLAN_ONLY
    # Positions are the .tf ones, under the names the files were given as.
    assert zone.rulesets[0].origin.file == edge
    assert zone.rulesets[0].rules[0].origin.address == "module.edge.cloudflare_ruleset.waf_custom.rules[0]"
    assert zone.page_rules[0].origin.file == main
    assert zone.bot_management.field_origins["fight_mode"].file == main


def test_plan_with_some_of_its_tf_files(monkeypatch) -> None:
    """Only the root module's file is given: its resources are shared, the module's are not."""
    monkeypatch.chdir(FIXTURES)
    result = read_paths(["plan-with-configuration/plan.json", "plan-with-configuration/main.tf"])
    assert [f.message for f in result.findings] == [_message(["plan-with-configuration/main.tf"], 10)]
    zone = result.configuration.zones[0]
    assert _counts(zone) == PLAN_ONLY
    assert zone.rulesets[0].origin.file == str(DIRECTORY / "modules" / "edge" / "main.tf")
    assert zone.page_rules[0].origin.file == "plan-with-configuration/main.tf"


def test_plan_kept_away_from_its_tf_files_is_recognised_by_addresses(tmp_path: Path) -> None:
    configuration = tmp_path / "infra"
    shutil.copytree(DIRECTORY, configuration)
    (configuration / "plan.json").unlink()
    plan = tmp_path / "out" / "plan.json"
    plan.parent.mkdir()
    shutil.copy(DIRECTORY / "plan.json", plan)
    result = read_paths([str(plan), str(configuration)])
    main, edge = str(configuration / "main.tf"), str(configuration / "modules" / "edge" / "main.tf")
    assert [f.message for f in result.findings] == [_message([main, edge], 13)]
    assert len(result.configuration.zones) == 1
    zone = result.configuration.zones[0]
    assert _counts(zone) == PLAN_ONLY
    assert zone.page_rules[0].actions[0].origin.file == main
    assert zone.rulesets[0].rules[0].expression.origin.file == edge


def test_unrelated_tf_files_are_still_read(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    shutil.copy(DIRECTORY / "plan.json", plan)
    other = tmp_path / "other" / "main.tf"
    other.parent.mkdir()
    other.write_text('resource "cloudflare_page_rule" "elsewhere" {\n'
                     '  zone_id = "0da42c8d2132a9ddaf714f9e7c920711"\n'
                     '  target  = "shop.example.com/*"\n'
                     '  actions = { security_level = "high" }\n'
                     '}\n')
    result = read_paths([str(plan), str(other)])
    assert result.findings == []
    zone = result.configuration.zones[0]
    assert [p.targets for p in zone.page_rules] == [["*example.com/api/*"], ["shop.example.com/*"]]
