"""The library entry point behind ``rulelint.check``: settings as the command line finds them."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from ..findings import Finding
from . import run
from .config import Settings, find_config, load_settings


def check_paths(paths: list[str], config: str | None, overrides: dict[str, Any]) -> list[Finding]:
    settings = load_settings(Path(config) if config else find_config())
    names = {f.name for f in fields(Settings)} - {"path"}
    for name, value in overrides.items():
        if name not in names:
            raise TypeError(f"rulelint.check() got an unknown setting {name!r} (known: {', '.join(sorted(names))})")
        setattr(settings, name, value)
    return run(paths, settings).findings
