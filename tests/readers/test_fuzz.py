"""Bad input is a finding, never a traceback: valid documents with random values put at random
places (wrong types, nulls, huge numbers, deep nesting) and valid .tf files with small random
edits (deleted braces and quotes) are read without an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulelint.readers import read_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
_SENTINEL = "\x00fuzz\x00"

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=10**30, max_value=10**60), st.text(max_size=20),
    st.sampled_from(["skip", "execute", "block", "true", "off", "on", "http.host eq \"a\"", "(", "current", ""]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["id", "expression", "action", "rules", "value", "action_parameters", "phase", "kind",
                     "headers", "uri", "path", "actions", "targets", "settings", "zone", "x"]),
    inner, max_size=3), max_leaves=8)
# Raw JSON texts Python's json module accepts but no exporter writes.
_raw = st.one_of(
    st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(min_value=1, max_value=600).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "1" * 5000, '"\\ud800"', '"\\u0000"']),
)


def _paths(value, path=()):
    """Every path (keys and indexes) in ``value``, containers and scalars alike."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _replaced(document, path: tuple, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        return {**document, head: _replaced(document[head], rest, value)}
    copy = list(document)
    copy[head] = _replaced(copy[head], rest, value)
    return copy


def _mutations(fixture: Path):
    original = json.dumps(json.loads(fixture.read_text(encoding="utf-8")), indent=1)

    @st.composite
    def mutated(draw) -> str:
        text = original
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            document = json.loads(text)
            paths = list(_paths(document))
            path = paths[draw(st.integers(min_value=0, max_value=len(paths) - 1))]
            text = json.dumps(_replaced(document, path, _SENTINEL), indent=1)
            replacement = json.dumps(draw(_values)) if draw(st.booleans()) else draw(_raw)
            text = text.replace(json.dumps(_SENTINEL), replacement, 1)
            if not _loads(text):
                break  # Python cannot load it back: no further edits
        return text

    return mutated()


def _loads(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except (ValueError, RecursionError):
        return False


def _read(path: Path, text: str):
    path.write_text(text, encoding="utf-8")
    result = read_paths([str(path)])  # must not raise
    for finding in result.findings:
        assert finding.check in ("invalid-input", "unknown-value", "unresolved-interpolation")
        assert finding.location.file == str(path)
    return result


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("fixture", [
    FIXTURES / "same-zone" / "api-responses.json",
    FIXTURES / "bundle" / "zone-bundle.json",
    FIXTURES / "same-zone" / "plan" / "plan.json",
], ids=["api", "bundle", "plan"])
def test_json_with_random_values_never_raises(fixture: Path, scratch: Path) -> None:
    target = scratch / f"fuzz-{fixture.stem}.json"

    @SETTINGS
    @given(_mutations(fixture))
    def run(text: str) -> None:
        _read(target, text)

    run()


_EDITABLE = '{}[]"=()\n,<'


@st.composite
def _hcl_edits(draw, text: str) -> str:
    positions = [i for i, char in enumerate(text) if char in _EDITABLE]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from(positions))
        where = min(where, len(text) - 1)
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "cut"]))
        if kind == "delete":
            text = text[:where] + text[where + 1:]
        elif kind == "insert":
            text = text[:where] + draw(st.sampled_from(list('{}[]"=$\\') + ["${", "<<EOT\n", "%{"])) + text[where:]
        elif kind == "duplicate":
            text = text[:where] + text[where] + text[where:]
        else:
            text = text[:where] + text[where + draw(st.integers(min_value=1, max_value=40)):]
    return text


@pytest.mark.parametrize("fixture", [
    FIXTURES / "same-zone" / "terraform-v4" / "main.tf",
    FIXTURES / "same-zone" / "terraform-v5" / "main.tf",
], ids=["v4", "v5"])
def test_tf_with_random_edits_never_raises(fixture: Path, scratch: Path) -> None:
    target = scratch / f"fuzz-{fixture.parent.name}.tf"
    original = fixture.read_text(encoding="utf-8")

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_hcl_edits(original))
    def run(text: str) -> None:
        _read(target, text)

    run()


@pytest.mark.parametrize("raw, message, line, column", [
    ('{"result": {"fight_mode": ' + "1" * 5000 + "}}",
     "invalid JSON: a number of 5000 digits, too long to be a Cloudflare value; skipped", 1, 27),
    ("[" * 100000 + "]" * 100000, "JSON nested too deeply to be a Cloudflare export; skipped", 1, 1),
])
def test_json_python_cannot_convert_is_a_finding(raw: str, message: str, line: int, column: int, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    result = _read(path, raw)
    assert [(f.check, f.message, f.location.line, f.location.column) for f in result.findings] == [
        ("invalid-input", message, line, column),
    ]
    assert not result.usable


def test_hcl_values_python_cannot_convert(tmp_path: Path) -> None:
    """An escape beyond Unicode and an integer of 5,000 digits: read, not raised."""
    path = tmp_path / "main.tf"
    result = _read(path, 'resource "cloudflare_filter" "f" {\n'
                         '  zone_id    = "0da42c8d2132a9ddaf714f9e7c920711"\n'
                         '  expression = "http.host eq \\"a\\UFFFFFFFFb\\""\n'
                         f'  paused     = {"9" * 5000}\n'
                         '}\n')
    assert result.findings == []
    item = result.configuration.zones[0].filters[0]
    assert item.expression.text == 'http.host eq "a\ufffdb"'
    assert item.paused is False


def test_plan_with_deeply_nested_values(tmp_path: Path) -> None:
    """Nesting Python's JSON module accepts (900 levels) but no Cloudflare object has."""
    nested = "[" * 900 + "]" * 900
    plan = ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": '
            '"cloudflare_ruleset.r", "mode": "managed", "type": "cloudflare_ruleset", "name": "r", "values": '
            '{"zone_id": "0da42c8d2132a9ddaf714f9e7c920711", "kind": "zone", "phase": "http_request_firewall_custom", '
            f'"rules": [{{"action": "block", "expression": "true", "action_parameters": {nested}}}]}}}}]}}}}}}')
    result = _read(tmp_path / "plan.json", plan)
    assert result.usable
    assert result.configuration.zones[0].rulesets[0].rules[0].action == "block"
