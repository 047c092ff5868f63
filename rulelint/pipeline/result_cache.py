"""A whole run's result, read back without reading its inputs, when they are JSON files only.

The findings cache (``findings_cache``) spares the checks but still reads every input, because
input findings and inline suppressions come from reading; at 10,000 rules reading is most of
what a warm run does. When every input is a JSON file (an API export, a bundle) and reading
them read nothing else, the run's whole outcome — the findings after suppressions and
per-path ignores, the suppressed ones, the files, the rule count — is decided by those files'
text, the files a reader may consult beside them, the settings and rulelint's code, which is
what the key holds (``findings_cache.run_key`` plus the settings a run applies after checking
and the folder per-path globs are relative to).

Never used with a baseline, standard input, a folder or any other input; a run that read more
files than it was given (a plan and its ``.tf``), had an ``internal-error`` or holds a value
JSON would change is not stored (the file is abandoned at the first such finding). A stale
"clean" verdict is the one failure a cache must not have: an entry that fails any check is a
miss, and the tests edit every part of the key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import INTERNAL_ERROR, CheckInfo
from .findings_cache import checked_findings_pieces, decode_findings, prune, run_key
from .parse_cache import json_array_pieces, json_object_pieces, read_cache_file, write_cache_pieces
from .result import Result

if TYPE_CHECKING:  # pragma: no cover
    from .config import Settings

KIND = "result"


class ResultCache:
    """The cached result of one run whose inputs are JSON files, in ``folder``."""

    def __init__(self, folder: Path, key: str, texts: dict[str, str]) -> None:
        self.folder = Path(folder)
        self.key = key
        self.inputs = frozenset(texts)  # the names the key holds the text of
        # input name -> its text, for a hit (the text report quotes it); let go on a miss, when
        # the run reads the inputs itself and this would be a second copy all run long
        self.texts = texts
        self.path = self.folder / f"result-{key[:40]}.json"

    @classmethod
    def for_inputs(cls, inputs: list[str], settings: Settings, exclude: list[str] | None, folder: Path
                   ) -> ResultCache | None:
        """The entry of this run, or None when the run is not one this cache may answer."""
        from ..readers.files import read_regular_text

        if not inputs or any(name == "-" or not name.endswith(".json") or not os.path.isfile(name) for name in inputs):
            return None
        texts: dict[str, str] = {}
        for name in inputs:
            text = read_regular_text(name)
            if text is None:
                return None  # unreadable, too large or not UTF-8: reading will say so
            texts[name] = text
        key = run_key(texts, settings.select, settings.ignore, settings.options, settings.suggestions)
        if key is None:
            return None
        try:
            after_checking = json.dumps(
                {
                    "per_path_ignores": settings.per_path_ignores,
                    # the folder per-path globs are relative to (the working directory when no
                    # configuration file names it): only when there are globs to match
                    "root": str(settings.root.resolve()) if settings.per_path_ignores else None,
                    "exclude": [*settings.exclude, *(exclude or [])],
                    "inputs": [[name, os.path.abspath(name)] for name in inputs],
                },
                sort_keys=True,
            )
        except (TypeError, ValueError):
            return None
        import hashlib

        digest = hashlib.sha256(f"{key}\0{after_checking}".encode("utf-8", "surrogatepass")).hexdigest()
        return cls(folder, digest, texts)

    def load(self, checks: dict[str, CheckInfo]) -> Result | None:
        """The result stored under this key, or None (a miss) for anything else. After a miss
        the inputs' text is no longer held here (at 100,000 rules a bundle is 61 MB of text,
        which reading holds too)."""
        hit = self._read(checks)
        if hit is None:
            self.texts = {}
        return hit

    def _read(self, checks: dict[str, CheckInfo]) -> Result | None:
        """The stored result, or None: the file must be intact and every value of its shape."""
        from ..model import Configuration

        body = read_cache_file(self.path, KIND)
        if not (isinstance(body, dict) and body.get("key") == self.key):
            return None
        findings = decode_findings(body.get("findings"))
        suppressed = body.get("suppressed")
        reasons = body.get("reasons")
        files, skipped = body.get("files"), body.get("skipped")
        usable, rule_count = body.get("usable"), body.get("rule_count")
        hidden = decode_findings(suppressed)
        if findings is None or hidden is None or not isinstance(reasons, list) or len(reasons) != len(hidden):
            return None
        if not all(isinstance(reason, str) for reason in reasons) or not _strings(files) or not _strings(skipped):
            return None
        if not isinstance(usable, bool) or not isinstance(rule_count, int) or isinstance(rule_count, bool):
            return None
        texts = self.texts
        return Result(
            configuration=Configuration(),  # not rebuilt: nothing was read
            findings=findings,
            checks=checks,
            suppressed=list(zip(hidden, reasons)),
            files=files,
            skipped=skipped,
            usable=usable,
            rule_count=rule_count,
            source_text=texts.get,
        )

    def save(self, result: Result, sources_read: list[str]) -> None:
        """Store ``result`` when the run read only its inputs and each finding reads back
        exactly. The file is written one finding at a time (``checked_findings_pieces``): no
        encoded copy of all findings is held, and one that would not read back abandons it."""
        if set(sources_read) != self.inputs:
            return  # a reader read another file (a plan's .tf): its text is not in the key
        if any(f.check == INTERNAL_ERROR for f in result.findings):
            return  # a check failed: the next run must try again, not repeat the failure
        plain = {
            "key": self.key,
            "files": list(result.files),
            "skipped": list(result.skipped),
            "usable": bool(result.usable),
            "rule_count": int(result.rule_count),
        }
        streamed = {
            "findings": checked_findings_pieces(result.findings),
            "suppressed": checked_findings_pieces(finding for finding, _ in result.suppressed),
            "reasons": json_array_pieces(json.dumps(reason) for _, reason in result.suppressed),
        }
        if write_cache_pieces(self.path, KIND, json_object_pieces(plain, streamed)):
            prune(self.folder, "result-*.json")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)

