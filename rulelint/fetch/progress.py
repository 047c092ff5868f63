"""Progress on stderr (zones × endpoints): a rich bar in a terminal, nothing in CI or pipes."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any


def wanted(verbose: bool = False) -> bool:
    if verbose or os.environ.get("CI") or os.environ.get("TERM") in ("dumb", "unknown"):
        return False
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


class Progress:
    """``start(total)``, ``advance(zone, part)``, ``stop()``; does nothing unless enabled."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None
        self._lock = threading.Lock()

    def start(self, total: int, zones: int) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn

        self._bar = Bar(
            TextColumn("fetching {task.fields[zones]} zone(s)"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("", total=total, zones=zones)

    def advance(self, zone: str, part: str) -> None:
        if self._bar is None:
            return
        with self._lock:
            self._bar.update(self._task, advance=1, description=f"{zone}: {part}")

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
