"""Each read carries its own input texts: positions never come from another run's text."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rulelint.model import sources
from rulelint.language.ast import Span
from rulelint.model.positions import locate
from rulelint.readers import read_paths

RULESET = '{"result": {"phase": "http_request_firewall_custom", "rules": [\n  {"action": "block", "expression": "%s"}]}}'


def test_a_read_keeps_its_own_text_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(RULESET % 'http.host eq \\"a\\" and ip.src eq 192.0.2.1')
    first = read_paths([str(path)])
    path.write_text("\n\n\n" + RULESET % "true")
    second = read_paths([str(path)])
    expression = first.configuration.zones[0].rulesets[0].rules[0].expression
    assert expression.source is first.sources[str(path)]
    assert first.sources.text(str(path)) != second.sources.text(str(path))
    start = expression.text.index("ip.src")
    # Column 61 counts the escaped quotes as written (two characters each).
    assert locate(expression, Span(start, start + 6, 1, 1, 1, 1)) == (2, 61, 2, 67)


def test_positions_inside_an_expression_read_from_standard_input(monkeypatch) -> None:
    text = RULESET % 'http.host eq \\"a\\" and ip.src eq 192.0.2.1'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    result = read_paths(["-"])
    expression = result.configuration.zones[0].rulesets[0].rules[0].expression
    assert expression.source is result.sources["<stdin>"]
    start = expression.text.index("ip.src")
    assert locate(expression, Span(start, start + 6, 1, 1, 1, 1)) == (2, 61, 2, 67)


def test_the_sources_module_keeps_no_texts() -> None:
    assert not [name for name in ("register", "line_starts", "line_column", "clear", "_texts") if hasattr(sources, name)]


ZONE_ID = "0da42c8d2132a9ddaf714f9e7c920711"
MODULE_RULESET = (
    'variable "rules" {}\nresource "cloudflare_ruleset" "waf" {\n'
    f'  zone_id = "{ZONE_ID}"\n  kind = "zone"\n  phase = "http_request_firewall_custom"\n'
    '  rules = var.rules\n}\n'
)


def _terraform_calling_a_module(root: Path, rules_text: str) -> None:
    """main.tf (given) calls ./modules/waf (found on disk) with rules given in terraform.tfvars
    (found on disk)."""
    (root / "modules" / "waf").mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text('variable "rules" {}\nmodule "waf" {\n  source = "./modules/waf"\n'
                                  '  rules = var.rules\n}\n')
    (root / "terraform.tfvars").write_text(f'rules = [{{ action = "block", expression = "{rules_text}" }}]\n')
    (root / "modules" / "waf" / "main.tf").write_text(MODULE_RULESET)


def test_terraform_files_found_on_disk_are_sources_of_the_read(tmp_path: Path) -> None:
    _terraform_calling_a_module(tmp_path, "ip.src eq 192.0.2.1")
    main, tfvars = str(tmp_path / "main.tf"), str(tmp_path / "terraform.tfvars")
    module = str(tmp_path / "modules" / "waf" / "main.tf")
    result = read_paths([main])
    assert result.findings == []
    assert set(result.sources) == {main, tfvars, module}
    (ruleset,) = result.configuration.zones[0].rulesets
    (rule,) = ruleset.rules
    assert ruleset.origin.file == module and ruleset.origin.line == 2
    # The rule is written in terraform.tfvars: its expression carries that file of this read.
    assert rule.expression.source is result.sources[tfvars]
    start = rule.expression.text.index("192.0.2.1")
    assert locate(rule.expression, Span(start, start + 9, 1, 1, 1, 1)) == (1, 54, 1, 63)


def test_a_tfvars_file_changed_between_two_reads_is_not_shared(tmp_path: Path) -> None:
    _terraform_calling_a_module(tmp_path, "ip.src eq 192.0.2.1")
    first = read_paths([str(tmp_path / "main.tf")])
    _terraform_calling_a_module(tmp_path, "true")
    second = read_paths([str(tmp_path / "main.tf")])
    tfvars = str(tmp_path / "terraform.tfvars")
    expression = first.configuration.zones[0].rulesets[0].rules[0].expression
    assert expression.text == "ip.src eq 192.0.2.1"
    assert expression.source is first.sources[tfvars]
    assert "192.0.2.1" in first.sources.text(tfvars) and "192.0.2.1" not in second.sources.text(tfvars)
    start = expression.text.index("192.0.2.1")
    assert locate(expression, Span(start, start + 9, 1, 1, 1, 1)) == (1, 54, 1, 63)
