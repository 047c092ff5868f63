"""Which files a run reads: the paths given, and the configuration files inside given folders.

A folder scan looks at ``.json`` and ``.tf`` files only, never enters ``.git/``,
``.terraform/``, ``node_modules/`` or other hidden entries, honours ``.gitignore`` files (those
of the enclosing Git work tree above the folder, and those inside it) and the caller's
``exclude`` patterns (gitignore syntax, relative to each given folder). Every file is listed
once, however many ways it was reached (the same path twice, a folder and a file inside it, a
symbolic link to a file already listed).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..findings import INVALID_INPUT

if TYPE_CHECKING:  # pragma: no cover
    import pathspec

STDIN = "-"
STDIN_NAME = "<stdin>"
SUFFIXES = (".json", ".tf")
# Folders a scan never enters (besides hidden ones): tools' own copies and downloads.
SKIPPED_FOLDERS = frozenset({".git", ".terraform", "node_modules"})


@dataclass
class InputFile:
    """One file a run reads."""

    name: str  # as findings report it
    path: str | None  # None: standard input
    explicit: bool  # named by the caller, not found in a folder


@dataclass
class Inputs:
    """The files a run reads, in order, and those a folder scan passed over."""

    files: list[InputFile] = field(default_factory=list)
    # Files of a folder scan that are not read: not regular files (FIFOs, devices…).
    skipped: list[str] = field(default_factory=list)


def find_inputs(paths: list[str], problems, exclude: list[str] | tuple[str, ...] = ()) -> Inputs:
    """Every input file of ``paths`` in a stable order; problems for paths that cannot be
    opened."""
    found = Inputs()
    seen: dict[tuple[int, int], InputFile] = {}
    excluded = _gitignore_spec(exclude) if exclude else None

    def add(name: str, path: str, explicit: bool) -> None:
        try:
            info = os.stat(path)
        except OSError as error:
            problems.at(INVALID_INPUT, "error", os_message(error), name)
            return
        key = (info.st_dev, info.st_ino)
        earlier = seen.get(key)
        if earlier is not None:
            earlier.explicit |= explicit  # named explicitly too: an unusable file is then reported
            return
        seen[key] = item = InputFile(name, path, explicit)
        found.files.append(item)

    for path in paths:
        if path == STDIN:
            found.files.append(InputFile(STDIN_NAME, None, True))
            continue
        try:
            is_dir = os.path.isdir(path)
            os.stat(path)
        except OSError as error:
            problems.at(INVALID_INPUT, "error", os_message(error), path)
            continue
        if not is_dir:
            add(path, path, True)
            continue
        for file, regular in _walk(path, problems, excluded):
            if regular:
                # "infra/main.tf", not "./infra/main.tf", for a scan of "."
                add(os.path.normpath(file) if not os.path.isabs(path) else file, file, False)
            elif file not in found.skipped:
                found.skipped.append(file)
    return found


class _Ignored:
    """The ``.gitignore`` files in force in one folder: (folder, spec), outermost first."""

    def __init__(self, specs: tuple[tuple[str, pathspec.GitIgnoreSpec], ...]) -> None:
        self.specs = specs

    def inside(self, directory: str) -> "_Ignored":
        """The rules in force in ``directory`` (its own ``.gitignore`` added, when any)."""
        spec = _gitignore(directory)
        return _Ignored(self.specs + ((directory, spec),)) if spec is not None else self

    def ignores(self, path: str, is_dir: bool) -> bool:
        """Git's verdict: the deepest file with a matching pattern decides."""
        verdict = None
        for folder, spec in self.specs:
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if relative.startswith("../"):
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)


def _gitignore_spec(lines: list[str] | tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The compiled gitignore patterns ``lines``.

    pathspec is imported here, not at the top: it costs about a tenth of a 10-rule run's
    start-up, and a run on files (no folder, no ``exclude``) never matches a pattern.
    """
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _gitignore(directory: str) -> pathspec.GitIgnoreSpec | None:
    path = os.path.join(directory, ".gitignore")
    if not os.path.isfile(path):  # a FIFO would block the open
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return _gitignore_spec(handle.read(1 << 20).splitlines())
    except (OSError, ValueError):
        return None


def _enclosing_rules(root: str) -> _Ignored:
    """The ``.gitignore`` rules of the Git work tree ``root`` is in, from the work tree's top
    down to ``root`` (none when ``root`` is not inside a work tree)."""
    folders = []
    current = os.path.abspath(root)
    while True:
        folders.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            break
        parent = os.path.dirname(current)
        if parent == current:
            folders = [os.path.abspath(root)]  # not in a work tree: only the folder's own files
            break
        current = parent
    rules = _Ignored(())
    for folder in reversed(folders):
        rules = rules.inside(folder)
    return rules


def _walk(root: str, problems, excluded: pathspec.GitIgnoreSpec | None) -> list[tuple[str, bool]]:
    """(path, is a regular file) of every candidate file under ``root``, depth first, sorted."""
    found: list[tuple[str, bool]] = []
    visited: set[str] = set()
    absolute_root = os.path.abspath(root)
    stack = [(root, _enclosing_rules(root))]
    while stack:
        directory, rules = stack.pop()
        real = os.path.realpath(directory)
        if real in visited:
            problems.at(INVALID_INPUT, "warning",
                        f"symbolic link loop (already read as {real}); skipped", directory)
            continue
        visited.add(real)
        if directory != root:
            rules = rules.inside(os.path.abspath(directory))
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            problems.at(INVALID_INPUT, "error", os_message(error), directory)
            continue
        subdirectories = []
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS:
                continue  # .git/, .terraform/, editor settings…
            try:
                is_dir = entry.is_dir()
                if not is_dir and not entry.name.endswith(SUFFIXES):
                    continue
                absolute = os.path.abspath(entry.path)
                if excluded is not None:
                    relative = os.path.relpath(absolute, absolute_root).replace(os.sep, "/")
                    if excluded.match_file(relative + "/" if is_dir else relative):
                        continue
                if rules.ignores(absolute, is_dir):
                    continue
                if is_dir:
                    subdirectories.append((entry.path, rules))
                else:
                    found.append((entry.path, stat.S_ISREG(os.stat(entry.path).st_mode)))
            except OSError as error:
                problems.at(INVALID_INPUT, "error", os_message(error), entry.path)
        stack.extend(reversed(subdirectories))
    return found


def os_message(error: OSError) -> str:
    import errno

    # The finding's location names the path; the message does not repeat it.
    if error.errno == errno.ELOOP:
        return "symbolic link loop; skipped"
    reason = error.strerror or str(error)
    return f"cannot read ({reason}); skipped"
