"""Checking does not keep every zone's parse trees: a run's memory must not grow with each
zone it has checked (at 100,000 rules the trees were most of what the checking processes
added), and a tree a later zone needs is not parsed twice."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from rulelint.analysis.expressions import ExpressionParser
from rulelint.language import parse
from rulelint.readers import read_paths

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "export.json"

TEXTS = [
    f'(http.host eq "host{index}.example.com" and starts_with(http.request.uri.path, "/api/v{index}/")) '
    f'or (ip.src in {{192.0.2.{index % 250} 198.51.100.0/24}} and not cf.client.bot)'
    for index in range(300)
]


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_released_trees_free_their_memory_and_come_back_equal():
    parser = ExpressionParser()
    parse(TEXTS[0].replace("host0", "warm-up"))  # the parser's own one-time set-up is not measured
    tracemalloc.start()
    try:
        start = _traced()
        for text in TEXTS:
            assert parser.parse(text).tree is not None
        holding = _traced() - start
        parser.release_trees()  # what the pipeline does after each zone
        released = _traced() - start
    finally:
        tracemalloc.stop()
    assert released < holding / 3, (holding, released)
    # Verdicts stay; a tree asked for again is the same tree, parsed again.
    again = parser.parse(TEXTS[7])
    assert again.ok and again.tree == parse(TEXTS[7]).tree
    assert parser.parse("http.host eq").diagnostics == parse("http.host eq").diagnostics


def test_a_tree_is_kept_while_a_zone_ahead_holds_its_expression():
    zones = read_paths([str(DEMO)]).configuration.zones
    zone = next(zone for zone in zones if any(True for _ in zone.expressions()))
    expression = next(expression for expression, _, _ in zone.expressions() if not expression.unresolved)
    parser = ExpressionParser()
    parser.expect([zone, zone])  # the same zone checked twice: its expressions recur once
    first = parser.parse(expression.text, expression.context).tree
    parser.release_trees(zone)
    assert parser.parse(expression.text, expression.context).tree is first  # kept: not parsed again
    parser.release_trees(zone)
    again = parser.parse(expression.text, expression.context).tree
    assert again is not first and again == first  # released after its last zone, rebuilt equal
