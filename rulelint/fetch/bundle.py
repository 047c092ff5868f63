"""The rulelint zone bundle (``rulelint.zone-bundle/1``): assembling the document and writing it
so that an interrupted or failed run never leaves a truncated file behind."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import tempfile
from typing import Any

BUNDLE_FORMAT = "rulelint.zone-bundle/1"


def empty_account(account_id: str | None = None, name: str | None = None) -> dict[str, Any]:
    return {"id": account_id, "name": name, "rulesets": [], "access_rules": []}


def bundle_document(zones: list[dict[str, Any]], account: dict[str, Any] | None = None,
                    now: _dt.datetime | None = None) -> dict[str, Any]:
    from ..version import __version__

    moment = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
    return {
        "bundle_format": BUNDLE_FORMAT,
        "generated_at": moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generator": {"name": "rulelint", "version": __version__},
        "account": account if account is not None else empty_account(),
        "zones": zones,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, fsync, then rename.

    Readers of ``path`` see either the old file or the complete new one, never a mix; on any
    failure the temporary file is removed and ``path`` is untouched. ``-`` writes to stdout.
    """
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = os.path.abspath(path)
    folder = os.path.dirname(target)
    try:
        mode = os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)
