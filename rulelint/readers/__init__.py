"""Read every input (files, folders, standard input) into one ``Configuration``.

``read_paths`` is the one entry point: it finds the files, recognises each by its content
(Cloudflare API JSON, rulelint bundle, Terraform HCL, ``terraform show -json``), reports every
input problem as a finding and carries on with the other inputs.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Configuration

# Inputs larger than this are refused with one finding (a 100,000-rule export is ~60 MB).
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_BYTES = DEFAULT_MAX_BYTES  # the former name, kept for callers
STDIN = "-"
STDIN_NAME = "<stdin>"
_SUFFIXES = (".json", ".tf")


@dataclass
class ReadResult:
    configuration: "Configuration"
    findings: list["Finding"] = field(default_factory=list)
    usable: bool = True  # False only when nothing usable was read


def read_paths(paths: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read ``paths`` (files, directories searched for .json/.tf, or "-" for stdin).

    A file larger than ``max_bytes`` is not read: it becomes one ``invalid-input`` finding.
    """
    import gc

    # Reading builds millions of small acyclic objects; the cyclic collector would rescan
    # the whole parsed input again and again (measured: 3x slower on 100,000 rules).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_paths(paths, max_bytes)
    finally:
        if was_enabled:
            gc.enable()


def _read_paths(paths: list[str], max_bytes: int) -> ReadResult:
    from .collect import Collector
    from .problems import Problems

    collector = Collector()
    problems = Problems()
    collector.terraform_inputs = _once(lambda: _terraform_inputs(paths))
    usable = False
    terraform_files: list[tuple[str, str]] = []
    for name, path in _inputs(paths, problems):
        content = sys.stdin.buffer.read(max_bytes + 1) if path is None else _read(path, problems, max_bytes)
        if content is None:
            continue
        kind, text = _text(name, content, problems, max_bytes)
        del content  # only the decoded text is kept (a 60 MB export is not held twice)
        if text is None:
            continue
        if kind == "json":
            read = _read_json(name, text, collector, problems, by_name=name.endswith(".json"))
            if read is None:  # looked like JSON, is not, but parses as HCL
                terraform_files.append((name, text))
            else:
                usable |= read
        else:
            terraform_files.append((name, text))
    if terraform_files:
        from .terraform import read_terraform

        usable |= read_terraform(terraform_files, collector, problems, skip=collector.read_from_plan)
    return ReadResult(collector.configuration(), problems.findings, usable)


def _once(compute):
    """``compute()``, run at most once."""
    cache = []

    def value():
        if not cache:
            cache.append(compute())
        return cache[0]

    return value


def _terraform_inputs(paths: list[str]) -> dict[str, str]:
    """Absolute path -> name as given, of every .tf input (found again, quietly: the problems
    of unreadable paths are reported once, by the reading loop)."""
    from .problems import Problems

    return {os.path.abspath(path): name for name, path in _inputs(paths, Problems())
            if path is not None and name.endswith(".tf")}


def _inputs(paths: list[str], problems):
    """(name, path) of every input file in a stable order (path None for standard input);
    problems for paths that cannot be opened."""
    for path in paths:
        if path == STDIN:
            yield STDIN_NAME, None
            continue
        try:
            is_dir = os.path.isdir(path)
            os.stat(path)
        except OSError as error:
            problems.at("invalid-input", "error", _os_message(error), path)
            continue
        if is_dir:
            for file in _walk(path, problems):
                yield file, file
        else:
            yield path, path


def _walk(root: str, problems) -> list[str]:
    found: list[str] = []
    visited: set[str] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in visited:
            problems.at("invalid-input", "warning",
                        f"symbolic link loop (already read as {real}); skipped", directory)
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            problems.at("invalid-input", "error", _os_message(error), directory)
            continue
        subdirectories = []
        for entry in entries:
            if entry.name.startswith(".") and entry.name not in (".", ".."):
                continue  # .terraform/, .git/ …
            try:
                if entry.is_dir():
                    subdirectories.append(entry.path)
                elif entry.name.endswith(_SUFFIXES):
                    os.stat(entry.path)
                    found.append(entry.path)
            except OSError as error:
                problems.at("invalid-input", "error", _os_message(error), entry.path)
        stack.extend(reversed(subdirectories))
    return found


def _read(path: str, problems, max_bytes: int) -> bytes | None:
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            problems.at("invalid-input", "error", _too_large(size, max_bytes), path)
            return None
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as error:
        problems.at("invalid-input", "error", _os_message(error), path)
        return None


def _too_large(size: int, max_bytes: int) -> str:
    return (f"file too large ({_amount(size)}): rulelint reads inputs up to "
            f"{_amount(max_bytes)}; split the export per zone")


def _amount(size: int) -> str:
    if size < 1048576:
        return f"{size} bytes"
    megabytes = size / 1048576
    return f"{megabytes:.0f} MB" if megabytes.is_integer() else f"{megabytes:.1f} MB"


