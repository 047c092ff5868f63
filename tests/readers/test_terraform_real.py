"""Terraform as people write it: variables from tfvars, locals, string functions, ``for``
expressions, ``dynamic`` blocks, local modules, interpolations inside expressions, relative
DNS names, and files nested too deeply. Each test reads the smallest configuration that shows
the behaviour; the fixture ``terraform-real`` is laid out like a real repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rulelint.readers import read_paths
from rulelint.readers import tf_values

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "inputs" / "terraform-real"
ZONE_ID = "0da42c8d2132a9ddaf714f9e7c920711"


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def _ruleset(rules: str, name: str = "waf", extra: str = "") -> str:
    return (f'resource "cloudflare_ruleset" "{name}" {{\n  zone_id = "{ZONE_ID}"\n  name = "{name}"\n'
            f'  kind = "zone"\n  phase = "http_request_firewall_custom"\n{extra}  rules = {rules}\n}}\n')


def _rules(result) -> list:
    return [rule for zone in result.configuration.zones for ruleset in zone.rulesets for rule in ruleset.rules]


def _problems(result) -> list[tuple]:
    return [(f.check, f.severity, f.location.file, f.location.line, f.location.column, f.location.address, f.message)
            for f in result.findings]


def _check(*paths: str, cwd: Path) -> list[dict]:
    """``rulelint check --format json`` as a user runs it: the findings of the report."""
    env = {**os.environ, "RULELINT_CACHE_DIR": str(cwd / ".cache")}
    process = subprocess.run([sys.executable, "-m", "rulelint", "check", "--no-cache", "--format", "json", *paths],
                             cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    assert process.returncode in (0, 1), process.stderr
    return json.loads(process.stdout)["findings"]


# -- 1. expression = true -------------------------------------------------------------------

def test_expression_written_as_a_bool_is_the_string_true(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": _ruleset('[{\n    action = "block"\n    expression = true\n  }]')})
    result = read_paths([str(tmp_path / "main.tf")])
    assert result.findings == []
    (rule,) = _rules(result)
    assert rule.expression.text == "true"
    assert rule.expression.origin.line == 8 and rule.expression.origin.column == 18


# -- 2. ${…} inside an expression ------------------------------------------------------------

def test_interpolation_of_a_local_built_from_a_variable_and_a_function(tmp_path: Path) -> None:
    _write(tmp_path, {
        "variables.tf": 'variable "zone" {\n  default = "Example.COM"\n}\n',
        "locals.tf": 'locals {\n  host = "share.${lower(var.zone)}"\n}\n',
        "main.tf": _ruleset('[{\n    action = "block"\n    expression = "http.host eq \\"${local.host}\\""\n  }]'),
    })
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    assert _rules(result)[0].expression.text == 'http.host eq "share.example.com"'


def test_tfvars_and_auto_tfvars_override_defaults_in_order(tmp_path: Path) -> None:
    _write(tmp_path, {
        "variables.tf": 'variable "a" {\n  default = "default"\n}\nvariable "b" {}\n',
        "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\n',
        "z.auto.tfvars": 'b = "auto"\n',
        "main.tf": _ruleset('[{\n    action = "block"\n    expression = "http.host in {\\"${var.a}\\" \\"${var.b}\\"}"\n  }]'),
    })
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    assert _rules(result)[0].expression.text == 'http.host in {"tfvars" "auto"}'


def test_unknown_interpolation_inside_a_string_is_kept_and_the_rest_is_analysed() -> None:
    findings = _check("terraform-real/main.tf", "terraform-real/variables.tf", cwd=FIXTURE.parent)
    at_line_30 = [(f["rule"], f["severity"], f["location"]["column"], f["message"])
                  for f in findings if f["location"]["line"] == 30]
    assert at_line_30 == [
        ("unresolved-interpolation", "info", 21,
         "${var.share_subdomain} cannot be resolved without running Terraform: kept as written inside the "
         "quoted string, the rest of the expression is analysed (lint the plan JSON for its value)"),
        ("broad-skip", "error", 22, 'Skip rule "per customer" turns off all remaining custom rules for every request.'),
    ]  # missing-ip-scope stays silent: broad-skip reports the rule (one finding per cause)


def test_unknown_interpolation_keeps_positions_of_the_literal_parts(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": _ruleset(
        '[{\n    action = "block"\n    expression = "http.host eq \\"${var.h}\\" and ip.src eq 1.2.3.4"\n  }]')})
    result = read_paths([str(tmp_path / "main.tf")])
    assert [(f.check, f.location.line, f.location.column) for f in result.findings] == [
        ("unresolved-interpolation", 8, 18)]
    assert "${var.h}" in result.findings[0].message
    expression = _rules(result)[0].expression
    assert expression.unresolved is None
    assert expression.text == 'http.host eq "${var.h}" and ip.src eq 1.2.3.4'
    from types import SimpleNamespace

    from rulelint.model.positions import locate

    start = expression.text.index("ip.src")
    line = (tmp_path / "main.tf").read_text().splitlines()[7]
    # Found past the \" escapes and the ${var.h} kept in place: the column in the file.
    assert locate(expression, SimpleNamespace(start=start, end=start + 6))[:2] == (8, line.index("ip.src") + 1)


def test_unknown_interpolation_outside_a_string_leaves_the_expression_unanalysed(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": _ruleset('[{\n    action = "block"\n    expression = "ip.src in ${var.ips}"\n  }]')})
    result = read_paths([str(tmp_path / "main.tf")])
    assert [(f.check, f.location.line) for f in result.findings] == [("unresolved-interpolation", 8)]
    assert _rules(result)[0].expression.unresolved == "${var.ips}"


# -- 3. rules given by reference, for, dynamic, modules -------------------------------------

def test_rules_from_a_for_expression_over_a_local() -> None:
    result = read_paths([str(FIXTURE / "locals.tf"), str(FIXTURE / "main.tf"), str(FIXTURE / "variables.tf")])
    exports = [r for r in _rules(result) if r.origin.address.startswith("cloudflare_ruleset.exports")]
    assert [(r.description, r.expression.text, r.origin.address) for r in exports] == [
        ("export", 'http.request.uri.path contains "/export"', "cloudflare_ruleset.exports.rules[0]"),
        ("report", 'http.request.uri.path contains "/report"', "cloudflare_ruleset.exports.rules[1]"),
    ]
    assert exports[0].expression.origin.file.endswith("locals.tf") and exports[0].expression.origin.line == 10


def test_for_with_a_condition_and_a_conditional_over_a_map(tmp_path: Path) -> None:
    _write(tmp_path, {
        "variables.tf": 'variable "strict" {\n  default = true\n}\n',
        "locals.tf": ('locals {\n  paths = { admin = "/admin", blog = "/blog" }\n'
                      '  action = var.strict ? "block" : "log"\n'
                      '  rules = [for name, path in local.paths : {\n    action = local.action\n    description = name\n'
                      '    expression = "http.request.uri.path eq \\"${path}\\""\n  } if name != "blog"]\n}\n'),
        "main.tf": _ruleset("local.rules"),
    })
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    assert [(r.description, r.action, r.expression.text) for r in _rules(result)] == [
        ("admin", "block", 'http.request.uri.path eq "/admin"')]


def test_rules_from_a_variable_given_in_tfvars(tmp_path: Path) -> None:
    _write(tmp_path, {
        "variables.tf": 'variable "rules" {\n  type = list(any)\n}\n',
        "terraform.tfvars": 'rules = [\n  { action = "block", expression = "ip.src eq 192.0.2.1" },\n]\n',
        "main.tf": _ruleset("var.rules"),
    })
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    (rule,) = _rules(result)
    assert rule.expression.text == "ip.src eq 192.0.2.1"
    assert rule.origin.address == "cloudflare_ruleset.waf.rules[0]"
    assert rule.expression.origin.file.endswith("terraform.tfvars") and rule.expression.origin.line == 2


def test_dynamic_rules_blocks_over_a_known_list(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": (
        'locals {\n  paths = ["/a", "/b"]\n}\n'
        f'resource "cloudflare_ruleset" "waf" {{\n  zone_id = "{ZONE_ID}"\n  kind = "zone"\n'
        '  phase = "http_request_firewall_custom"\n  dynamic "rules" {\n    for_each = local.paths\n'
        '    iterator = p\n    content {\n      action = "block"\n'
        '      expression = "http.request.uri.path eq \\"${p.value}\\""\n    }\n  }\n}\n')})
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    assert [(r.expression.text, r.origin.address) for r in _rules(result)] == [
        ('http.request.uri.path eq "/a"', "cloudflare_ruleset.waf.rules[0]"),
        ('http.request.uri.path eq "/b"', "cloudflare_ruleset.waf.rules[1]"),
    ]


def test_rules_that_cannot_be_resolved_are_one_finding_naming_address_and_expression(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": _ruleset("data.terraform_remote_state.waf.outputs.rules")})
    result = read_paths([str(tmp_path / "main.tf")])
    assert [(f.check, f.severity, f.location.line, f.location.address) for f in result.findings] == [
        ("unresolved-terraform", "info", 6, "cloudflare_ruleset.waf.rules")]
    assert result.findings[0].message.startswith(
        "cloudflare_ruleset.waf.rules = data.terraform_remote_state.waf.outputs.rules cannot be resolved")


def test_dynamic_block_over_an_unknown_collection_is_one_finding(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": (
        f'resource "cloudflare_ruleset" "waf" {{\n  zone_id = "{ZONE_ID}"\n  kind = "zone"\n'
        '  phase = "http_request_firewall_custom"\n  dynamic "rules" {\n    for_each = var.rules\n'
        '    content {\n      action = "block"\n      expression = rules.value\n    }\n  }\n}\n')})
    result = read_paths([str(tmp_path / "main.tf")])
    assert [(f.check, f.severity, f.location.line, f.location.address) for f in result.findings] == [
        ("unresolved-terraform", "info", 5, "cloudflare_ruleset.waf.rules")]
    assert 'dynamic "rules" block over var.rules' in result.findings[0].message


def test_local_module_called_with_literal_arguments(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": f'module "waf" {{\n  source = "./modules/waf"\n  zone_id = "{ZONE_ID}"\n  paths = ["/a"]\n}}\n',
        "modules/waf/variables.tf": 'variable "zone_id" {}\nvariable "paths" {}\n',
        "modules/waf/main.tf": (
            'resource "cloudflare_ruleset" "x" {\n  zone_id = var.zone_id\n  kind = "zone"\n'
            '  phase = "http_request_firewall_custom"\n'
            '  rules = [for p in var.paths : { action = "block", expression = "http.request.uri.path eq \\"${p}\\"" }]\n}\n'),
    })
    for given in ([str(tmp_path)], [str(tmp_path / "main.tf")]):  # the module's folder given or found on disk
        result = read_paths(given)
        assert result.findings == []
        assert [zone.id for zone in result.configuration.zones] == [ZONE_ID]
        (rule,) = _rules(result)
        assert rule.expression.text == 'http.request.uri.path eq "/a"'
        assert rule.origin.address == "module.waf.cloudflare_ruleset.x.rules[0]"
        assert rule.origin.file == str(tmp_path / "modules" / "waf" / "main.tf")


def test_module_with_unknown_count_is_read_once_and_says_so(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": 'module "waf" {\n  source = "./modules/waf"\n  count = var.enabled ? 1 : 0\n}\n',
        "modules/waf/main.tf": _ruleset('[{ action = "block", expression = "true" }]'),
    })
    result = read_paths([str(tmp_path)])
    assert [(f.check, f.severity, f.location.line, f.location.address, f.message) for f in result.findings] == [
        ("unresolved-terraform", "info", 1, "module.waf",
         "module.waf: count = var.enabled ? 1 : 0 cannot be resolved without running Terraform: "
         "the module's resources are read once, as written")]
    assert [r.origin.address for r in _rules(result)] == ["module.waf.cloudflare_ruleset.waf.rules[0]"]


def test_module_for_each_makes_one_instance_per_key(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": ('module "site" {\n  source = "./site"\n  for_each = toset(["a.example.com", "b.example.com"])\n'
                    '  host = each.value\n}\n'),
        "site/main.tf": 'variable "host" {}\n' + _ruleset(
            '[{ action = "block", expression = "http.host eq \\"${var.host}\\"" }]'),
    })
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    assert [(r.expression.text, r.origin.address) for r in _rules(result)] == [
        ('http.host eq "a.example.com"', 'module.site["a.example.com"].cloudflare_ruleset.waf.rules[0]'),
        ('http.host eq "b.example.com"', 'module.site["b.example.com"].cloudflare_ruleset.waf.rules[0]'),
    ]


def test_a_suppression_in_a_module_found_on_disk_applies(tmp_path: Path) -> None:
    """The module's file is one of the run's files, so its comments are read like the inputs'."""
    skip_everything = ('[{\n    # rulelint: ignore[broad-skip] partner webhooks, no fixed IPs\n'
                       '    action = "skip"\n    action_parameters = { ruleset = "current" }\n'
                       '    description = "partner webhooks"\n    expression = "true"\n  }]')
    _write(tmp_path, {
        "main.tf": 'module "waf" {\n  source = "./modules/waf"\n}\n',
        "modules/waf/main.tf": _ruleset(skip_everything),
    })
    assert _check("main.tf", cwd=tmp_path) == []
    (tmp_path / "modules/waf/main.tf").write_text(_ruleset(skip_everything.replace("# rulelint: ignore", "# see")))
    assert sorted((f["rule"], f["location"]["file"], f["location"]["line"]) for f in _check("main.tf", cwd=tmp_path)) == [
        ("broad-skip", "modules/waf/main.tf", 11)]


