"""Checking zones in several processes, for inputs large enough to gain from both cores.

The model is read once in the parent; forked children inherit it (copy-on-write, nothing is
pickled on the way in), each checks a contiguous slice of the zones, and sends back only its
findings. Slices are joined in zone order, so the result equals a serial run's. Where ``fork``
is not available (or not safe, as on macOS), the caller's serial path is used instead.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..analysis.context import CheckContext
    from ..checks.base import Check
    from ..findings import Finding
    from ..model import Zone

# What the forked children read: set in the parent just before the pool starts.
_WORK: tuple[list, list, object] | None = None


def available_cores() -> int:
    if not sys.platform.startswith("linux"):
        return 1  # no safe fork: stay serial
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _slices(zones: list[Zone], count: int) -> list[range]:
    """Contiguous slices of about equal rule counts (zones differ a lot in size)."""
    weights = [1 + sum(len(r.rules) for r in zone.rulesets) + len(zone.page_rules) for zone in zones]
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


def _check_slice(piece: range) -> tuple[int, list[Finding], dict]:
    """Check one slice of zones (in a child); also hand back what the child added to the
    on-disk parse cache, which only the parent writes."""
    from .zone_checks import check_zone

    zones, checks, ctx = _WORK
    store = ctx.parser.store
    already = len(store.new_keys) if store is not None else 0
    found: list[Finding] = []
    ctx.checking([zones[index] for index in piece])
    for index in piece:
        found.extend(check_zone(zones[index], checks, ctx))
    added = {}
    if store is not None:
        added = {key: store.entries[key] for key in store.new_keys[already:]}
    return len(piece), found, added


def check_zones_in_processes(
    zones: list[Zone],
    checks: list[Check],
    ctx: CheckContext,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    import multiprocessing

    global _WORK
    store = ctx.parser.store
    # More slices than workers keeps both cores busy when zone sizes are uneven.
    pieces = _slices(zones, workers * 4)
    _WORK = (zones, checks, ctx)
    findings: list[Finding] = []
    done = 0
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for count, found, added in pool.imap(_check_slice, pieces):
                findings.extend(found)
                if store is not None:
                    store.merge(added)
                done += count
                if progress is not None:
                    progress(done, len(zones))
    finally:
        _WORK = None
    return findings
