"""Writing a file so that readers see the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from typing import Iterable


def write_text_atomically(path: str, text: str | Iterable[str]) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends; a string or its pieces in order, so a large
    report need not be held whole) to ``path`` through a temporary file in the
    same folder, renamed into place: a run that fails midway leaves the previous file intact.
    Characters that UTF-8 cannot hold (lone surrogates) are written as their escapes.

    Only a regular file (or a new one) is replaced: ``/dev/null``, a named pipe or ``/dev/stdout``
    is written to as it is, never renamed over."""
    path = os.path.realpath(path)  # through a symbolic link: its target is replaced, not the link
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        special = False
    if special:
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            _write(stream, text)
        return
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".rulelint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            _write(stream, text)
        with contextlib.suppress(OSError):  # keep the mode a plain open() would have given
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write(stream, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        stream.write(text)
    else:
        for piece in text:
            stream.write(piece)
