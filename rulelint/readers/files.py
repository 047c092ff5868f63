"""Reading one input file safely: only regular files, never more than a bound.

A FIFO, a device or a symbolic link to ``/dev/zero`` named ``*.json`` must neither hang a run
nor fill the memory: files are opened without blocking, checked with ``fstat`` before anything
is read, and read up to the size bound plus one byte (so "too large" is known without reading
more).
"""

from __future__ import annotations

import os
import stat

from ..findings import INVALID_INPUT
from ..model.sources import SourceFile, SourceFiles
from .discover import InputFile, os_message

# Inputs larger than this are refused with one finding (a 100,000-rule export is ~60 MB).
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


_NOT_REGULAR = object()  # what ``_read`` returns for a FIFO, device… found in a folder


def _read(item: InputFile, problems, max_bytes: int):
    """The bytes of a regular file (at most ``max_bytes`` + 1); None after reporting why not,
    ``_NOT_REGULAR`` for a FIFO, device… found in a folder (skipped quietly)."""
    path = item.path
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; fstat then tells what it is.
        with open(path, "rb", opener=_open_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                if not item.explicit:
                    return _NOT_REGULAR
                problems.at(INVALID_INPUT, "error",
                            f"not a regular file ({_file_kind(info.st_mode)}): rulelint reads files; skipped",
                            item.name)
                return None
            if info.st_size > max_bytes:
                problems.at(INVALID_INPUT, "error", _too_large(info.st_size, max_bytes), item.name)
                return None
            return handle.read(max_bytes + 1)
    except OSError as error:
        problems.at(INVALID_INPUT, "error", os_message(error), item.name)
        return None


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a file"


def read_regular_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """The UTF-8 text of the regular file ``path`` (BOM removed), or None when it is not a
    regular file, is larger than ``max_bytes`` or cannot be read: for files rulelint finds by
    itself, next to its inputs (the .tf files beside a plan, a called module's, tfvars)."""
    from .problems import Problems

    content = _read(InputFile(path, path, False), Problems(), max_bytes)
    if content is None or content is _NOT_REGULAR or len(content) > max_bytes:
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_source(sources: SourceFiles, name: str, path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile | None:
    """The run's file called ``name``: the one in ``sources``, else ``path`` read now (see
    ``read_regular_text``) and added to them, so each file is read once and findings in it
    can show its lines; None when it cannot be read."""
    source = sources.get(name)
    if source is None:
        text = read_regular_text(path, max_bytes)
        if text is None:
            return None
        source = sources.add(name, text)
    return source


def _too_large(size: int, max_bytes: int) -> str:
    return (f"file too large ({_amount(size)}): rulelint reads inputs up to "
            f"{_amount(max_bytes)}; split the export per zone")


def _amount(size: int) -> str:
    if size < 1048576:
        return f"{size} bytes"
    megabytes = size / 1048576
    return f"{megabytes:.0f} MB" if megabytes.is_integer() else f"{megabytes:.1f} MB"
