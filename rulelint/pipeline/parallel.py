"""Checking zones in several processes, for inputs large enough to gain from both cores.

The model is read once in the parent; forked children inherit it (copy-on-write, nothing is
pickled on the way in), each checks a contiguous slice of the zones (reading those of a
streamed bundle itself, from the text it inherits), and sends back only its findings. Slices are joined in zone order, so the result equals a serial run's. Where ``fork``
is not available (or not safe, as on macOS), the caller's serial path is used instead.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..analysis.context import CheckContext
    from ..checks.base import Check
    from ..model import Zone
    from .zone_checks import Checked, ZonesRead

# What the forked children read: set in the parent just before the pool starts.
_WORK: tuple[list, list, object, object] | None = None


def available_cores() -> int:
    if not sys.platform.startswith("linux"):
        return 1  # no safe fork: stay serial
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _slices(zones: list[Zone], count: int, read: ZonesRead | None = None) -> list[range]:
    """Contiguous slices of about equal rule counts (zones differ a lot in size)."""
    from .zone_checks import zone_weight

    weights = [1 + zone_weight(zone, read) for zone in zones]
    target = sum(weights) / count
    slices: list[range] = []
    start, running = 0, 0.0
    for index, weight in enumerate(weights):
        running += weight
        if running >= target * (len(slices) + 1) and len(slices) < count - 1:
            slices.append(range(start, index + 1))
            start = index + 1
    slices.append(range(start, len(zones)))
    return [piece for piece in slices if len(piece)]


def _check_slice(piece: range) -> tuple[int, Checked, dict]:
    """Check one slice of zones (in a child, reading those that stream); also hand back what
    the child added to the on-disk parse cache, which only the parent writes."""
    from .zone_checks import check_zones

    zones, checks, ctx, read = _WORK
    store = ctx.parser.store
    already = len(store.new_keys) if store is not None else 0
    checked = check_zones([zones[index] for index in piece], checks, ctx, read)
    added = {}
    if store is not None:
        added = {key: store.entries[key] for key in store.new_keys[already:]}
    return len(piece), checked, added


def check_zones_in_processes(
    zones: list[Zone],
    checks: list[Check],
    ctx: CheckContext,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
    read: ZonesRead | None = None,
) -> Checked:
    import multiprocessing

    from .zone_checks import Checked

    global _WORK
    store = ctx.parser.store
    # More slices than workers keeps both cores busy when zone sizes are uneven.
    pieces = _slices(zones, workers * 4, read)
    _WORK = (zones, checks, ctx, read)
    checked = Checked()
    done = 0
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for count, found, added in pool.imap(_check_slice, pieces):
                checked.extend(found)
                if store is not None:
                    store.merge(added)
                done += count
                if progress is not None:
                    progress(done, len(zones))
    finally:
        _WORK = None
    return checked
