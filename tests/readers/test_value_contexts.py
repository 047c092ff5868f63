"""Each expression inside action_parameters is parsed in the context Cloudflare gives it: a URL
rewrite, a dynamic redirect target and a leaked-credential username must produce a string; a
header value may be any one scalar. Checked through ``rulelint check``, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulelint.readers import read_paths

ZONE_ID = "0da42c8d2132a9ddaf714f9e7c920711"

API = {
    "result": [
        {
            "id": "t1", "kind": "zone", "phase": "http_request_transform",
            "rules": [{
                "id": "r1", "action": "rewrite", "expression": "true",
                "action_parameters": {
                    "uri": {"path": {"expression": "ip.src"}, "query": {"expression": "http.request.uri.query"}},
                    "headers": {"X-Client": {"operation": "set", "expression": "ip.src"}},
                },
            }],
        },
        {
            "id": "t2", "kind": "zone", "phase": "http_request_dynamic_redirect",
            "rules": [{
                "id": "r2", "action": "redirect", "expression": "true",
                "action_parameters": {"from_value": {"target_url": {"expression": "ip.src.asnum"}, "status_code": 301}},
            }],
        },
        {
            "id": "t3", "kind": "zone", "phase": "http_response_headers_transform",
            "rules": [{
                "id": "r3", "action": "rewrite", "expression": "true",
                "action_parameters": {"headers": {"X-Asn": {"operation": "set", "expression": "ip.src.asnum"}}},
            }],
        },
        {
            "id": "t4", "kind": "zone", "phase": "http_request_firewall_custom",
            "rules": [{
                "id": "r4", "action": "log", "expression": "http.request.method eq \"POST\"",
                "exposed_credential_check": {
                    "username_expression": "lookup_json_string(http.request.body.raw, \"user\")",
                    "password_expression": "ip.src",
                },
            }],
        },
    ],
}

V5 = f'''resource "cloudflare_ruleset" "transform" {{
  zone_id = "{ZONE_ID}"
  name    = "transform"
  kind    = "zone"
  phase   = "http_request_transform"
  rules = [{{
    action     = "rewrite"
    expression = "true"
    action_parameters = {{
      uri = {{
        path = {{
          expression = "ip.src"
        }}
      }}
      headers = {{
        "X-Client" = {{
          operation  = "set"
          expression = "ip.src"
        }}
      }}
    }}
  }}]
}}
'''

V4 = f'''resource "cloudflare_ruleset" "transform" {{
  zone_id = "{ZONE_ID}"
  name    = "transform"
  kind    = "zone"
  phase   = "http_request_transform"
  rules {{
    action     = "rewrite"
    expression = "true"
    action_parameters {{
      uri {{
        path {{
          expression = "ip.src"
        }}
      }}
      headers {{
        name       = "X-Client"
        operation  = "set"
        expression = "ip.src"
      }}
    }}
  }}
}}
'''


def _check(path: Path, capsys) -> list[dict]:
    from rulelint.cli import main

    capsys.readouterr()
    main(["check", "--format", "json", "--no-cache", "--select", "invalid-expression", str(path)])
    return json.loads(capsys.readouterr().out)["findings"]


def _line(text: str, needle: str, occurrence: int = 0) -> int:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


def test_contexts_per_location_in_api_json(tmp_path: Path) -> None:
    path = tmp_path / "rulesets.json"
    path.write_text(json.dumps(API, indent=1))
    zone = read_paths([str(path)]).configuration.zones[0]
    contexts = {rs.phase: [e.context for e in rs.rules[0].value_expressions] for rs in zone.rulesets}
    assert contexts == {
        "http_request_transform": ["string", "string", "value"],
        "http_request_dynamic_redirect": ["string"],
        "http_response_headers_transform": ["value"],
        "http_request_firewall_custom": ["string", "string"],
    }


def test_url_rewrite_from_ip_src_is_invalid_but_a_header_is_not(tmp_path: Path, capsys) -> None:
    path = tmp_path / "rulesets.json"
    text = json.dumps(API, indent=1)
    path.write_text(text)
    findings = _check(path, capsys)
    located = sorted((f["location"]["pointer"], f["rule"], f["location"]["line"]) for f in findings)
    assert located == sorted([
        ("/result/0/rules/0/action_parameters/uri/path/expression", "invalid-expression", _line(text, '"ip.src"', 0)),
        ("/result/1/rules/0/action_parameters/from_value/target_url/expression", "invalid-expression",
         _line(text, '"ip.src.asnum"', 0)),
        ("/result/3/rules/0/exposed_credential_check/password_expression", "invalid-expression",
         _line(text, '"ip.src"', 2)),
    ])
    assert all("must produce a string (Bytes), found Ip" in f["message"] or "found Int" in f["message"] for f in findings)
    assert findings[0]["message"].startswith("this value expression must produce a string (Bytes), found Ip")


@pytest.mark.parametrize("syntax", ["v4", "v5"])
def test_url_rewrite_from_ip_src_in_terraform(tmp_path: Path, capsys, syntax: str) -> None:
    text = V4 if syntax == "v4" else V5
    path = tmp_path / "main.tf"
    path.write_text(text)
    findings = _check(path, capsys)
    assert [(f["rule"], f["location"]["line"], f["location"]["column"]) for f in findings] == [
        ("invalid-expression", _line(text, '"ip.src"'), text.splitlines()[_line(text, '"ip.src"') - 1].index('"ip.src"') + 2),
    ]
    assert "found Ip" in findings[0]["message"]
