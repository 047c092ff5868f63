"""Every kind of damaged cache file is ignored and rebuilt, and never changes a verdict.

Table-driven: each damage is applied in turn to the parse cache and to the findings cache of a
run whose findings are known; the damaged run must report exactly what a run without any cache
reports, and (where a file can be written there) leave an intact cache behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from pathlib import Path

import pytest

from rulelint.pipeline import parse_cache
from rulelint.pipeline.engine import analyse
from rulelint.pipeline.parse_cache import read_cache_file

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo" / "export.json"


def _with_digest(kind: str, body: bytes, **header) -> bytes:
    """A cache file whose digest matches its (damaged) body: only validation can refuse it."""
    fields = {"kind": kind, "version": "0.1.0", "format": parse_cache.FORMAT, "sha256": hashlib.sha256(body).hexdigest()}
    fields.update(header)
    return json.dumps(fields).encode() + b"\n" + body


def _header_only(path: Path, kind: str) -> None:
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")


def _write(data) -> callable:
    def damage(path: Path, kind: str) -> None:
        path.write_bytes(data(kind) if callable(data) else data)
    return damage


def _retype(path: Path, kind: str) -> None:
    """Valid JSON with a valid digest, but every value of the wrong type."""
    wrong = [] if kind == "parse" else {"key": 7, "findings": {"a": 1}}
    path.write_bytes(_with_digest(kind, json.dumps(wrong).encode()))


def _malformed_entries(path: Path, kind: str) -> None:
    """The right outer shape with a valid digest, entries malformed inside."""
    body = json.loads(path.read_bytes().split(b"\n", 1)[1])
    if kind == "parse":
        broken = ([["syntax", "error", "x", [0, 1, 1, 1, 1, "2"], None]], [["syntax", "fatal", "x", [0, 1, 1, 1, 1, 2], None]],
                  [["syntax", "error", "x", [0, 10**9, 1, 1, 1, 2], None]], [["a"]], 7, None, [[True] * 5])
        body = {key: broken[index % len(broken)] for index, key in enumerate(body)}
    else:
        body["findings"] = [[f[0], f[1], None, f[3], f[4], f[5], f[6]] for f in body["findings"]] or [[1]]
    path.write_bytes(_with_digest(kind, json.dumps(body).encode()))


def _edit_body(path: Path, kind: str) -> None:
    """A plausible-looking edit (every error made info, every diagnostic dropped) that the
    digest no longer matches."""
    header, body = path.read_bytes().split(b"\n", 1)
    path.write_bytes(header + b"\n" + body.replace(b'"error"', b'"info"').replace(b'[["', b'[]||["'))


def _huge(path: Path, kind: str) -> None:
    path.unlink()
    with open(path, "wb") as handle:
        handle.truncate(parse_cache.MAX_CACHE_BYTES + 1)  # sparse: costs no disk


def _fifo(path: Path, kind: str) -> None:
    path.unlink()
    os.mkfifo(path)


def _dev_zero(path: Path, kind: str) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def _directory(path: Path, kind: str) -> None:
    path.unlink()
    path.mkdir()


def _unreadable(path: Path, kind: str) -> None:
    path.chmod(0)


def _dangling(path: Path, kind: str) -> None:
    path.unlink()
    path.symlink_to(path.parent / "nowhere")


def _loop(path: Path, kind: str) -> None:
    path.unlink()
    path.symlink_to(path)


DAMAGE = {
    "truncated": lambda path, kind: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "truncated-to-the-header": _header_only,
    "empty": _write(b""),
    "garbage": _write(bytes(range(256)) * 64),
    "nul-bytes": _write(b"\0" * 4096),
    "json-but-no-header": _write(b'{"version": "0.1.0", "format": 3, "entries": {}}'),
    "wrong-format-number": lambda path, kind: path.write_bytes(_with_digest(kind, path.read_bytes().split(b"\n", 1)[1], format=parse_cache.FORMAT + 1)),
    "wrong-version": lambda path, kind: path.write_bytes(_with_digest(kind, path.read_bytes().split(b"\n", 1)[1], version="0.0.1")),
    "wrong-kind": lambda path, kind: path.write_bytes(_with_digest("findings" if kind == "parse" else "parse", path.read_bytes().split(b"\n", 1)[1])),
    "header-of-wrong-types": _write(lambda kind: b'{"kind": 1, "version": [], "format": "4", "sha256": null}\n{}'),
    "body-edited": _edit_body,
    "wrong-types": _retype,
    "malformed-entries": _malformed_entries,
    "invalid-utf8": _write(lambda kind: _with_digest(kind, b'{"\xff\xfe": 1}')),
    "lone-surrogates": _write(lambda kind: _with_digest(kind, b'{"\\ud800": [["\\udfff"]]}')),
    "deeply-nested": _write(lambda kind: _with_digest(kind, b"[" * 100_000 + b"]" * 100_000)),
    "huge-number": _write(lambda kind: _with_digest(kind, b"[" + b"9" * 10_000 + b"]")),
    "huge": _huge,
    "fifo": _fifo,
    "symlink-to-dev-zero": _dev_zero,
    "directory": _directory,
    "unreadable": _unreadable,
    "dangling-symlink": _dangling,
    "symlink-loop": _loop,
}
CANNOT_BE_REPLACED = {"directory"}


def _shown(analysis) -> list[str]:
    return [repr(f) for f in analysis.findings]


@pytest.fixture(scope="module")
def expected() -> list[str]:
    return _shown(analyse([str(DEMO)], use_cache=False))


@pytest.fixture
def deadline():
    """A FIFO or /dev/zero must not stall the run: fail instead of hanging."""
    def stalled(signum, frame):
        raise AssertionError("the run stalled on the damaged cache")
    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("kind", ["parse", "findings"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path, expected, deadline, kind, damage):
    cache = tmp_path / "cache"
    assert _shown(analyse([str(DEMO)], use_cache=True, cache_dir=str(cache))) == expected
    [path] = cache.glob(f"{kind}-*.json")
    DAMAGE[damage](path, kind)
    if kind == "parse":
        for other in cache.glob("findings-*.json"):
            other.unlink()  # so the run needs the parse cache
    try:
        assert _shown(analyse([str(DEMO)], use_cache=True, cache_dir=str(cache))) == expected
        assert _shown(analyse([str(DEMO)], use_cache=True, cache_dir=str(cache))) == expected
        if damage not in CANNOT_BE_REPLACED:
            assert read_cache_file(path, kind) is not None, "the damaged file is replaced by a good one"
    finally:
        if path.exists() and not path.is_symlink():
            path.chmod(0o700)


def test_only_a_bounded_amount_of_a_cache_file_is_read(tmp_path):
    path = tmp_path / "grows.json"
    path.write_bytes(_with_digest("parse", b"{}"))
    assert read_cache_file(path, "parse") == {}
    assert read_cache_file(path, "parse", limit=10) is None
