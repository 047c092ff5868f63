"""Project configuration: ``[tool.rulelint]`` in ``pyproject.toml`` or a ``.rulelint.toml``.

The nearest file from the working directory upwards wins (``.rulelint.toml`` before
``pyproject.toml`` in the same folder; a ``pyproject.toml`` counts only when it has a
``[tool.rulelint]`` table); ``--config FILE`` names one explicitly. Keys are documented in
docs/configuration.md; an unknown key or a bad value is a usage error, not a silent default.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAIL_LEVELS = ("error", "warning", "info")
KNOWN_KEYS = {"select", "ignore", "fail-on", "suggestions", "per-path-ignores", "checks", "exclude"}


class ConfigError(ValueError):
    """The configuration file is unreadable or holds a bad value."""


@dataclass
class Settings:
    """What the configuration file and the command line ask of a run."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    suggestions: bool = True
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # per check id
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> check ids
    exclude: list[str] = field(default_factory=list)  # gitignore-style patterns a folder scan skips
    path: Path | None = None  # the file the settings came from

    @property
    def root(self) -> Path:
        """The folder per-path globs are relative to."""
        return self.path.parent if self.path else Path.cwd()

    def ignored_at(self, file: str | None) -> set[str]:
        """Check ids ignored for ``file`` by ``per-path-ignores``."""
        if not file or not self.per_path_ignores:
            return set()
        try:
            relative = Path(os.path.relpath(Path(file).resolve(), self.root.resolve())).as_posix()
        except ValueError:
            relative = Path(file).as_posix()
        name = Path(file).name
        ignored: set[str] = set()
        for pattern, checks in self.per_path_ignores.items():
            pattern = pattern.removeprefix("./")
            if fnmatch.fnmatchcase(relative, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern)):
                ignored.update(checks)
        return ignored


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.rulelint.toml`` or ``pyproject.toml`` with ``[tool.rulelint]``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".rulelint.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "rulelint" in _read_toml(path).get("tool", {})
    except ConfigError:
        return True  # let load_settings report the broken file rather than skip it


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _id_list(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of check ids")
    return list(value)


def load_settings(path: Path | None) -> Settings:
    """The settings in ``path`` (defaults when None)."""
    if path is None:
        return Settings()
    document = _read_toml(path)
    if path.name == "pyproject.toml" or "tool" in document:
        table = document.get("tool", {}).get("rulelint")
        if table is None:
            if path.name == "pyproject.toml":
                raise ConfigError(f"{path}: has no [tool.rulelint] table")
            table = {}
    else:
        table = document
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.rulelint] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS - {k.replace("-", "_") for k in KNOWN_KEYS})
    if unknown:
        raise ConfigError(f"{path}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    get = lambda key: table.get(key, table.get(key.replace("-", "_")))  # noqa: E731
    settings = Settings(path=path)
    if get("select") is not None:
        settings.select = _id_list(path, "select", get("select"))
    if get("ignore") is not None:
        settings.ignore = _id_list(path, "ignore", get("ignore"))
    fail_on = get("fail-on")
    if fail_on is not None:
        if fail_on not in FAIL_LEVELS:
            raise ConfigError(f"{path}: `fail-on` must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
        settings.fail_on = fail_on
    suggestions = get("suggestions")
    if suggestions is not None:
        if not isinstance(suggestions, bool):
            raise ConfigError(f"{path}: `suggestions` must be true or false")
        settings.suggestions = suggestions
    exclude = get("exclude")
    if exclude is not None:
        if isinstance(exclude, str):
            exclude = [exclude]
        if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
            raise ConfigError(f"{path}: `exclude` must be a list of glob patterns")
        settings.exclude = list(exclude)
    per_path = get("per-path-ignores") or {}
    if not isinstance(per_path, dict):
        raise ConfigError(f"{path}: `per-path-ignores` must be a table of glob = [check ids]")
    settings.per_path_ignores = {glob: _id_list(path, f"per-path-ignores.{glob}", ids) for glob, ids in per_path.items()}
    checks = get("checks") or {}
    if not isinstance(checks, dict) or not all(isinstance(v, dict) for v in checks.values()):
        raise ConfigError(f"{path}: `checks` must hold one table per check id, e.g. [tool.rulelint.checks.broad-skip]")
    for check_id, options in checks.items():
        # Options are read by checks under their snake_case names; accept kebab-case spelling too.
        _validate_options(path, check_id, options)
        settings.options[check_id] = {name.replace("-", "_"): value for name, value in options.items()}
    return settings


def _validate_options(path: Path, check_id: str, options: dict[str, Any]) -> None:
    """Each option of ``[checks.<check_id>]`` must be one the check declares, of its type.
    An unknown check id is left to the caller, which reports it with a did-you-mean hint."""
    if not options:
        return
    from ..checks.registry import CHECKS_BY_ID

    check = CHECKS_BY_ID.get(check_id)
    if check is None:
        from ..findings import META_IDS

        if check_id in META_IDS:
            raise ConfigError(f"{path}: `checks.{check_id}`: {check_id} has no options")
        return
    declared = {option.name: option for option in check.options}
    for written, value in options.items():
        option = declared.get(written.replace("-", "_"))
        if option is None:
            known = ", ".join(o.key for o in check.options) or "none"
            raise ConfigError(
                f"{path}: unknown option `checks.{check_id}.{written}` ({check_id} has options: {known})"
            )
        if not option.accepts(value):
            raise ConfigError(f"{path}: `checks.{check_id}.{written}` must be {option.expected}")


def all_ids(settings: Settings) -> set[str]:
    """Every check id the settings name (to validate them against the catalogue)."""
    named = set(settings.select or ()) | set(settings.ignore) | set(settings.options)
    for checks in settings.per_path_ignores.values():
        named.update(checks)
    return named
