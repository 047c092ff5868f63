"""Findings of an unchanged re-run, read back instead of checked again.

One cache entry holds the check findings of one run's input set. Its key is a digest of
everything that decides them:

* rulelint's code: every module of the package and its language tables (``code_fingerprint``),
  so an edited or upgraded rulelint never reads what another one wrote;
* the inputs: the name and text of every file the readers read (``ReadResult.sources``, the
  whole run's inputs, since checks look across files), plus the name, size, change time and
  inode of every configuration file (``CONSULTED``) in each input's folder, so a file a reader
  consulted without recording it (``terraform.tfvars`` beside a ``.tf``, the ``.tf`` beside a
  plan) still changes the key;
* the effective configuration: selected and ignored checks, check options, suggestions on/off.

A stale "clean" verdict is the one failure this cache must never have, so whatever cannot be
put into the key exactly (an option that is not plain JSON) turns the cache off for that run,
findings are stored only when each reads back equal, and an entry that fails any check
(``parse_cache.read_cache_file``, then the shape of each finding) is a miss. Input findings
(``invalid-input`` from reading) are never cached: reading runs every time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..findings import INTERNAL_ERROR, Finding, Location, Related, Suggestion
from .parse_cache import (
    COMPACT_JSON,
    AbandonCacheWrite,
    json_array_pieces,
    json_object_pieces,
    read_cache_file,
    write_cache_pieces,
)

KIND = "findings"
KEEP = 32  # entries kept per cache folder (the least recently written are removed)
# The files beside an input that a reader may consult: Terraform configuration and variables,
# plans, exports (``.tf.json`` and ``.tfvars.json`` end in ``.json``).
CONSULTED = (".tf", ".tfvars", ".json", ".hcl")

# An input's text is encoded for its digest this many characters at a time (UTF-8 of the slices
# joined is UTF-8 of the whole: a str holds code points, so no character is split).
_CHARACTERS_HASHED_AT_ONCE = 1 << 20

_code_fingerprint: str | None = None


def code_fingerprint() -> str:
    """A digest of every Python module of rulelint and of its language tables."""
    global _code_fingerprint
    if _code_fingerprint is None:
        import hashlib

        from ..resources import grammars_dir

        package = Path(__file__).resolve().parents[1]
        digest = hashlib.sha256()
        files = sorted(package.rglob("*.py")) + sorted(Path(grammars_dir()).glob("*.json"))
        for path in files:
            digest.update(str(path.relative_to(path.parents[1])).encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        _code_fingerprint = digest.hexdigest()
    return _code_fingerprint


def run_key(
    texts: dict[str, str],
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    options: dict[str, Any] | None,
    suggestions: bool,
) -> str | None:
    """The digest naming one run's findings, or None when the configuration cannot be keyed
    exactly (then the run is checked, not cached)."""
    import hashlib

    try:
        configuration = json.dumps(
            {
                "select": sorted(select) if select else None,
                "ignore": sorted(ignore or ()),
                "options": options or {},
                "suggestions": bool(suggestions),
            },
            sort_keys=True,
        )
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(b"\0configuration\0" + configuration.encode("utf-8", "surrogatepass"))
    folders: set[str] = set()
    for name in sorted(texts):
        text = texts[name]
        digest.update(b"\0input\0" + name.encode("utf-8", "surrogatepass"))
        digest.update(b"\0%d\0" % len(text))
        for start in range(0, len(text), _CHARACTERS_HASHED_AT_ONCE):  # not a second copy of a large input
            digest.update(text[start:start + _CHARACTERS_HASHED_AT_ONCE].encode("utf-8", "surrogatepass"))
        folders.add(os.path.dirname(os.path.abspath(name)) if name != "-" else "")
    for folder in sorted(folders - {""}):
        digest.update(b"\0folder\0" + _folder_state(folder))
    return digest.hexdigest()


def _folder_state(folder: str) -> bytes:
    """Name, size, change time and inode of every configuration file in ``folder`` (nothing is
    read)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return b"unreadable"
    parts = [folder]
    for entry in entries:
        try:
            if not entry.name.endswith(CONSULTED) or not entry.is_file():
                continue  # a log or a subfolder beside the inputs changes without changing them
            info = entry.stat(follow_symlinks=True)
            parts.append(f"{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}")
        except OSError:
            parts.append(f"{entry.name}\0?")
    return "\0\0".join(parts).encode("utf-8", "surrogatepass")


