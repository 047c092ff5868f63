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
import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 2


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

    from .resources import grammars_dir

    digest = hashlib.sha256(f"format {FORMAT}".encode())
    language = Path(__file__).resolve().parent / "language"
    for path in sorted(language.glob("*.py")) + sorted(grammars_dir().glob("*.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- encoding: AST nodes and diagnostics <-> JSON values -------------------------------------


def _node_classes() -> dict[str, type]:
    from .language import ast
    from .language.diagnostics import Diagnostic

    classes = {
        name: cls
        for name, cls in vars(ast).items()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == ast.__name__
    }
    classes["Diagnostic"] = Diagnostic
    classes.pop("Span")
    classes.pop("Type")
    return classes


def encode(value: Any) -> Any:
    """A JSON-ready form of a node, diagnostic, span, type or plain value."""
    from .language.ast import Span, Type

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Span):
        return {"s": [value.start, value.end, value.line, value.column, value.end_line, value.end_column]}
    if isinstance(value, Type):
        return {"t": str(value)}
    if isinstance(value, bytes):
        return {"b": value.decode("latin-1")}
    if isinstance(value, tuple):
        return {"l": [encode(item) for item in value]}
    if dataclasses.is_dataclass(value):
        return [type(value).__name__] + [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    raise TypeError(f"cannot cache a {type(value).__name__}")


class Decoder:
    """Turns ``encode``'s output back into the same objects (equal, spans and types included)."""

    _shared: Decoder | None = None

    @classmethod
    def shared(cls) -> Decoder:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def __init__(self) -> None:
        from .language.ast import Span
        from .language.tables import parse_type

        self._classes = _node_classes()
        self._span = Span
        self._parse_type = parse_type
        self._types: dict[str, Any] = {}

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            cls = self._classes[value[0]]
            return cls(*[self.decode(item) for item in value[1:]])
        if isinstance(value, dict):
            if "s" in value:
                return self._span(*value["s"])
            if "l" in value:
                return tuple(self.decode(item) for item in value["l"])
            if "t" in value:
                name = value["t"]
                found = self._types.get(name)
                if found is None:
                    found = self._types[name] = self._parse_type(name)
                return found
            if "b" in value:
                return value["b"].encode("latin-1")
        return value


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
        from .language.api import ParsedExpression

        try:
            diagnostics = Decoder.shared().decode(entry)
            if not (isinstance(diagnostics, tuple) and all(hasattr(d, "severity") for d in diagnostics)):
                return None
        except (KeyError, TypeError, IndexError, AttributeError, ValueError, RecursionError):
            return None  # a stale or damaged entry: parse again
        return ParsedExpression(text, context, None, diagnostics, tree_pending=True)

    def remember(self, parsed) -> None:
        """Add a fresh parse result (called by ``parse`` for every cache miss)."""
        key = self.key(parsed.text, parsed.context)
        if key not in self.entries:
            self.entries[key] = encode(parsed.diagnostics)
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

