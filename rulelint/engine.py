"""One analysis: read every input into the model, run the selected checks, sort the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .checks.base import CheckContext
from .findings import Finding
from .model import Configuration


@dataclass
class Analysis:
    configuration: Configuration
    findings: list[Finding] = field(default_factory=list)
    usable: bool = True  # False when no input could be read at all

    @property
    def rule_count(self) -> int:
        count = 0
        for zone in self.configuration.zones:
            count += sum(len(r.rules) for r in zone.rulesets)
            count += len(zone.page_rules) + len(zone.firewall_rules)
        for account in self.configuration.accounts:
            count += sum(len(r.rules) for r in account.rulesets)
        return count


def selected_checks(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None):
    """Instances of the checks to run, in registry order."""
    from .checks.registry import ALL_CHECKS

    return [check() for check in ALL_CHECKS if _wanted(check.id, select, ignore)]


# Below this many rules a second process costs more than it saves.
PARALLEL_MIN_RULES = 3000


def run_checks(
    configuration: Configuration,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    suggestions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> list[Finding]:
    """Run the selected checks on every zone; the findings come back sorted.

    ``jobs`` is the number of processes (None: one per available core once the input is
    large enough to gain from it). Zones are split across processes; the result is the same
    list, in the same order, as a serial run.
    """
    ctx = CheckContext(configuration, options or {}, suggestions)
    checks = selected_checks(select, ignore)
    zones = configuration.zones
    workers = _worker_count(jobs, configuration)
    if workers > 1:
        from .parallel import check_zones_in_processes

        findings = check_zones_in_processes(zones, checks, ctx, workers, progress)
    else:
        findings = []
        for done, zone in enumerate(zones, start=1):
            findings.extend(check_zone(zone, checks, ctx))
            if progress is not None:
                progress(done, len(zones))  # zones checked so far, of all zones
    findings.sort(key=Finding.sort_key)
    return findings


def check_zone(zone, checks, ctx: CheckContext) -> list[Finding]:
    """Every finding of ``checks`` on one zone, in check order."""
    found: list[Finding] = []
    for check in checks:
        found.extend(check.run(zone, ctx))
    return found


def _worker_count(jobs: int | None, configuration: Configuration) -> int:
    if len(configuration.zones) < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, len(configuration.zones)))
    rules = sum(len(r.rules) for zone in configuration.zones for r in zone.rulesets)
    if rules < PARALLEL_MIN_RULES:
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
) -> Analysis:
    """Read ``paths`` (files, folders, or ``-`` for standard input) and run the checks.

    ``progress(done, total)`` is called once reading is over (``done`` 0) and after each zone
    is checked, so the command line can draw a progress bar. With ``use_cache``, parse results
    are read from and saved to the on-disk cache in ``cache_dir`` (default: see
    ``rulelint.parse_cache``). ``max_bytes`` bounds the size of one input file.
    """
    from .readers import read_paths

    select = set(select) if select else None
    ignore = set(ignore or ())
    read = read_paths(paths) if max_bytes is None else read_paths(paths, max_bytes=max_bytes)
    if progress is not None:
        progress(0, len(read.configuration.zones))
    # Input findings obey --select/--ignore too; check findings already do (selected_checks).
    findings = [f for f in read.findings if _wanted(f.check, select, ignore)]
    # The model is built and lives to the end of the run: keep the collector from walking
    # it over and over while the checks allocate (flat per-rule cost at 100,000 rules).
    import gc

    gc.freeze()
    store = _open_parse_cache(cache_dir) if use_cache else None
    try:
        findings.extend(
            run_checks(read.configuration, select, ignore, options, suggestions, progress, jobs)
        )
    finally:
        if store is not None:
            from .language.api import use_parse_cache

            use_parse_cache(None)
            store.save()
    findings.sort(key=Finding.sort_key)
    return Analysis(read.configuration, findings, usable=read.usable)


def _wanted(check_id: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    return (not select or check_id in select) and not (ignore and check_id in ignore)


def _open_parse_cache(cache_dir: str | None):
    from pathlib import Path

    from .language.api import use_parse_cache
    from .parse_cache import ParseCache

    store = ParseCache(Path(cache_dir) if cache_dir else None).load()
    use_parse_cache(store)
    return store