def test_a_module_with_an_empty_file_is_read(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": 'module "waf" {\n  source = "./modules/waf"\n}\n', "modules/waf/main.tf": ""})
    result = read_paths([str(tmp_path / "main.tf")])
    assert result.findings == [] and result.usable
    assert result.configuration.files == [str(tmp_path / "main.tf"), str(tmp_path / "modules" / "waf" / "main.tf")]


def test_module_findings_point_into_the_module_with_its_address() -> None:
    findings = _check("terraform-real", cwd=FIXTURE.parent)
    in_module = [(f["rule"], f["location"]["file"], f["location"]["line"], f["location"]["address"])
                 for f in findings if f["rule"] == "broad-skip" and "modules" in f["location"]["file"]]
    assert in_module == [
        ("broad-skip", "terraform-real/modules/waf/main.tf", 12, "module.waf.cloudflare_ruleset.managed.rules[0].expression"),
        ("broad-skip", "terraform-real/modules/waf/main.tf", 12, "module.waf.cloudflare_ruleset.managed.rules[1].expression"),
    ]


def test_fixture_reads_every_rule_once() -> None:
    result = read_paths([str(FIXTURE)])
    assert [f.check for f in result.findings] == ["unresolved-interpolation"]
    assert len(_rules(result)) == 7  # 2 from a for, 2 written, 2 dynamic in the module + 1 block


def test_resource_for_each_over_a_map_makes_one_ruleset_per_key(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": (
        'locals {\n  hosts = {\n    shop = "shop.example.com"\n    blog = "blog.example.com"\n  }\n}\n'
        'resource "cloudflare_ruleset" "per_host" {\n  for_each = local.hosts\n'
        f'  zone_id = "{ZONE_ID}"\n  name = each.key\n  kind = "zone"\n  phase = "http_request_firewall_custom"\n'
        '  rules = [{ action = "block", expression = "http.host eq \\"${each.value}\\"" }]\n}\n')})
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    assert [(r.expression.text, r.origin.address) for r in _rules(result)] == [
        ('http.host eq "shop.example.com"', 'cloudflare_ruleset.per_host["shop"].rules[0]'),
        ('http.host eq "blog.example.com"', 'cloudflare_ruleset.per_host["blog"].rules[0]'),
    ]


