"""The result cache answers an unchanged run on JSON files without reading them, and never
answers a run whose inputs, settings or files beside them changed (a stale verdict)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rulelint.readers
from rulelint.pipeline import Settings, run

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo" / "export.json"
PLAN_CASE = ROOT / "fixtures" / "checks" / "broad-skip" / "admin-export-mp4" / "plan-with-config"


def _outcome(result):
    return (
        [(f.check, f.severity, f.message, f.location, f.suggestion, f.related) for f in result.findings],
        [(f.check, f.location, reason) for f, reason in result.suppressed],
        result.files, result.skipped, result.usable, result.rule_count,
    )


def _refuse_reading(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the inputs were read")

    monkeypatch.setattr(rulelint.readers, "read_paths", refuse)


@pytest.fixture()
def demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DEMO, tmp_path / "export.json")
    return "export.json"


def test_an_unchanged_run_is_answered_without_reading(demo, tmp_path, monkeypatch):
    cold = run([demo], Settings(), use_cache=True, cache_dir=str(tmp_path / "cache"))
    assert list((tmp_path / "cache").glob("result-*.json"))
    _refuse_reading(monkeypatch)
    warm = run([demo], Settings(), use_cache=True, cache_dir=str(tmp_path / "cache"))
    assert _outcome(warm) == _outcome(cold)
    assert warm.findings and warm.source_text(demo) == Path(demo).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        "edit the input",
        "select",
        "ignore",
        "options",
        "no suggestions",
        "per-path ignores",
        "exclude",
    ],
)
def test_any_change_to_what_decides_the_result_is_a_miss(demo, tmp_path, change):
    cache = str(tmp_path / "cache")
    cold = run([demo], Settings(), use_cache=True, cache_dir=cache)
    settings, exclude = Settings(), None
    if change == "edit the input":
        text = Path(demo).read_text(encoding="utf-8")
        assert '"expression": "true"' in text
        Path(demo).write_text(text.replace('"expression": "true"', '"expression": "http.host eq \\"a.example.com\\""', 1), encoding="utf-8")
    elif change == "select":
        settings = Settings(select=["broad-skip"])
    elif change == "ignore":
        settings = Settings(ignore=["broad-skip"])
    elif change == "options":
        settings = Settings(options={"bot-fight-mode-api": {"api_host_words": ["none"], "api_path_words": ["none"]}})
    elif change == "no suggestions":
        settings = Settings(suggestions=False)
    elif change == "per-path ignores":
        settings = Settings(per_path_ignores={"export.json": ["broad-skip"]})
    elif change == "exclude":
        exclude = ["other/"]
    warm = run([demo], settings, use_cache=True, cache_dir=cache, exclude=exclude)
    fresh = run([demo], settings, use_cache=False, exclude=exclude)
    assert _outcome(warm) == _outcome(fresh)
    if change != "exclude":  # the others change what is reported: a stale answer would show
        assert _outcome(fresh) != _outcome(cold)


def test_answered_from_another_working_directory_when_inputs_are_named_alike(tmp_path, monkeypatch):
    source = tmp_path / "export.json"
    shutil.copy(DEMO, source)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    monkeypatch.chdir(first)
    cold = run([str(source)], Settings(), use_cache=True, cache_dir=str(tmp_path / "cache"))
    monkeypatch.chdir(second)
    _refuse_reading(monkeypatch)
    assert _outcome(run([str(source)], Settings(), use_cache=True, cache_dir=str(tmp_path / "cache"))) == _outcome(cold)


def test_per_path_globs_are_matched_from_the_working_directory(tmp_path, monkeypatch):
    """With per-path ignores and no configuration file, the working directory decides which
    files the globs name: another directory is another key."""
    source = tmp_path / "a" / "export.json"
    source.parent.mkdir()
    shutil.copy(DEMO, source)
    settings = Settings(per_path_ignores={"a/export.json": ["broad-skip"]})
    monkeypatch.chdir(source.parent)
    cold = run([str(source)], settings, use_cache=True, cache_dir=str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    warm = run([str(source)], settings, use_cache=True, cache_dir=str(tmp_path / "cache"))
    assert _outcome(warm) == _outcome(run([str(source)], settings))
    assert any(f.check == "broad-skip" for f in cold.findings)  # "a/export.json" is not a/…/a
    assert not any(f.check == "broad-skip" for f in warm.findings)  # from the parent it is


def test_a_file_beside_the_input_that_a_reader_may_consult_changes_the_key(demo, tmp_path, monkeypatch):
    cache = str(tmp_path / "cache")
    run([demo], Settings(), use_cache=True, cache_dir=cache)
    (tmp_path / "terraform.tfvars").write_text('zone = "x"\n', encoding="utf-8")
    _refuse_reading(monkeypatch)
    with pytest.raises(AssertionError, match="the inputs were read"):
        run([demo], Settings(), use_cache=True, cache_dir=cache)


def test_a_damaged_entry_is_a_miss(demo, tmp_path):
    cache = tmp_path / "cache"
    cold = run([demo], Settings(), use_cache=True, cache_dir=str(cache))
    (entry,) = cache.glob("result-*.json")
    entry.write_bytes(entry.read_bytes().replace(b'"rule_count"', b'"rule_cnt"'))
    assert _outcome(run([demo], Settings(), use_cache=True, cache_dir=str(cache))) == _outcome(cold)


DAMAGE = {
    "cut-in-the-header": lambda whole: whole[: whole.index(b"\n") // 2],
    "cut-after-the-header": lambda whole: whole[: whole.index(b"\n") + 1],
    "cut-in-the-middle": lambda whole: whole[: len(whole) // 2],
    "one-byte-short": lambda whole: whole[:-1],
    "a-byte-flipped": lambda whole: whole[: len(whole) // 2] + bytes([whole[len(whole) // 2] ^ 0x01]) + whole[len(whole) // 2 + 1:],
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_file_is_a_miss_and_is_written_again(demo, tmp_path, damage):
    cache = tmp_path / "cache"
    cold = run([demo], Settings(), use_cache=True, cache_dir=str(cache))
    (entry,) = cache.glob("result-*.json")
    whole = entry.read_bytes()
    entry.write_bytes(DAMAGE[damage](whole))
    assert _outcome(run([demo], Settings(), use_cache=True, cache_dir=str(cache))) == _outcome(cold)
    assert entry.read_bytes() == whole


def test_another_keys_file_is_a_miss(demo, tmp_path):
    cache = tmp_path / "cache"
    run([demo], Settings(), use_cache=True, cache_dir=str(cache))
    (everything,) = cache.glob("result-*.json")
    narrow = Settings(select=["broad-skip"])
    fresh = run([demo], narrow)
    run([demo], narrow, use_cache=True, cache_dir=str(cache))
    (selected,) = set(cache.glob("result-*.json")) - {everything}
    selected.write_bytes(everything.read_bytes())
    assert _outcome(run([demo], narrow, use_cache=True, cache_dir=str(cache))) == _outcome(fresh)
    assert _outcome(fresh) != _outcome(run([demo], Settings()))


def test_never_used_with_a_baseline_a_folder_terraform_or_a_plan_that_reads_its_tf(demo, tmp_path):
    cache = tmp_path / "cache"
    from collections import Counter

    run([demo], Settings(), use_cache=True, cache_dir=str(cache), baseline=Counter())
    assert not list(cache.glob("result-*.json"))
    run([str(PLAN_CASE / "main.tf")], Settings(), use_cache=True, cache_dir=str(cache))
    run([str(PLAN_CASE)], Settings(), use_cache=True, cache_dir=str(cache))
    run([str(PLAN_CASE / "tfplan.json")], Settings(), use_cache=True, cache_dir=str(cache))
    assert not list(cache.glob("result-*.json"))
