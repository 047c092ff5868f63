"""Terraform's JSON syntax (``*.tf.json``) is read as Terraform, at the positions written."""

from __future__ import annotations

from pathlib import Path

from rulelint.readers import read_paths

FILTER = '''{
  "variable": {"zone": {"default": "0da42c8d2132a9ddaf714f9e7c920711"}},
  "resource": {
    "cloudflare_filter": {
      "partner": {
        "zone_id": "${var.zone}",
        "expression": "http.host eq \\"partner.example.com\\""
      },
      "later": [{"zone_id": "${var.zone}", "expression": "http.host eq \\"${var.host}\\""}]
    }
  }
}
'''


def test_resources_are_read_where_they_are_written(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(FILTER)
    result = read_paths([str(tmp_path)])  # found by a folder scan, as Terraform
    zone = result.configuration.zones[0]
    assert zone.id == "0da42c8d2132a9ddaf714f9e7c920711"
    partner, later = zone.filters
    origin = partner.expression.origin
    assert (origin.file, origin.line, origin.column, origin.address) == (
        str(tmp_path / "main.tf.json"), 7, 23, "cloudflare_filter.partner.expression")
    assert partner.expression.text == 'http.host eq "partner.example.com"'
    assert later.expression.unresolved == "${var.host}"
    assert [(f.check, f.location.line) for f in result.findings] == [("unresolved-interpolation", 9)]


def test_terraform_json_that_is_not_an_object_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "main.tf.json"
    path.write_text("[]")
    result = read_paths([str(path)])
    assert [(f.check, f.message, f.location.line) for f in result.findings] == [
        ("invalid-input", "Terraform JSON must be an object, not an array: not read", 1)
    ]
