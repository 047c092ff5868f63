"""What reading keeps: the model and the input's text, not the decoded document or its nodes.

A 100,000-rule bundle is 60 MB of text; its decoded document, bracket index and located nodes
are several times that. They are needed only while the model is built, so nothing of them
may outlive ``read_paths``.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

from rulelint.readers import jsondoc, nodes, read_paths

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "export.json"


def _alive(kind: type) -> int:
    gc.collect()
    return sum(1 for item in gc.get_objects() if isinstance(item, kind))


def test_the_decoded_document_and_its_nodes_are_released_after_reading(tmp_path, monkeypatch):
    bundle = json.loads(DEMO.read_text())
    bundle["zones"] = bundle["zones"] * 3  # the same zone under three entries
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, indent=1))
    made: list[jsondoc.JsonDocument] = []
    original = jsondoc.JsonDocument.__init__

    def counted(self, source):
        original(self, source)
        made.append(self)

    monkeypatch.setattr(jsondoc.JsonDocument, "__init__", counted)
    before = _alive(nodes.JsonNode)

    read = read_paths([str(path)])
    assert len(made) == 1 and read.configuration.zones  # it was read, through a document
    assert made[0].value["zones"]  # (this test's own reference keeps the document alive)
    del made[:]

    assert _alive(jsondoc.JsonDocument) == 0
    assert _alive(nodes.JsonNode) == before
    rules = [rule for zone in read.configuration.zones for ruleset in zone.rulesets for rule in ruleset.rules]
    assert rules and all(rule.origin.line > 1 for rule in rules)  # positions still there
