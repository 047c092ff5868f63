"""Terraform HCL as tree-sitter reads it: positions are characters however many bytes the
characters before them take, and a syntax error is one finding at the place a user must fix,
in words a user knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulelint.language.ast import Span
from rulelint.model.positions import locate
from rulelint.readers import read_paths

ZONE_ID = "0da42c8d2132a9ddaf714f9e7c920711"
EOF_MESSAGE = "invalid HCL: unexpected end of file (a block, string or expression is not finished)"


def _ruleset(rules: str, extra: str = "") -> str:
    return (f'resource "cloudflare_ruleset" "waf" {{\n  zone_id = "{ZONE_ID}"\n  name = "waf"\n'
            f'  kind = "zone"\n  phase = "http_request_firewall_custom"\n{extra}  rules = {rules}\n}}\n')


def _line_column(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _problems(path: Path) -> list[tuple]:
    return [(f.check, f.severity, f.message, f.location.line, f.location.column) for f in read_paths([str(path)]).findings]


def _located(expression, needle: str) -> tuple[int, int]:
    start = expression.text.index(needle)
    return locate(expression, Span(start, start + len(needle), 1, 1, 1, 1))[:2]


# Characters of two, three and four bytes in UTF-8, before and inside the expressions.
_WIDE = "é — 😀"


def test_positions_after_multibyte_characters_are_characters(tmp_path: Path) -> None:
    text = _ruleset(
        '[{\n    action = "block"\n'
        f'    expression = "http.host eq \\"{_WIDE}\\" and ip.src eq 192.0.2.1"\n'
        '  }, {\n    action = "log"\n'
        f'    expression = "http.host eq \\"${{local.host}}\\" and http.x eq \\"{_WIDE}\\" and ip.src eq 192.0.2.2"\n'
        '  }, {\n    action = "log"\n'
        f'    expression = <<-EOT\n      http.host eq "{_WIDE}" and\n      ip.src eq 192.0.2.3\n    EOT\n'
        '  }]',
        extra=f'  description = "{_WIDE} {_WIDE}"\n')
    path = tmp_path / "main.tf"
    path.write_text(f'locals {{\n  host = "{_WIDE}.example"\n}}\n' + text, encoding="utf-8")
    result = read_paths([str(path)])
    assert result.findings == []
    rules = result.configuration.zones[0].rulesets[0].rules
    written = path.read_text(encoding="utf-8")
    assert [rules[0].expression.quoting, rules[2].expression.quoting] == ["hcl", "heredoc"]
    assert _located(rules[0].expression, "ip.src") == _line_column(written, "ip.src eq 192.0.2.1")
    assert rules[1].expression.text == f'http.host eq "{_WIDE}.example" and http.x eq "{_WIDE}" and ip.src eq 192.0.2.2'
    assert _located(rules[2].expression, "ip.src") == _line_column(written, "ip.src eq 192.0.2.3")
    assert (rules[1].origin.line, rules[1].origin.column) == _line_column(written, "{\n    action = \"log\"")


def test_a_syntax_error_after_multibyte_characters_is_placed_in_characters(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(f'resource "x" "y" {{\n  a = "{_WIDE}" 42\n}}\n', encoding="utf-8")
    assert _problems(path) == [("invalid-input", "error", "invalid HCL: unexpected '42'", 2, 15)]


@pytest.mark.parametrize("text, message, line, column", [
    ('resource "x" "y" {\n  a = 1\n}}\n', "invalid HCL: unexpected '}'", 3, 2),
    ('a = 1\n}\n', "invalid HCL: unexpected '}'", 2, 1),
    ('resource "x" "y" {\n  a = [1, 2\n  b = 3\n}\n', "invalid HCL: unexpected 'b'", 3, 3),
    ('a = $\n', "invalid HCL: unexpected '$'", 1, 5),
    ('resource "x" "y" {\r\n  a = \r\n}\r\n', "invalid HCL: unexpected end of line", 2, 8),
    ('a = "abc\nb = 1\n', EOF_MESSAGE, 2, 6),
    ('a = <<EOT\nabc\n', EOF_MESSAGE, 2, 4),
    # Terraform rejects an unknown escape; tree-sitter-hcl too.
    ('a = "\\q"\n', "invalid HCL: invalid escape sequence \\q", 1, 6),
    # tree-sitter-hcl 1.2 reads an exponent only after a fraction (Terraform reads both).
    ('a = { y = 1e3, z = 2 }\n', "invalid HCL: a number with an exponent needs a fraction here (1.0e3, not 1e3)", 1, 12),
])
def test_syntax_errors_name_what_is_written_where_it_is(tmp_path: Path, text: str, message: str, line: int,
                                                         column: int) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(text.encode("utf-8"))
    assert _problems(path) == [("invalid-input", "error", message, line, column)]


def test_a_number_with_a_fraction_and_an_exponent_is_read(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(_ruleset('[{\n    action = "block"\n    expression = "true"\n'
                             '    ratelimit = {\n      period = 1.0e1\n    }\n  }]'))
    result = read_paths([str(path)])
    assert result.findings == []
    assert result.configuration.zones[0].rulesets[0].rules[0].raw["ratelimit"]["period"] == 10.0


def test_comments_inside_expressions_are_read(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(_ruleset('[ # the rules\n    { # one\n      action = "block" // why\n'
                             '      expression = /* the match */ "ip.src eq 192.0.2.1"\n    }, # done\n  ]'))
    result = read_paths([str(path)])
    assert result.findings == []
    (rule,) = result.configuration.zones[0].rulesets[0].rules
    assert rule.expression.text == "ip.src eq 192.0.2.1"
    assert _located(rule.expression, "ip.src") == _line_column(path.read_text(), "ip.src")