def test_resource_count_and_concat_of_rule_lists(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": (
        'locals {\n  a = [{ action = "block", expression = "ip.src eq 192.0.2.1" }]\n'
        '  b = [{ action = "block", expression = "ip.src eq 192.0.2.2" }]\n}\n'
        + _ruleset("concat(local.a, local.b)", extra="  count = 1\n"))})
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    rules = _rules(result)
    assert [(r.expression.text, r.origin.address, r.expression.origin.line) for r in rules] == [
        ("ip.src eq 192.0.2.1", "cloudflare_ruleset.waf[0].rules[0]", 2),
        ("ip.src eq 192.0.2.2", "cloudflare_ruleset.waf[0].rules[1]", 3),
    ]


# -- 4. relative DNS names -------------------------------------------------------------------

@pytest.mark.parametrize("written, full", [("api", "api.example.com"), ("@", "example.com"),
                                           ("www.example.com", "www.example.com")])
def test_relative_dns_name_is_resolved_against_the_zone(tmp_path: Path, written: str, full: str) -> None:
    _write(tmp_path, {"main.tf": (
        'variable "zone_name" {\n  default = "example.com"\n}\n'
        'data "cloudflare_zone" "this" {\n  name = var.zone_name\n}\n'
        'resource "cloudflare_record" "api" {\n  zone_id = data.cloudflare_zone.this.id\n'
        f'  name = "{written}"\n  type = "A"\n  value = "192.0.2.1"\n  proxied = true\n}}\n')})
    result = read_paths([str(tmp_path)])
    assert result.findings == []
    (zone,) = result.configuration.zones
    assert zone.name == "example.com"
    assert [record.name for record in zone.dns_records] == [full]
    assert zone.dns_records[0].origin.line == 7


