"""Locate the data that ships with rulelint (grammars/ and docs/).

In a wheel they are the packages ``rulelint.grammars`` and ``rulelint.docs``; in a source
checkout they are the top-level folders of the repository. Callers never need to know which.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_ROOT.parent


def _folder(installed_name: str, checkout_name: str) -> Path:
    installed = _PACKAGE_ROOT / installed_name
    return installed if installed.is_dir() else _CHECKOUT_ROOT / checkout_name


def grammars_dir() -> Path:
    """The folder holding the field and function tables and the grammar notes."""
    return _folder("grammars", "grammars")


def docs_dir() -> Path:
    """The folder holding the documentation pages (``checks/<id>.md`` among them)."""
    return _folder("docs", "docs")