def _os_message(error: OSError) -> str:
    import errno

    # The finding's location names the path; the message does not repeat it.
    if error.errno == errno.ELOOP:
        return "symbolic link loop; skipped"
    reason = error.strerror or str(error)
    return f"cannot read ({reason}); skipped"


def _text(name: str, content: bytes, problems, max_bytes: int) -> tuple[str, str | None]:
    """("json"|"hcl", decoded text) or (…, None) after reporting why the input is unusable."""
    from . import sources_register

    if len(content) > max_bytes:
        problems.at("invalid-input", "error", _too_large(len(content), max_bytes), name)
        return "", None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.at("invalid-input", "error",
                    f"not UTF-8 text (invalid byte at offset {error.start}); rulelint reads UTF-8 JSON or HCL", name)
        return "", None
    sources_register(name, text)
    stripped = text.lstrip()
    if not stripped:
        problems.at("invalid-input", "error", "empty file: expected Cloudflare JSON or Terraform HCL", name, 1, 1)
        return "", None
    if name.endswith(".tf"):
        return "hcl", text
    if name.endswith(".json"):
        return "json", text
    return ("json" if _LOOKS_LIKE_JSON.match(stripped) else "hcl"), text


# How a JSON document can start (an HCL file cannot start with these, bar an attribute named
# true/false/null); inputs named neither .json nor .tf are recognised by it.
_LOOKS_LIKE_JSON = re.compile(r'[{\["\-0-9]|(?:true|false|null)(?![\w-])')


def sources_register(name: str, text: str) -> None:
    from .. import sources

    sources.register(name, text)


def _read_json(name: str, text: str, collector, problems, by_name: bool = True) -> bool | None:
    """Read one JSON input; False when unusable. None (nothing reported) when the input was
    recognised by content only (``by_name`` False), is not JSON, but parses as HCL."""
    from .jsondoc import JSONDecodeError, JsonDocument, pointer

    try:
        document = JsonDocument(name, text)
    except JSONDecodeError as error:
        if not by_name and _parses_as_hcl(text):
            return None
        if not text[error.pos:].strip():
            from .problems import end_of_text

            problems.at("invalid-input", "error",
                        "invalid JSON: unexpected end of file (an object, array or string is not closed)",
                        name, *end_of_text(text))
        else:
            problems.at("invalid-input", "error", f"invalid JSON: {error.msg}", name, error.lineno, error.colno)
        return False
    except RecursionError:
        problems.at("invalid-input", "error",
                    "JSON nested too deeply to be a Cloudflare export; skipped", name, 1, 1)
        return False
    except ValueError:  # an integer too long for Python to convert (over 4,300 digits)
        _too_long_number(name, text, problems)
        return False
    collector.files.append(name)
    for duplicate in document.duplicates:
        path = document.find_path(duplicate.container)
        span = document.key_span(path + (duplicate.key,)) if path is not None else None
        from .. import sources

        line, column = sources.line_column(name, span[0]) if span else (None, None)
        problems.at("invalid-input", "warning",
                    f"duplicate key {duplicate.key!r}: written more than once in one object; the last value is used",
                    name, line, column, pointer=pointer(path + (duplicate.key,)) if path is not None else None)
    return _dispatch_json(document, collector, problems)


def _parses_as_hcl(text: str) -> bool:
    import hcl2

    try:
        hcl2.parses_to_tree(text)
    except Exception:  # any parse failure (or a library bug): not HCL
        return False
    return True


def _too_long_number(name: str, text: str, problems) -> None:
    import re

    from .. import sources

    match = re.search(r"(?<![\w.\"])-?\d{4000,}", text)
    line, column = sources.line_column(name, match.start()) if match else (1, 1)
    digits = len(match.group().lstrip("-")) if match else 0
    problems.at("invalid-input", "error",
                f"invalid JSON: a number of {digits} digits, too long to be a Cloudflare value; skipped",
                name, line, column)


def _dispatch_json(document, collector, problems) -> bool:
    from .api_json import EXPECTED, read_api
    from .bundle import is_bundle, read_bundle
    from .nodes import JsonNode
    from .plan import is_plan, read_plan

    root = JsonNode.root(document)
    value = document.value
    if not isinstance(value, (dict, list)):
        problems.at("invalid-input", "error",
                    f"not a Cloudflare export: the file holds a JSON {_SCALAR_WORDS[type(value)]}; "
                    f"expected one of {EXPECTED}", document.name, *_first_line_column(document.text))
        return False
    if is_bundle(value):
        return read_bundle(root, collector, problems)
    if is_plan(value):
        return read_plan(root, collector, problems)
    if read_api(root, collector, problems):
        return True
    problems.at("invalid-input", "error", f"not a Cloudflare export: expected one of {EXPECTED}",
                document.name, *_first_line_column(document.text))
    return False


_SCALAR_WORDS = {type(None): "null", bool: "boolean", int: "number", float: "number", str: "string"}


def _first_line_column(text: str) -> tuple[int, int]:
    stripped = len(text) - len(text.lstrip())
    line = text.count("\n", 0, stripped) + 1
    column = stripped - (text.rfind("\n", 0, stripped) + 1) + 1
    return line, column
