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