def test_relative_dns_name_with_a_zone_resource(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": (
        'resource "cloudflare_zone" "main" {\n  zone = "example.org"\n}\n'
        'resource "cloudflare_record" "www" {\n  zone_id = cloudflare_zone.main.id\n'
        '  name = "www"\n  type = "CNAME"\n  value = "example.org"\n}\n')})
    result = read_paths([str(tmp_path)])
    assert [record.name for zone in result.configuration.zones for record in zone.dns_records] == ["www.example.org"]


# -- 5. nesting too deep ----------------------------------------------------------------------

def test_deep_hcl_is_one_finding_and_the_other_files_are_read(tmp_path: Path) -> None:
    depth = 300
    _write(tmp_path, {
        "deep.tf": 'resource "cloudflare_ruleset" "deep" {\n  rules = ' + "[" * depth + "]" * depth + "\n}\n",
        "good/main.tf": _ruleset('[{\n    action = "block"\n    expression = "ip.src eq 192.0.2.1"\n  }]'),
    })
    assert len((tmp_path / "deep.tf").read_text()) < 1024
    result = read_paths([str(tmp_path)])
    assert [(f.check, f.severity, Path(f.location.file).name, f.location.line) for f in result.findings] == [
        ("invalid-input", "error", "deep.tf", 1)]
    assert result.findings[0].message == "HCL nested too deeply to be a Cloudflare configuration; skipped"
    assert [r.expression.text for r in _rules(result)] == ["ip.src eq 192.0.2.1"]


