"""The fast bracket index gives exactly the spans of the exact container-by-container scan."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from rulelint.readers.jsondoc import JsonDocument
from rulelint.readers.nodes import JsonNode
from rulelint.model.sources import SourceFile

_TEXT = st.text(alphabet='ab{}[]",:\\ \u00e9\u2028\U0001f600expression', max_size=8)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False), _TEXT)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=25,
)


def _nodes(node: JsonNode):
    yield node
    for child in (node.children.values() if node.is_dict() else node.children if node.is_list() else []):
        yield from _nodes(child)


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(st.lists(_VALUES), st.dictionaries(_TEXT, _VALUES)), indent=st.sampled_from([None, 1, 2]),
       ascii_only=st.booleans())
def test_fast_spans_equal_exact_spans(value, indent, ascii_only) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    fast = JsonDocument(SourceFile("x.json", text))
    exact = JsonDocument(SourceFile("x.json", text))
    for node in _nodes(JsonNode.root(fast)):
        node._located()
        assert (node.start, node.end) == exact.span(node.path)
        assert node.pointer == "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in node.path)


def test_duplicate_keys_use_the_last_member() -> None:
    text = '{"a": {"k": 1}, "b": [1, {"k": 2}], "a": "last"}'
    document = JsonDocument(SourceFile("x.json", text))
    node = JsonNode.root(document).get("a")
    node._located()
    assert text[node.start:node.end] == '"last"'
