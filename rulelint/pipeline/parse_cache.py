"""An on-disk cache of parsed expressions, so a re-run on unchanged input skips the parser.

Entries are keyed by the expression context and text, and the file itself is named after
rulelint's version and a fingerprint of the parser's code and tables, so a changed parser never
reads results an older one wrote. The value is the parse verdict — the diagnostics with their
spans — in plain JSON; the tree is not stored (checks parse again the few they look into).

A cache may be damaged in every way a file can be: truncated, edited, replaced by a FIFO, a
directory or a link to ``/dev/zero``, made unreadable or huge. None of that may change a
verdict or stall a run, so a cache file (``cache_files``) is read only when it is a regular file
under a size bound, and its body only when it matches the digest in its header; each entry is
validated again on use. Anything else is ignored and the cache rebuilt. Two runs may share the
folder: each writes a complete new file to a temporary name and renames it into place.

Where: ``$RULELINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/rulelint``, else ``~/.cache/rulelint``.
"""

from __future__ import annotations

import itertools
import json
import os
import stat
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..version import __version__

FORMAT = 4
# A cache file larger than this is not read (a 100,000-rule run writes about 40 MB of findings).
MAX_CACHE_BYTES = 256 * 1024 * 1024
MEMBERS_PER_PIECE = 1000  # members of an object body encoded at once (``write_cache_file``)
COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))  # cache files' JSON: no spaces


def cache_folder(cache_dir: str | Path | None = None) -> Path:
    """``cache_dir`` as given (``--cache-dir``), else the default one."""
    return Path(cache_dir) if cache_dir else default_cache_dir()


def default_cache_dir() -> Path:
    explicit = os.environ.get("RULELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rulelint"


def language_fingerprint() -> str:
    """A short hash of everything that decides a parse result: the language layer's source,
    the field and function tables, and the cache format."""
    import hashlib

    from ..resources import grammars_dir

    digest = hashlib.sha256(f"format {FORMAT}".encode())
    language = Path(__file__).resolve().parents[1] / "language"
    for path in sorted(language.glob("*.py")) + sorted(grammars_dir().glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- the cache file: a header line with a digest, then the body --------------------------------


def read_cache_file(path: Path, kind: str, limit: int | None = None) -> Any:
    """The body of the cache file ``path`` as a JSON value, or None when the file is anything
    but a complete, intact cache file of ``kind`` written by this version in this format.

    Only a regular file is read (opened without blocking, so a FIFO cannot stall the run;
    checked with ``fstat`` before reading, so a device is never read), and at most ``limit``
    bytes of it. The body is decoded only when its SHA-256 matches the header's. The header
    line and the body are read apart and the body's bytes are let go once they are text, so a
    large file is held at most twice (its text and its value) while it is decoded."""
    limit = MAX_CACHE_BYTES if limit is None else limit
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        with open(descriptor, "rb", closefd=True) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            header_line = handle.readline(limit + 1)
            if not header_line.endswith(b"\n"):
                return None  # no header, or one longer than the bound
            body = handle.read(limit + 1 - len(header_line))
    except (OSError, ValueError):
        return None
    if len(header_line) + len(body) > limit:
        return None
    try:
        header = json.loads(header_line)
    except (ValueError, RecursionError):
        return None
    if not (
        isinstance(header, dict)
        and header.get("kind") == kind
        and header.get("version") == __version__
        and header.get("format") == FORMAT
        and isinstance(header.get("sha256"), str)
    ):
        return None
    import hashlib

    if hashlib.sha256(body).hexdigest() != header["sha256"]:
        return None
    try:
        text = body.decode("utf-8", "surrogatepass")
        del body
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


class AbandonCacheWrite(Exception):
    """Raised by the pieces of a cache file's body to give up writing it (a value that would
    not read back): ``write_cache_pieces`` then leaves no file behind."""


def write_cache_file(path: Path, kind: str, body: dict) -> bool:
    """Write ``body`` (a JSON object) as the cache file ``path``, atomically: a reader sees the
    old file or the new one, never half of one. A failure to write only loses the cache.

    An object is encoded ``MEMBERS_PER_PIECE`` members at a time (the parse cache has one
    member per expression, and its whole text need never exist at once)."""
    return write_cache_pieces(path, kind, _members_in_slices(body))


def _members_in_slices(body: dict) -> Iterator[str]:
    """The JSON text of ``body``, a slice of its members at a time."""
    members = iter(body.items())
    yield "{"
    separator = ""
    while piece := dict(itertools.islice(members, MEMBERS_PER_PIECE)):
        text = COMPACT_JSON.encode(piece)
        yield separator
        yield text[1:-1]  # the members, without the braces
        separator = ","
    yield "}"


def write_cache_pieces(path: Path, kind: str, pieces: Iterable[str]) -> bool:
    """Write the JSON text ``pieces`` make, in order, as the body of the cache file ``path``,
    taking each piece only when the one before is written, so a body need never be held whole.

    The header comes first but holds the body's digest, known only at the end: a placeholder
    of the same length is written and then overwritten. The file is written under a temporary
    name and renamed into place only when complete, so a reader sees the old file or the new
    one; when writing fails or the pieces raise ``AbandonCacheWrite``, the temporary file is
    removed, ``path`` is left as it was and the answer is False."""
    import hashlib
    import tempfile

    placeholder = _header(kind, "0" * 64)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(placeholder)
            digest = hashlib.sha256()
            for piece in pieces:
                data = piece.encode("utf-8")
                digest.update(data)
                out.write(data)
            header = _header(kind, digest.hexdigest())
            if len(header) != len(placeholder):
                raise AbandonCacheWrite("the header changed length")
            out.seek(0)
            out.write(header)
        os.replace(temporary, path)
        return True
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, (OSError, TypeError, ValueError, RecursionError, AbandonCacheWrite)):
            return False
        raise


def _header(kind: str, sha256: str) -> bytes:
    """The first line of a cache file: what it holds, who wrote it, and its body's digest."""
    fields = {"kind": kind, "version": __version__, "format": FORMAT, "sha256": sha256}
    return json.dumps(fields).encode("utf-8") + b"\n"


def json_array_pieces(items: Iterable[str]) -> Iterator[str]:
    """The JSON text of an array, given its items' JSON texts: one piece at a time."""
    yield "["
    separator = ""
    for item in items:
        yield separator
        yield item
        separator = ","
    yield "]"


def json_object_pieces(plain: dict[str, Any], streamed: dict[str, Iterable[str]]) -> Iterator[str]:
    """The JSON text of an object holding the members of ``plain`` (JSON values, encoded at
    once) and then those of ``streamed`` (each value the pieces of its JSON text, taken only as
    they are written)."""
    opening = COMPACT_JSON.encode(plain)
    yield opening[:-1]  # without its closing brace
    separator = "," if plain else ""
    for name, pieces in streamed.items():
        yield f"{separator}{json.dumps(name)}:"
        yield from pieces
        separator = ","
    yield "}"


# --- encoding: diagnostics <-> JSON values ------------------------------------------------------


def encode_diagnostics(diagnostics) -> list:
    """``[[code, severity, message, [start, end, line, column, end_line, end_column], hint], …]``"""
    return [
        [d.code, d.severity, d.message, [d.span.start, d.span.end, d.span.line, d.span.column,
                                         d.span.end_line, d.span.end_column], d.hint]
        for d in diagnostics
    ]


def decode_diagnostics(entry: Any, text: str | None = None) -> tuple | None:
    """The diagnostics ``encode_diagnostics`` wrote, or None for anything else (a damaged or
    tampered entry is parsed again, never trusted half-way). With ``text``, every span must
    also lie inside it."""
    from ..language.ast import Span
    from ..language.diagnostics import Diagnostic

    if not isinstance(entry, list):
        return None
    decoded = []
    for item in entry:
        if not (isinstance(item, list) and len(item) == 5 and isinstance(item[3], list) and len(item[3]) == 6):
            return None
        code, severity, message, span, hint = item
        if not all(isinstance(v, str) for v in (code, severity, message)) or not (hint is None or isinstance(hint, str)):
            return None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in span):
            return None
        if severity not in ("error", "warning", "info") or not _plausible_span(span, text):
            return None
        decoded.append(Diagnostic(code, severity, message, Span(*span), hint))
    return tuple(decoded)


