"""The findings cache: an unchanged re-run reads its findings, and any edit to an input or to
the configuration gives the fresh result — above all, never a stale "clean" verdict."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from rulelint.pipeline import engine
from rulelint.pipeline.engine import analyse
from rulelint.pipeline.findings_cache import decode_findings, encode_findings

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "fixtures" / "checks" / "bot-fight-mode-api"
BUNDLE = ROOT / "fixtures" / "inputs" / "bundle" / "zone-bundle.json"


def _shown(analysis) -> list[str]:
    return [repr(f) for f in analysis.findings]


def _checked(analysis) -> list[str]:
    return [f.check for f in analysis.findings if f.check != "invalid-input"]


def _fresh(paths, **settings):
    return analyse([str(p) for p in paths], use_cache=False, **settings)


def _cached(paths, cache: Path, **settings):
    return analyse([str(p) for p in paths], use_cache=True, cache_dir=str(cache), **settings)


def _replace_keeping_times(path: Path, text: str) -> None:
    """Write ``text`` into ``path`` and put its modification time back: the cache must see the
    edit by content, not by the clock."""
    before = path.stat()
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _bundle_with_fight_mode(on: bool) -> str:
    text = BUNDLE.read_text()
    assert '"fight_mode": true' in text
    return text.replace('"fight_mode": true', f'"fight_mode": {json.dumps(on)}')


# (kind, file name, clean text, text with findings, checks selected)
EDITS = [
    ("api-json", "api.json", (BOT / "blog-ok" / "api.json").read_text(), (BOT / "api-host" / "api.json").read_text(),
     {"bot-fight-mode-api"}),
    ("terraform-v5", "main.tf", (BOT / "blog-ok" / "v5.tf").read_text(), (BOT / "api-host" / "v5.tf").read_text(),
     {"bot-fight-mode-api"}),
    ("terraform-v4", "main.tf", (BOT / "blog-ok" / "v4.tf").read_text(), (BOT / "api-host" / "v4.tf").read_text(),
     {"bot-fight-mode-api"}),
    ("plan", "tfplan.json", (BOT / "blog-ok" / "plan" / "tfplan.json").read_text(),
     (BOT / "api-host" / "plan" / "tfplan.json").read_text(), {"bot-fight-mode-api"}),
    ("bundle", "zone-bundle.json", _bundle_with_fight_mode(False), _bundle_with_fight_mode(True), {"bot-fight-mode-api"}),
]


@pytest.mark.parametrize("kind,name,clean,dirty,select", EDITS, ids=[e[0] for e in EDITS])
def test_an_edited_input_never_gets_the_stale_clean_verdict(tmp_path, kind, name, clean, dirty, select):
    folder, cache = tmp_path / "in", tmp_path / "cache"
    folder.mkdir()
    path = folder / name
    path.write_text(clean)
    first = _cached([path], cache, select=select)
    assert _checked(first) == [], f"{kind}: the clean variant must be clean"
    assert _shown(_cached([path], cache, select=select)) == _shown(first)

    _replace_keeping_times(path, dirty)
    edited = _cached([path], cache, select=select)
    assert _checked(edited), f"{kind}: the edited input has findings"
    assert _shown(edited) == _shown(_fresh([path], select=select))

    _replace_keeping_times(path, clean)  # and back: the clean entry is still right
    assert _shown(_cached([path], cache, select=select)) == _shown(first)


def test_an_unchanged_rerun_reads_the_findings_instead_of_checking(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    inputs = [BOT / "api-host" / "api.json"]
    first = _cached(inputs, cache)
    fresh = _fresh(inputs)

    def no_checking(*args, **kwargs):
        raise AssertionError("an unchanged re-run must not run the checks")

    monkeypatch.setattr(engine, "run_checks", no_checking)
    assert _shown(_cached(inputs, cache)) == _shown(first) == _shown(fresh)


def test_an_edit_to_the_other_file_of_a_zone_is_seen(tmp_path):
    """Checks look across files: the findings of an untouched file depend on its neighbours."""
    folder, cache = tmp_path / "in", tmp_path / "cache"
    folder.mkdir()
    shutil.copy(BOT / "blog-ok" / "v5.tf", folder / "a.tf")
    (folder / "b.tf").write_text("")
    before = _cached([folder], cache)
    (folder / "b.tf").write_text((BOT / "api-host" / "v5.tf").read_text().replace('"cloudflare_', '"cloudflare_', 1))
    after = _cached([folder], cache)
    assert _shown(after) == _shown(_fresh([folder]))
    assert _shown(after) != _shown(before)


def test_a_changed_tfvars_file_beside_the_inputs_changes_the_key(tmp_path):
    """A file a reader consults without recording it (``terraform.tfvars``) still counts."""
    from rulelint.pipeline.findings_cache import run_key
    from rulelint.readers import read_paths

    shutil.copy(BOT / "blog-ok" / "v5.tf", tmp_path / "main.tf")
    (tmp_path / "terraform.tfvars").write_text('zone = "blog.example.com"\n')
    key = lambda: run_key(read_paths([str(tmp_path / "main.tf")]).sources.texts(), None, set(), {}, True)  # noqa: E731
    before = key()
    (tmp_path / "terraform.tfvars").write_text('zone = "api.example.com"\n')
    assert key() != before
    cache = tmp_path / "cache"
    assert _shown(_cached([tmp_path / "main.tf"], cache)) == _shown(_fresh([tmp_path / "main.tf"]))


CONFIGURATIONS = [
    ("select", dict(select={"bot-fight-mode-api"}), dict(select={"broad-skip"})),
    ("ignore", dict(ignore=set()), dict(ignore={"bot-fight-mode-api"})),
    ("suggestions", dict(suggestions=True), dict(suggestions=False)),
    ("options", dict(options={}), dict(options={"bot-fight-mode-api": {"api_host_words": ["nothing-matches"]}})),
]


@pytest.mark.parametrize("name,before,after", CONFIGURATIONS, ids=[c[0] for c in CONFIGURATIONS])
def test_a_changed_configuration_gives_the_fresh_result(tmp_path, name, before, after):
    inputs = [BOT / "api-host" / "api.json"]
    cache = tmp_path / "cache"
    _cached(inputs, cache, **before)
    for settings in (after, before):
        assert _shown(_cached(inputs, cache, **settings)) == _shown(_fresh(inputs, **settings)), name


def test_options_that_are_not_plain_json_turn_the_cache_off(tmp_path):
    from rulelint.pipeline.findings_cache import run_key

    assert run_key({}, None, set(), {"broad-skip": {"x": object()}}, True) is None


def test_a_damaged_findings_entry_is_a_miss(tmp_path):
    inputs = [BOT / "api-host" / "api.json"]
    cache = tmp_path / "cache"
    first = _cached(inputs, cache)
    [entry] = cache.glob("findings-*.json")
    header, body = entry.read_bytes().split(b"\n", 1)
    entry.write_bytes(header + b"\n" + body.replace(b'"error"', b'"info"'))  # digest no longer matches
    assert _shown(_cached(inputs, cache)) == _shown(first)
    entry.write_text("")
    assert _shown(_cached(inputs, cache)) == _shown(first)


def test_findings_come_back_exactly(tmp_path):
    findings = _fresh([BOT / "api-host" / "api.json"]).findings
    assert findings
    assert decode_findings(json.loads(json.dumps(encode_findings(findings)))) == findings
    assert decode_findings([["x", "fatal", "m", [None] * 10, None, None, []]]) is None
    assert decode_findings([["x", "error", "m", [None, -1] + [None] * 8, None, None, []]]) is None
    assert decode_findings([["x", "error", "m", [None] * 10, ["e", [], None], None, []]]) is None


def test_a_large_input_is_keyed_by_all_of_its_text():
    """An input longer than what is hashed at once: an edit at its end (past a character
    outside the BMP and a lone surrogate on the slice boundary) changes the key; the same text
    gives the same key."""
    from rulelint.pipeline.findings_cache import _CHARACTERS_HASHED_AT_ONCE, run_key

    text = "a" * (_CHARACTERS_HASHED_AT_ONCE - 1) + "\ud83d\ude00\ud800" + "é" * _CHARACTERS_HASHED_AT_ONCE + "x"
    key = run_key({"-": text}, None, None, None, True)
    assert run_key({"-": "".join(list(text))}, None, None, None, True) == key
    assert run_key({"-": text[:-1] + "y"}, None, None, None, True) != key
    assert run_key({"-": text[:-1]}, None, None, None, True) != key
