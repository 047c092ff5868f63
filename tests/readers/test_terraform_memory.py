"""What reading Terraform keeps, and for how long: each resource is built into the model as soon
as its file is read, so the evaluated nodes of one file (several times the memory of the model
built from them) are gone before the next file's resources are built, and nothing of them
outlives ``read_paths``. Field origins are made when first read, and are then what they always
were."""

from __future__ import annotations

import copy
import gc
import pickle
from pathlib import Path

from rulelint.readers import build, nodes, read_paths

ZONE_ID = "0da42c8d2132a9ddaf714f9e7c920711"


def _ruleset(name: str, expression: str) -> str:
    return (f'resource "cloudflare_ruleset" "{name}" {{\n'
            f'  zone_id = "{ZONE_ID}"\n  name = "{name}"\n  kind = "zone"\n'
            '  phase = "http_request_firewall_custom"\n'
            f'  rules = [{{\n    action      = "block"\n    expression  = "{expression}"\n'
            '    description = "d"\n  }]\n}\n')


def _nodes_of(names: set[str]) -> int:
    """Evaluated nodes alive that were read from the files ``names``."""
    return sum(1 for item in gc.get_objects() if isinstance(item, nodes.Node) and item.source.name in names)


def test_a_files_nodes_are_let_go_before_the_next_file_is_built(tmp_path: Path, monkeypatch) -> None:
    files = []
    for index in range(3):
        path = tmp_path / f"zone{index}.tf"
        path.write_text(_ruleset(f"waf{index}", f'http.host eq \\"{index}.example.com\\"'))
        files.append(str(path))
    others_alive: list[int] = []
    original = build.build_ruleset

    def counted(node, problems, account_level=False):
        others_alive.append(_nodes_of(set(files) - {node.source.name}))
        return original(node, problems, account_level)

    monkeypatch.setattr(build, "build_ruleset", counted)
    gc.collect()
    before = _nodes_of(set(files))

    read = read_paths([str(tmp_path)])

    assert len(others_alive) == 3 and sum(len(zone.rulesets) for zone in read.configuration.zones) == 3
    assert others_alive == [0, 0, 0]  # no other file's nodes while one file's resource is built
    gc.collect()
    assert _nodes_of(set(files)) == before  # and none after reading


def test_terraform_field_origins_behave_as_a_plain_dict(tmp_path: Path) -> None:
    """Made when first read; copies and pickles see them; a value taken from a variable is
    located at its default, in the file that declares it, with the address where it is used."""
    (tmp_path / "variables.tf").write_text('variable "action" {\n  default = "block"\n}\n')
    main = tmp_path / "main.tf"
    main.write_text(f'resource "cloudflare_ruleset" "waf" {{\n'
                    '  count = 2\n'
                    f'  zone_id = "{ZONE_ID}"\n  name = "waf"\n  kind = "zone"\n'
                    '  phase = "http_request_firewall_custom"\n'
                    '  rules = [{\n'
                    '    action     = var.action\n'
                    '    expression = "http.host eq \\"example.com\\""\n'
                    '  }]\n'
                    '}\n')
    read = read_paths([str(tmp_path)])
    assert read.findings == []
    first, second = [ruleset.rules[0] for ruleset in read.configuration.zones[0].rulesets]
    origins = first.field_origins

    pickled = pickle.loads(pickle.dumps(origins))  # before first use: pickled unfilled, equal once read
    assert pickled == origins and pickled["action"].file == str(tmp_path / "variables.tf")
    assert type(pickle.loads(pickle.dumps(origins))) is dict  # after first use: the dict it is
    assert copy.deepcopy(origins) == dict(origins.items())
    assert list(origins) == ["action", "expression"] and len(origins) == 2
    assert origins.get("description") is None and "enabled" not in origins

    expression = origins["expression"]  # from the attribute's name to the end of its value
    assert (expression.file, expression.line, expression.column, expression.end_line, expression.end_column) \
        == (str(main), 9, 5, 9, 48)
    assert expression.address == "cloudflare_ruleset.waf[0].rules[0].expression"
    action = origins["action"]  # the variable's default, where it is changed
    assert (action.file, action.line, action.column, action.end_line, action.end_column) \
        == (str(tmp_path / "variables.tf"), 2, 13, 2, 20)
    assert action.address == "cloudflare_ruleset.waf[0].rules[0].action"
    assert second.field_origins["action"].address == "cloudflare_ruleset.waf[1].rules[0].action"
    assert first.model_dump()["field_origins"]["expression"]["line"] == 9


def _module_layout(root: Path) -> None:
    """A root module calling ./waf twice; ./waf declares a variable, writes one ruleset with
    it, and holds one file that is not HCL."""
    (root / "waf").mkdir()
    (root / "main.tf").write_text(''.join(
        f'module "{name}" {{\n  source = "./waf"\n  host   = "{name}.example.com"\n}}\n' for name in ("a", "b")))
    (root / "waf" / "variables.tf").write_text('variable "host" {\n  default = "none"\n}\n')
    (root / "waf" / "rules.tf").write_text(_ruleset("waf", 'http.host eq \\"${var.host}\\"'))
    (root / "waf" / "broken.tf").write_text('resource "cloudflare_filter" "f" {\n  expression = \n')


def _read_counting_parses(root: Path, monkeypatch) -> tuple[list, list, dict[str, int]]:
    from rulelint.readers import hcl_syntax

    parses: dict[str, int] = {}
    original = hcl_syntax.parse

    def counted(text):
        name = next(path.name for path in root.rglob("*.tf") if path.read_text() == text)
        parses[name] = parses.get(name, 0) + 1
        return original(text)

    monkeypatch.setattr(hcl_syntax, "parse", counted)
    read = read_paths([str(root)])
    monkeypatch.setattr(hcl_syntax, "parse", original)
    rules = [(rule.origin.address, rule.expression.text, rule.origin.line)
             for zone in read.configuration.zones for ruleset in zone.rulesets for rule in ruleset.rules]
    findings = [(f.check, f.message, f.location.file, f.location.line, f.location.column) for f in read.findings]
    return rules, findings, parses


def test_a_module_read_again_is_parsed_again_past_the_budget_with_the_same_findings(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    """A module other modules call keeps its files' trees for its next instance while they fit
    a budget; past it, each instance parses them again. Either way the same rules and findings
    come out, and a file that is not HCL is reported once."""
    from rulelint.readers import terraform

    _module_layout(tmp_path)
    held_rules, held_findings, held_parses = _read_counting_parses(tmp_path, monkeypatch)
    monkeypatch.setattr(terraform, "_HELD_TREE_TEXT", 0)
    parsed_rules, parsed_findings, parsed_parses = _read_counting_parses(tmp_path, monkeypatch)

    assert held_rules == parsed_rules == [
        ("module.a.cloudflare_ruleset.waf.rules[0]", 'http.host eq "a.example.com"', 6),
        ("module.b.cloudflare_ruleset.waf.rules[0]", 'http.host eq "b.example.com"', 6),
    ]
    assert held_findings == parsed_findings
    assert [f for f in held_findings if f[0] == "invalid-input"] == [
        ("invalid-input", "invalid HCL: unexpected end of file (a block, string or expression is not finished)",
         str(tmp_path / "waf" / "broken.tf"), 2, 15)]
    assert held_parses["rules.tf"] == 1 and parsed_parses["rules.tf"] == 2  # once per instance past the budget
    assert held_parses["broken.tf"] == parsed_parses["broken.tf"] == 1