def _plausible_span(span: list[int], text: str | None) -> bool:
    start, end, line, column, end_line, end_column = span
    if not (0 <= start <= end and line >= 1 and column >= 1 and end_line >= line and end_column >= 0):
        return False
    return text is None or end <= len(text)


# --- the store --------------------------------------------------------------------------------


class ParseCache:
    """The cache for one run: load once at the start, ``save`` the new entries at the end."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = cache_folder(folder)
        self.path = self.folder / f"parse-{__version__}-{language_fingerprint()}.json"
        self.entries: dict[str, Any] = {}  # key -> encoded [tree, diagnostics]
        self.new_keys: list[str] = []  # keys added by this run, in order

    @staticmethod
    def key(text: str, context: str) -> str:
        return f"{context}\x00{text}"

    def load(self) -> ParseCache:
        """Take the entries of an intact cache file; anything else leaves the cache empty (and
        the end of the run writes a good one)."""
        entries = read_cache_file(self.path, "parse")
        if isinstance(entries, dict):
            self.entries = entries
        return self

    def lookup(self, text: str, context: str):
        """The cached verdict on ``text``: its diagnostics, with the tree built on first use."""
        entry = self.entries.get(self.key(text, context))
        if entry is None:
            return None
        from ..language.api import ParsedExpression

        diagnostics = decode_diagnostics(entry, text)
        if diagnostics is None:
            return None  # a stale or damaged entry: parse again
        return ParsedExpression(text, context, None, diagnostics, tree_pending=True)

    def remember(self, parsed) -> None:
        """Add a fresh parse result (called by ``parse`` for every cache miss)."""
        key = self.key(parsed.text, parsed.context)
        if key not in self.entries:
            self.entries[key] = encode_diagnostics(parsed.diagnostics)
            self.new_keys.append(key)

    def merge(self, entries: dict[str, Any]) -> None:
        """Take entries another process found (parallel runs)."""
        for key, value in entries.items():
            if key not in self.entries:
                self.entries[key] = value
                self.new_keys.append(key)

    def new_entries(self) -> dict[str, Any]:
        return {key: self.entries[key] for key in self.new_keys}

    def save(self) -> None:
        """Write every entry atomically; a failure to write only loses the cache."""
        if self.new_keys:
            write_cache_file(self.path, "parse", self.entries)
