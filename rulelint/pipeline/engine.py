"""Reading and checking: every input into the model, then the selected checks on each zone
(``zone_checks.check_zone``, serially or in several processes)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..analysis.context import CheckContext
from ..analysis.expressions import ExpressionParser
from ..checks.registry import ALL_CHECKS
from ..findings import INVALID_INPUT, Finding
from ..model.kinds import rule_count
from .zone_checks import Checked, ZonesRead, check_zones, zone_weight

if TYPE_CHECKING:  # pragma: no cover
    from ..checks.base import Check
    from ..model import Configuration


@dataclass
class Analysis:
    configuration: Configuration
    findings: list[Finding] = field(default_factory=list)
    usable: bool = True  # False when no input could be read at all
    # What the readers hand on besides the model (source texts, skipped files): the ReadResult.
    read: Any = None
    # What was kept of the zones read while checked (their content is gone afterwards).
    checked: Checked = field(default_factory=Checked)

    @property
    def rule_count(self) -> int:
        count = self.checked.rules + sum(rule_count(zone) for zone in self.configuration.zones)
        for account in self.configuration.accounts:
            count += sum(len(r.rules) for r in account.rulesets)
        return count


def selected_checks(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Check]:
    """Instances of the checks to run, in registry order."""
    return [check() for check in ALL_CHECKS if wanted(check.id, select, ignore)]


def wanted(check_id: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    return (not select or check_id in select) and not (ignore and check_id in ignore)


# Below this many rules a second process costs more than it saves (measured 2026-11-30 on two
# cores, --jobs 2 against 1: 200 rules 1.1x the time, 500 rules even, 1,000 rules 0.8x).
PARALLEL_MIN_RULES = 500


def run_checks(configuration: Configuration, *args: Any, **kwargs: Any) -> list[Finding]:
    """The findings of ``check_configuration`` (same arguments), sorted."""
    return check_configuration(configuration, *args, **kwargs).findings


def check_configuration(
    configuration: Configuration,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    suggestions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
    parser: ExpressionParser | None = None,
    read: ZonesRead | None = None,
) -> Checked:
    """Run the selected checks on every zone, reading those ``read`` fills as they come; the
    findings come back sorted.

    ``jobs`` is the number of processes (None: one per available core once the input is
    large enough to gain from it). Zones are split across processes; the result is the same,
    in the same order, as a serial run's.
    """
    ctx = CheckContext(configuration, options or {}, suggestions, parser or ExpressionParser())
    checks = selected_checks(select, ignore)
    zones = configuration.zones
    workers = _worker_count(jobs, configuration, read)
    if workers > 1:
        from .parallel import check_zones_in_processes

        checked = check_zones_in_processes(zones, checks, ctx, workers, progress, read)
    else:
        done = 0

        def one_more() -> None:
            nonlocal done
            done += 1
            progress(done, len(zones))  # zones checked so far, of all zones

        checked = check_zones(zones, checks, ctx, read, one_more if progress is not None else None)
    checked.findings.sort(key=Finding.sort_key)
    return checked


def _worker_count(jobs: int | None, configuration: Configuration, read: ZonesRead | None = None) -> int:
    if len(configuration.zones) < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, len(configuration.zones)))
    if sum(zone_weight(zone, read) for zone in configuration.zones) < PARALLEL_MIN_RULES:
        return 1
    from .parallel import available_cores

    return min(available_cores(), len(configuration.zones))


def analyse(
    paths: list[str],
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    suggestions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
    cache_dir: str | None = None,
    use_cache: bool = False,
    max_bytes: int | None = None,
    read_options: dict[str, Any] | None = None,
) -> Analysis:
    """Read ``paths`` (files, folders, or ``-`` for standard input) and run the checks.

    ``progress(done, total)`` is called once reading is over (``done`` 0) and after each zone
    is checked, so the command line can draw a progress bar. With ``use_cache``, an unchanged
    re-run takes its check findings from the findings cache (``findings_cache``) and any other
    run its parse results from the parse cache, both in ``cache_dir`` (default: see
    ``rulelint.pipeline.parse_cache``). ``max_bytes`` bounds the size of one input file;
    ``read_options`` are handed to the readers (``exclude`` patterns, for one).
    """
    from ..readers import read_paths

    select = set(select) if select else None
    ignore = set(ignore or ())
    extra = dict(read_options or {})
    if max_bytes is not None:
        extra["max_bytes"] = max_bytes
    read = read_paths(paths, stream=True, **extra)
    if progress is not None:
        progress(0, len(read.configuration.zones))

    # Input findings obey --select/--ignore too (invalid-input is always reported unless
    # ignored by name); check findings already do (selected_checks).
    def reported(finding: Finding) -> bool:
        return wanted(finding.check, (select | {INVALID_INPUT}) if select else None, ignore)

    findings = [f for f in read.findings if reported(f)]
    zones_read = ZonesRead(read.stream, reported, read.sources.get) if read.stream is not None else None
    cached = _findings_cache(read, cache_dir, select, ignore, options, suggestions) if use_cache else None
    from_cache = cached.load() if cached is not None else None
    if from_cache is None:
        store = _open_parse_cache(cache_dir) if use_cache else None
        with collector_paused():
            checked = check_configuration(
                read.configuration, select, ignore, options, suggestions, progress, jobs,
                ExpressionParser(store), zones_read,
            )
        if store is not None:
            store.save()
        if cached is not None:
            cached.save(checked.findings)  # the checks': streamed zones' input findings are read again
    else:
        checked = Checked(from_cache)
        if zones_read is not None:  # their input findings and markers: read them, run no check
            read_only = check_zones(read.configuration.zones, [], CheckContext(read.configuration), zones_read)
            checked.extend(read_only)
        if progress is not None:
            progress(len(read.configuration.zones), len(read.configuration.zones))
    findings.extend(checked.read_findings)
    findings.extend(checked.findings)
    findings.sort(key=Finding.sort_key)
    return Analysis(read.configuration, findings, usable=read.usable, read=read, checked=checked)


@contextmanager
def collector_paused():
    """Checking allocates millions of short-lived objects next to a model that lives to the end
    of the run: with the model frozen and the cyclic collector off, nothing re-walks it over
    and over (the checks' garbage is acyclic, reference counting frees it). The collector is
    back on, as it was, once the checks are done."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.unfreeze()


def _findings_cache(read, cache_dir, select, ignore, options, suggestions):
    """The findings cache entry of this run, or None when the run cannot be keyed exactly."""
    from .findings_cache import FindingsCache, run_key
    from .parse_cache import cache_folder

    key = run_key(read.sources.texts(), select, ignore, options, suggestions)
    if key is None:
        return None
    return FindingsCache(cache_folder(cache_dir), key)


def _open_parse_cache(cache_dir: str | None):
    from .parse_cache import ParseCache

    return ParseCache(cache_dir).load()
