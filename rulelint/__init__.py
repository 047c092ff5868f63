"""rulelint: a static analyzer for Cloudflare rule configurations.

``rulelint.check(paths, **settings)`` is the library API: it runs the same pipeline as the
``rulelint check`` command and returns the findings its JSON report holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .findings import Finding

__all__ = ["__version__", "check"]


def check(paths: list[str] | str, *, config: str | None = None, **settings: Any) -> list[Finding]:
    """The findings of ``rulelint check PATHS``: ``config`` names a configuration file (else
    the nearest one is used, as on the command line); ``settings`` override its keys by their
    Python names (``select``, ``ignore``, ``fail_on``, ``suggestions``, ``options``,
    ``per_path_ignores``, ``exclude``)."""
    from .pipeline.api import check_paths

    return check_paths([paths] if isinstance(paths, str) else list(paths), config, settings)
