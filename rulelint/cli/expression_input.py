"""``rulelint check -e EXPRESSION [--phase P] [--action A]``: one rule from the command line.

The rule becomes a one-rule Cloudflare API export (the shape the API returns for a phase
entry point), which the command checks like any file, so a rule typed on the command line
gets exactly the findings it would get in a file. Findings are then placed in the
expression itself: ``<expression>:1:col``, the column counted in the text as typed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

#: How findings and reports name the expression given on the command line.
EXPRESSION_NAME = "<expression>"

#: A skip needs at least one option; without --action-parameters it takes the first the
#: dashboard offers: the remaining custom rules.
DEFAULT_SKIP_PARAMETERS = {"ruleset": "current"}


@dataclass(frozen=True)
class OneRuleExport:
    """The export's text and where the expression's characters start and end in it."""

    expression: str
    text: str
    start: int  # offset of the expression's first character inside its JSON string
    end: int  # offset of the closing quote


def one_rule_export(expression: str, phase: str | None, action: str | None,
                    parameters_json: str | None) -> OneRuleExport:
    """The export holding one rule; ValueError (a usage error) when --action-parameters is
    not a JSON object."""
    rule: dict[str, Any] = {"expression": expression}
    if action is not None:
        rule["action"] = action
    if parameters_json is not None:
        try:
            parameters = json.loads(parameters_json)
        except json.JSONDecodeError as error:
            raise ValueError(f"--action-parameters is not JSON: {error.msg}") from None
        if not isinstance(parameters, dict):
            raise ValueError("--action-parameters must be a JSON object")
        rule["action_parameters"] = parameters
    elif action == "skip":
        rule["action_parameters"] = dict(DEFAULT_SKIP_PARAMETERS)
    # The rules first and the expression first in its rule: its characters start at a known
    # offset of the export's one line.
    ruleset: dict[str, Any] = {"rules": [rule], "kind": "zone"}
    if phase is not None:
        ruleset["phase"] = phase
    text = json.dumps({"result": ruleset}, ensure_ascii=False)
    start = len('{"result": {"rules": [{"expression": "')
    return OneRuleExport(expression, text, start, start + len(json.dumps(expression, ensure_ascii=False)) - 2)


def placed_in_expression(result, path: str, export: OneRuleExport):
    """``result`` with every location in the temporary export moved to ``<expression>``: a
    position inside the expression becomes its line and column in the typed text; anything
    else (the action, the phase, the rule as a whole) names ``<expression>`` alone."""
    def moved(finding):
        location = finding.location
        if location.file != path:
            return finding
        start = _position(export, location.line, location.column)
        end = _position(export, location.end_line, location.end_column) if start else None
        place = dataclasses.replace(
            location, file=EXPRESSION_NAME, pointer=None, address=None,
            line=start[0] if start else None, column=start[1] if start else None,
            end_line=end[0] if end else None, end_column=end[1] if end else None,
        )
        return dataclasses.replace(finding, location=place)

    original_text = result.source_text

    def source_text(name):
        return export.expression if name == EXPRESSION_NAME else original_text(name)

    return dataclasses.replace(
        result,
        findings=[moved(f) for f in result.findings],
        suppressed=[(moved(f), reason) for f, reason in result.suppressed],
        files=[EXPRESSION_NAME if name == path else name for name in result.files],
        source_text=source_text,
    )


def _position(export: OneRuleExport, line: int | None, column: int | None) -> tuple[int, int] | None:
    """The (line, column) in the typed expression of a position on the export's one line,
    when it falls inside the expression's string; else None."""
    if line != 1 or column is None:
        return None
    offset = column - 1
    if not export.start <= offset <= export.end:
        return None
    try:
        typed = json.loads('"' + export.text[export.start:offset] + '"')
    except json.JSONDecodeError:  # inside an escape: not a character's position
        return None
    return typed.count("\n") + 1, len(typed) - (typed.rfind("\n") + 1) + 1
