"""Locate the data that ships with rulelint (grammars/ and docs/).

In a wheel they are the packages ``rulelint.grammars`` and ``rulelint.docs``; in a source
checkout they are the top-level folders of the repository. Callers never need to know which.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _folder(package: str, checkout_name: str) -> Path:
    try:
        found = importlib.resources.files(package)
    except ModuleNotFoundError:
        return _CHECKOUT_ROOT / checkout_name
    return Path(str(found))


def grammars_dir() -> Path:
    """The folder holding the field and function tables and the grammar notes."""
    return _folder("rulelint.grammars", "grammars")


def docs_dir() -> Path:
    """The folder holding the documentation pages (``checks/<id>.md`` among them)."""
    return _folder("rulelint.docs", "docs")