def test_deep_local_is_unresolved_not_a_crash(tmp_path: Path) -> None:
    depth = 300
    _write(tmp_path, {"main.tf": 'locals {\n  rules = ' + "[" * depth + "]" * depth + "\n}\n" + _ruleset("local.rules")})
    result = read_paths([str(tmp_path)])
    assert [(f.check, f.location.address) for f in result.findings] == [
        ("unresolved-terraform", "cloudflare_ruleset.waf.rules")]


def test_a_long_chain_of_locals_is_unresolved_not_a_crash(tmp_path: Path) -> None:
    chain = "".join(f"  l{i} = local.l{i + 1}\n" for i in range(1000))
    _write(tmp_path, {"main.tf": "locals {\n" + chain + '  l1000 = []\n}\n' + _ruleset("local.l0")})
    result = read_paths([str(tmp_path)])
    assert [(f.check, f.location.address) for f in result.findings] == [
        ("unresolved-terraform", "cloudflare_ruleset.waf.rules")]


# -- functions ---------------------------------------------------------------------------------

def test_functions_evaluated_without_terraform() -> None:
    assert tf_values.call("format", ['http.host eq "%s" and %d', "a.example.com", 3]) == 'http.host eq "a.example.com" and 3'
    assert tf_values.call("join", [" ", ["a", "b"], ["c"]]) == "a b c"
    assert tf_values.call("lower", ["A.Example"]) == "a.example"
    assert tf_values.call("concat", [[1], [2]]) == [1, 2]
    for name, args in [("file", ["x"]), ("format", ["%5s", "a"]), ("join", [" ", "not a list"]), ("lower", [])]:
        with pytest.raises(tf_values.Unknown):
            tf_values.call(name, args)
