"""An on-disk cache of parsed expressions, so a re-run on unchanged input skips the parser.

Entries are keyed by rulelint's version, the expression context and the expression text — and
the file itself is named after a fingerprint of the parser's code and tables, so a changed
parser never reads results an older one wrote, even without a version bump. The
value is the parse verdict — the diagnostics with their spans — in plain JSON; the tree is not
stored: loading and decoding trees cost more than parsing the few that checks look into
(skip rules, mostly), so those are parsed again when asked for. Plain JSON is a safe format:
loading a tampered cache can give wrong answers for that run at worst, never run code.
One file per rulelint version. Two runs may share the folder: each writes a complete new file
to a temporary name and renames it into place, so a reader sees either the old or the new file,
never half of one. A corrupt or unreadable cache is ignored.

Where: ``$RULELINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/rulelint``, else ``~/.cache/rulelint``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..version import __version__

FORMAT = 3


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


# --- encoding: diagnostics <-> JSON values ------------------------------------------------------


def encode_diagnostics(diagnostics) -> list:
    """``[[code, severity, message, [start, end, line, column, end_line, end_column], hint], …]``"""
    return [
        [d.code, d.severity, d.message, [d.span.start, d.span.end, d.span.line, d.span.column,
                                         d.span.end_line, d.span.end_column], d.hint]
        for d in diagnostics
    ]


def decode_diagnostics(entry: Any) -> tuple | None:
    """The diagnostics ``encode_diagnostics`` wrote, or None for anything else (a damaged or
    tampered entry is parsed again, never trusted half-way)."""
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
        decoded.append(Diagnostic(code, severity, message, Span(*span), hint))
    return tuple(decoded)


# --- the store --------------------------------------------------------------------------------


class ParseCache:
    """The cache for one run: load once at the start, ``save`` the new entries at the end."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()
        self.path = self.folder / f"parse-{__version__}-{language_fingerprint()}.json"
        self.entries: dict[str, Any] = {}  # key -> encoded [tree, diagnostics]
        self.new_keys: list[str] = []  # keys added by this run, in order

    @staticmethod
    def key(text: str, context: str) -> str:
        return f"{context}\x00{text}"

    def load(self) -> ParseCache:
        try:
            with open(self.path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError, RecursionError):
            return self
        if (
            isinstance(document, dict)
            and document.get("version") == __version__
            and document.get("format") == FORMAT
            and isinstance(document.get("entries"), dict)
        ):
            self.entries = document["entries"]
        return self

    def lookup(self, text: str, context: str):
        """The cached verdict on ``text``: its diagnostics, with the tree built on first use."""
        entry = self.entries.get(self.key(text, context))
        if entry is None:
            return None
        from ..language.api import ParsedExpression

        diagnostics = decode_diagnostics(entry)
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
        if not self.new_keys:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".parse-", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(
                        {"version": __version__, "format": FORMAT, "entries": self.entries},
                        out,
                        separators=(",", ":"),
                    )
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except (OSError, RecursionError, ValueError):
            return

