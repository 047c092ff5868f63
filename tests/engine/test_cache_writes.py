"""The findings and result caches write their files one finding at a time.

What a save writes reads back exactly; a finding that would not read back leaves no file (the
previous one stays, no temporary file is left); a file cut short anywhere, with any bit
flipped or under another key is a miss, never a traceback or another answer; and saving holds
only a little beyond the findings it is given, however many there are.
"""

from __future__ import annotations

import math
import tracemalloc
from pathlib import Path

import pytest

from rulelint.findings import Finding, Location, Related, Suggestion
from rulelint.model import Configuration
from rulelint.pipeline.findings_cache import FindingsCache, encode_findings
from rulelint.pipeline.parse_cache import MEMBERS_PER_PIECE, read_cache_file, write_cache_file
from rulelint.pipeline.result import Result
from rulelint.pipeline.result_cache import ResultCache

KEY = "0123456789abcdef" * 4
OTHER_KEY = "fedcba9876543210" * 4
INPUT = "zones.json"


def _findings(count: int) -> list[Finding]:
    """Findings with every field in use: suggestions, related places, text JSON must escape."""
    out = []
    for n in range(count):
        where = Location(INPUT, n + 1, 3, n + 1, 40, f"/zones/{n}/rules/0", None, f"zone-{n % 7}.example", f"id{n}", None)
        suggestion = Suggestion(f'http.host eq "a{n}.example"', {"phases": ["http_request_firewall_custom"]}, "narrower") if n % 3 == 0 else None
        related = (Related("the rule it shadows ✓", Location(INPUT, 1, 1, None, None, "/zones/0")),) if n % 4 == 0 else ()
        message = f"rule {n} matches every request \"quoted\" \\ tab\t é 😀" + ("\ud800" if n % 5 == 0 else "")
        out.append(Finding("broad-skip", ("error", "warning", "info")[n % 3], message, where, suggestion, "true", related))
    return out


def _result(findings: list[Finding], suppressed: list[Finding]) -> Result:
    return Result(
        configuration=Configuration(),
        findings=findings,
        checks={},
        suppressed=[(f, f"reason {n}") for n, f in enumerate(suppressed)],
        files=[INPUT],
        skipped=[],
        usable=True,
        rule_count=len(findings),
    )


def _outcome(result: Result | None):
    if result is None:
        return None
    return result.findings, result.suppressed, result.files, result.skipped, result.usable, result.rule_count


class _Findings:
    """Save and load through the findings cache."""

    kind = "findings"

    def entry(self, folder: Path, key: str = KEY):
        return FindingsCache(folder, key)

    def save(self, entry, findings, suppressed=()):
        entry.save(findings)

    def load(self, entry):
        return entry.load()

    def expected(self, findings, suppressed=()):
        return findings


class _Results:
    """Save and load through the result cache (findings and suppressed ones both streamed)."""

    kind = "result"

    def entry(self, folder: Path, key: str = KEY):
        return ResultCache(folder, key, {INPUT: "{}"})

    def save(self, entry, findings, suppressed=()):
        entry.save(_result(findings, list(suppressed)), [INPUT])

    def load(self, entry):
        return _outcome(entry.load({}))

    def expected(self, findings, suppressed=()):
        return _outcome(_result(findings, list(suppressed)))


CACHES = [_Findings(), _Results()]
IDS = [cache.kind for cache in CACHES]