class FindingsCache:
    """The cached findings of one run input set, in ``folder``."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = Path(folder)
        self.key = key
        self.path = self.folder / f"findings-{key[:40]}.json"

    def load(self) -> list[Finding] | None:
        """The findings stored under this key, or None (a miss) for anything else."""
        body = read_cache_file(self.path, KIND)
        if not (isinstance(body, dict) and body.get("key") == self.key):
            return None
        return decode_findings(body.get("findings"))

    def save(self, findings: list[Finding]) -> None:
        """Store ``findings`` when they read back exactly; then keep only the newest entries.

        The file is written one finding at a time (``checked_findings_pieces``): no encoded
        copy of all findings is ever held, and a finding that would not read back abandons the
        file."""
        if any(f.check == INTERNAL_ERROR for f in findings):
            return  # a check failed: the next run must try again, not repeat the failure
        body = json_object_pieces({"key": self.key}, {"findings": checked_findings_pieces(findings)})
        if write_cache_pieces(self.path, KIND, body):
            prune(self.folder)


def prune(folder: Path, pattern: str = "findings-*.json") -> None:
    """Keep the newest ``KEEP`` cache files of ``folder`` named like ``pattern``."""
    try:
        entries = [p for p in folder.glob(pattern) if p.is_file()]
        entries.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()
    except OSError:
        pass


# --- findings <-> JSON values ------------------------------------------------------------------

_LOCATION_FIELDS = ("file", "line", "column", "end_line", "end_column", "pointer", "address", "zone", "rule_id", "rule_ref")
_LOCATION_TYPES = (str, int, int, int, int, str, str, str, str, str)


def _encode_location(location: Location) -> list:
    return [getattr(location, name) for name in _LOCATION_FIELDS]


def encode_findings(findings: list[Finding]) -> list:
    """``[[check, severity, message, location, suggestion, expression, related], …]``"""
    return [encode_finding(f) for f in findings]


def encode_finding(f: Finding) -> list:
    """``[check, severity, message, location, suggestion, expression, related]``"""
    suggestion = None
    if f.suggestion is not None:
        suggestion = [f.suggestion.expression, f.suggestion.action_parameters, f.suggestion.note]
    related = [[r.message, _encode_location(r.location)] for r in f.related]
    return [f.check, f.severity, f.message, _encode_location(f.location), suggestion, f.expression, related]


def decode_findings(value: Any) -> list[Finding] | None:
    """The findings ``encode_findings`` wrote, or None when anything in ``value`` is not of
    the shape it writes (a damaged entry is a miss, never half-trusted)."""
    if not isinstance(value, list):
        return None
    findings = []
    for item in value:
        finding = decode_finding(item)
        if finding is None:
            return None
        findings.append(finding)
    return findings


def decode_finding(item: Any) -> Finding | None:
    """The finding ``encode_finding`` wrote, or None when ``item`` is not of its shape."""
    if not (isinstance(item, list) and len(item) == 7):
        return None
    check, severity, message, location, suggestion, expression, related = item
    if not (isinstance(check, str) and severity in ("error", "warning", "info") and isinstance(message, str)):
        return None
    if not (expression is None or isinstance(expression, str)) or not isinstance(related, list):
        return None
    where = _decode_location(location)
    if where is None:
        return None
    proposal = None
    if suggestion is not None:
        if not (isinstance(suggestion, list) and len(suggestion) == 3):
            return None
        text, parameters, note = suggestion
        if not (_optional(text, str) and _optional(parameters, dict) and _optional(note, str)):
            return None
        proposal = Suggestion(text, parameters, note)
    others = []
    for entry in related:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            return None
        other = _decode_location(entry[1])
        if other is None:
            return None
        others.append(Related(entry[0], other))
    return Finding(check, severity, message, where, proposal, expression, tuple(others))


def checked_findings_pieces(findings: Iterable[Finding]) -> Iterator[str]:
    """The JSON text of ``encode_findings(findings)``, one finding at a time, each checked to
    read back equal first: a value JSON would change (a tuple, a float key, NaN) or cannot hold
    (a set) raises ``AbandonCacheWrite``, so a cache never answers with a different finding."""
    return json_array_pieces(_checked_text(f) for f in findings)


def _checked_text(finding: Finding) -> str:
    try:
        text = COMPACT_JSON.encode(encode_finding(finding))
        again = decode_finding(json.loads(text))
    except (TypeError, ValueError, RecursionError) as error:
        raise AbandonCacheWrite(f"a finding of {finding.check} cannot be written as JSON") from error
    if again != finding:
        raise AbandonCacheWrite(f"a finding of {finding.check} does not read back equal")
    return text


def _decode_location(value: Any) -> Location | None:
    if not (isinstance(value, list) and len(value) == len(_LOCATION_FIELDS)):
        return None
    for item, kind in zip(value, _LOCATION_TYPES):
        if not _optional(item, kind) or isinstance(item, bool):
            return None
        if kind is int and item is not None and item < 0:
            return None
    return Location(*value)


def _optional(value: Any, kind: type) -> bool:
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))
