"""No silent drops: a value of the wrong JSON type is one ``invalid-input`` finding at the value.

Table-driven over the model's fields: each case puts one wrongly typed value into an
otherwise valid API object and expects exactly one finding, at the value's line, column and
JSON pointer, naming the field.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from rulelint.readers import read_paths

RULE = {"action": "block", "expression": "true", "description": "d", "enabled": True, "id": "r1",
        "ref": "x", "logging": {"enabled": True}, "ratelimit": {"period": 60}}
SKIP = {"action": "skip", "expression": "true", "action_parameters": {
    "ruleset": "current", "phases": ["http_ratelimit"], "products": ["waf"], "rules": {"abc": ["r"]}}}
EXECUTE = {"action": "execute", "expression": "true", "action_parameters": {"id": "m", "overrides": {
    "enabled": False, "action": "log", "rules": [{"id": "r", "enabled": True, "action": "log"}],
    "categories": [{"category": "c", "enabled": False}]}}}


def _ruleset(rule: dict) -> dict:
    return {"phase": "http_request_firewall_custom", "name": "n", "kind": "zone", "rules": [rule]}


PAGE_RULE = {"targets": [{"target": "url", "constraint": {"operator": "matches", "value": "example.com/*"}}],
             "actions": [{"id": "waf", "value": "off"}], "status": "active", "priority": 1}
FILTER = {"id": "f", "expression": "true", "paused": False, "description": "d"}
FIREWALL_RULE = {"id": "fr", "filter": {"id": "f", "expression": "true"}, "action": "block", "paused": False,
                 "priority": 1, "products": ["waf"], "description": "d"}
ACCESS_RULE = {"mode": "block", "configuration": {"target": "ip", "value": "192.0.2.1"}, "notes": "n",
               "scope": {"type": "zone"}}
LOCKDOWN = {"urls": ["example.com/a/*"], "configurations": [{"target": "ip", "value": "192.0.2.1"}],
            "paused": False, "description": "d"}
UA_RULE = {"mode": "block", "configuration": {"target": "ua", "value": "Bad"}, "paused": False, "description": "d"}
BOT_MANAGEMENT = {"fight_mode": True, "enable_js": True, "sbfm_likely_automated": "block"}
DNS_RECORD = {"type": "A", "name": "a.example.com", "content": "192.0.2.1", "proxied": True}

# (object, path of the value, wrong value, what the finding's message starts with)
CASES = [
    (_ruleset(RULE), ("rules", 0, "action"), 42, "rule action"),
    (_ruleset(RULE), ("rules", 0, "action"), None, "rule action"),
    (_ruleset(RULE), ("rules", 0, "expression"), None, "rule expression"),
    (_ruleset(RULE), ("rules", 0, "expression"), 5, "rule expression"),
    (_ruleset(RULE), ("rules", 0, "enabled"), "yes", "rule enabled"),
    (_ruleset(RULE), ("rules", 0, "description"), 5, "rule description"),
    (_ruleset(RULE), ("rules", 0, "id"), [], "rule id"),
    (_ruleset(RULE), ("rules", 0, "ref"), {}, "rule ref"),
    (_ruleset(RULE), ("rules", 0, "logging"), 5, "rule logging"),
    (_ruleset(RULE), ("rules", 0, "logging", "enabled"), "no", "rule logging.enabled"),
    (_ruleset(RULE), ("rules", 0, "ratelimit"), 5, "rule ratelimit"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters"), 5, "action_parameters"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters", "ruleset"), 5, "action_parameters.ruleset"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters", "phases"), 5, "action_parameters.phases"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters", "phases", 0), 5, "action_parameters.phases[0]"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters", "products"), {}, "action_parameters.products"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters", "rules"), [], "action_parameters.rules"),
    (_ruleset(SKIP), ("rules", 0, "action_parameters", "rules", "abc"), 5, "action_parameters.rules.abc"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "id"), {}, "action_parameters.id"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides"), 5, "action_parameters.overrides"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides", "enabled"), "no",
     "action_parameters.overrides.enabled"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides", "action"), 5,
     "action_parameters.overrides.action"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides", "rules"), 5,
     "action_parameters.overrides.rules"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides", "rules", 0), 5,
     "action_parameters.overrides.rules[0]"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides", "rules", 0, "enabled"), "x",
     "action_parameters.overrides.rules.enabled"),
    (_ruleset(EXECUTE), ("rules", 0, "action_parameters", "overrides", "categories", 0, "category"), 5,
     "action_parameters.overrides.categories category"),
    (_ruleset(RULE), ("name",), 5, "ruleset name"),
    (_ruleset(RULE), ("phase",), 5, "ruleset phase"),
    (_ruleset(RULE), ("kind",), [], "ruleset kind"),
    (_ruleset(RULE), ("rules",), {}, "rules"),
    (PAGE_RULE, ("targets",), 5, "page rule targets"),
    (PAGE_RULE, ("targets", 0), 5, "page rule target"),
    (PAGE_RULE, ("targets", 0, "constraint"), 5, "page rule target constraint"),
    (PAGE_RULE, ("targets", 0, "constraint", "value"), 5, "page rule target constraint value"),
    (PAGE_RULE, ("actions",), 5, "page rule actions"),
    (PAGE_RULE, ("actions", 0), "waf", "page rule actions[0]"),
    (PAGE_RULE, ("actions", 0, "id"), 5, "page rule action id"),
    (PAGE_RULE, ("status",), 5, "page rule status"),
    (PAGE_RULE, ("priority",), "high", "page rule priority"),
    (FILTER, ("expression",), None, "filter expression"),
    (FILTER, ("paused",), "no", "filter paused"),
    (FILTER, ("description",), 5, "filter description"),
    (FIREWALL_RULE, ("action",), 5, "firewall rule action"),
    (FIREWALL_RULE, ("filter",), 5, "firewall rule filter"),
    (FIREWALL_RULE, ("paused",), "x", "firewall rule paused"),
    (FIREWALL_RULE, ("priority",), "x", "firewall rule priority"),
    (FIREWALL_RULE, ("products",), 5, "firewall rule products"),
    (FIREWALL_RULE, ("description",), 5, "firewall rule description"),
    (ACCESS_RULE, ("mode",), 5, "access rule mode"),
    (ACCESS_RULE, ("configuration", "target"), 5, "access rule target"),
    (ACCESS_RULE, ("configuration", "value"), 5, "access rule value"),
    (ACCESS_RULE, ("notes",), 5, "access rule notes"),
    (ACCESS_RULE, ("scope",), 5, "access rule scope"),
    (ACCESS_RULE, ("scope", "type"), 5, "access rule scope type"),
    (LOCKDOWN, ("urls",), 5, "lockdown urls"),
    (LOCKDOWN, ("urls", 0), 5, "lockdown urls[0]"),
    (LOCKDOWN, ("configurations",), 5, "lockdown configurations"),
    (LOCKDOWN, ("configurations", 0), 5, "lockdown configurations[0]"),
    (LOCKDOWN, ("paused",), "x", "lockdown paused"),
    (UA_RULE, ("mode",), 5, "user agent rule mode"),
    (UA_RULE, ("configuration", "value"), 5, "user agent rule value"),
    (UA_RULE, ("paused",), "x", "user agent rule paused"),
    (UA_RULE, ("description",), 5, "user agent rule description"),
    (BOT_MANAGEMENT, ("fight_mode",), "yes", "bot_management fight_mode"),
    (BOT_MANAGEMENT, ("enable_js",), 5, "bot_management enable_js"),
    (BOT_MANAGEMENT, ("sbfm_likely_automated",), 5, "bot_management sbfm_likely_automated"),
    (DNS_RECORD, ("proxied",), "yes", "DNS record proxied"),
    (DNS_RECORD, ("content",), 5, "DNS record content"),
    (DNS_RECORD, ("name",), 5, "DNS record name"),
]
_MARKER = "@@wrong@@"


def _set(document, path: tuple, value) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


@pytest.mark.parametrize(("obj", "path", "wrong", "what"), CASES,
                         ids=[f"{what}={json.dumps(wrong)}" for _, _, wrong, what in CASES])
def test_a_wrongly_typed_value_is_one_finding_at_the_value(tmp_path: Path, obj, path, wrong, what) -> None:
    document = {"success": True, "errors": [], "result": copy.deepcopy(obj)}
    _set(document["result"], path, _MARKER)
    marked = json.dumps(document, indent=2)
    offset = marked.index(json.dumps(_MARKER))
    line = marked.count("\n", 0, offset) + 1
    column = offset - marked.rfind("\n", 0, offset)
    file = tmp_path / "export.json"
    file.write_text(marked.replace(json.dumps(_MARKER), json.dumps(wrong)))
    result = read_paths([str(file)])
    found = [(f.check, f.location.line, f.location.column, f.location.pointer) for f in result.findings]
    pointer = "/result/" + "/".join(str(part) for part in path)
    assert found == [("invalid-input", line, column, pointer)]
    assert result.findings[0].message.startswith(what + " ")