@pytest.mark.parametrize("cache", CACHES, ids=IDS)
@pytest.mark.parametrize("count", [0, 1, 300])
def test_a_saved_file_reads_back_exactly(tmp_path, cache, count):
    entry = cache.entry(tmp_path)
    findings, suppressed = _findings(count), _findings(count // 2)[::-1]
    cache.save(entry, findings, suppressed)
    assert cache.load(entry) == cache.expected(findings, suppressed)
    body = read_cache_file(entry.path, cache.kind)
    assert body["key"] == KEY and body["findings"] == encode_findings(findings)
    assert [p.name for p in tmp_path.iterdir()] == [entry.path.name]


# Values a finding may carry that JSON would change or cannot hold.
UNFAITHFUL = {
    "tuple": (1, 2),
    "float-key": {1.5: "x"},
    "nan": math.nan,
    "set": {1, 2},
    "object": object(),
    "deep": "nested",  # replaced by a list nested past the recursion limit
}


def _unfaithful(name: str) -> Finding:
    value = UNFAITHFUL[name]
    if name == "deep":
        for _ in range(100_000):
            value = [value]
    return Finding("broad-skip", "error", "m", Location(INPUT, 1, 1), Suggestion("true", {"value": value}, None))


# Where the bad finding goes: each list a cache streams.
PLACES = [(CACHES[0], "findings"), (CACHES[1], "findings"), (CACHES[1], "suppressed")]


@pytest.mark.parametrize("cache,where", PLACES, ids=[f"{cache.kind}-{where}" for cache, where in PLACES])
@pytest.mark.parametrize("value", sorted(UNFAITHFUL))
def test_a_finding_that_would_not_read_back_leaves_the_previous_file_and_nothing_else(tmp_path, cache, where, value):
    entry = cache.entry(tmp_path)
    previous = _findings(3)
    cache.save(entry, previous)
    written = entry.path.read_bytes()
    many = _findings(2_000)  # far more than one write buffer goes out before the bad one
    if where == "findings":
        cache.save(entry, [*many, _unfaithful(value)], many[:2])
    else:
        cache.save(entry, many, [*many[:2], _unfaithful(value)])
    assert entry.path.read_bytes() == written
    assert [p.name for p in tmp_path.iterdir()] == [entry.path.name], "a temporary file was left behind"
    assert cache.load(entry) == cache.expected(previous)


@pytest.mark.parametrize("cache", CACHES, ids=IDS)
def test_a_file_cut_short_anywhere_is_a_miss(tmp_path, cache):
    entry = cache.entry(tmp_path)
    cache.save(entry, _findings(2), _findings(1))
    whole = entry.path.read_bytes()
    for length in range(len(whole)):
        entry.path.write_bytes(whole[:length])
        assert cache.load(entry) is None, length


@pytest.mark.parametrize("cache", CACHES, ids=IDS)
def test_a_file_with_any_bit_flipped_is_a_miss(tmp_path, cache):
    entry = cache.entry(tmp_path)
    cache.save(entry, _findings(2), _findings(1))
    whole = entry.path.read_bytes()
    for offset in range(len(whole)):
        damaged = bytearray(whole)
        damaged[offset] ^= (0x01, 0x20, 0x80)[offset % 3]  # a low bit, a letter's case, ASCII
        entry.path.write_bytes(bytes(damaged))
        assert cache.load(entry) is None, offset


@pytest.mark.parametrize("cache", CACHES, ids=IDS)
def test_a_file_under_another_key_is_a_miss(tmp_path, cache):
    entry, other = cache.entry(tmp_path), cache.entry(tmp_path, OTHER_KEY)
    cache.save(entry, _findings(3))
    other.path.write_bytes(entry.path.read_bytes())
    assert cache.load(other) is None
    assert cache.load(entry) == cache.expected(_findings(3))


@pytest.mark.parametrize("cache", CACHES, ids=IDS)
def test_saving_holds_no_encoded_copy_of_all_findings(tmp_path, cache):
    findings = _findings(3_000)
    cache.save(cache.entry(tmp_path / "warm-up"), _findings(2), _findings(1))  # imports, first-use tables
    entry = cache.entry(tmp_path)
    tracemalloc.start()
    try:
        cache.save(entry, findings, findings[:100])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = entry.path.stat().st_size
    assert size > 700_000
    assert peak < size / 10, f"saving a {size:,}-byte file held {peak:,} bytes at once"


def test_an_object_body_written_a_slice_at_a_time_reads_back_exactly(tmp_path):
    path = tmp_path / "parse.json"
    body = {f"http\x00http.host eq \"{n}.example\" é": [] if n % 2 else [["syntax", "error", "m", [0, 1, 1, 1, 1, 2], None]]
            for n in range(MEMBERS_PER_PIECE * 2 + 1)}
    assert write_cache_file(path, "parse", body)
    assert read_cache_file(path, "parse") == body
    assert write_cache_file(path, "parse", {}) and read_cache_file(path, "parse") == {}


def test_an_object_body_json_cannot_hold_leaves_the_previous_file(tmp_path):
    path = tmp_path / "parse.json"
    assert write_cache_file(path, "parse", {"a": []})
    body = {f"k{n}": [] for n in range(MEMBERS_PER_PIECE * 2)} | {"last": {1, 2}}
    assert not write_cache_file(path, "parse", body)
    assert read_cache_file(path, "parse") == {"a": []}
    assert [p.name for p in tmp_path.iterdir()] == ["parse.json"]
