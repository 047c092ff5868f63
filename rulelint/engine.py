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

    chosen = set(select) if select else None
    dropped = set(ignore or ())
    return [
        check()
        for check in ALL_CHECKS
        if (chosen is None or check.id in chosen) and check.id not in dropped
    ]


def run_checks(
    configuration: Configuration,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    suggestions: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[Finding]:
    ctx = CheckContext(configuration, options or {}, suggestions)
    checks = selected_checks(select, ignore)
    findings: list[Finding] = []
    total = len(configuration.zones)
    for done, zone in enumerate(configuration.zones, start=1):
        for check in checks:
            findings.extend(check.run(zone, ctx))
        if progress is not None:
            progress(done, total)  # zones checked so far, of all zones
    findings.sort(key=Finding.sort_key)
    return findings


def analyse(
    paths: list[str],
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    suggestions: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Analysis:
    """Read ``paths`` (files, folders, or ``-`` for standard input) and run the checks.

    ``progress(done, total)`` is called once reading is over (``done`` 0) and after each zone
    is checked, so the command line can draw a progress bar.
    """
    from .readers import read_paths

    read = read_paths(paths)
    if progress is not None:
        progress(0, len(read.configuration.zones))
    findings = list(read.findings)
    findings.extend(run_checks(read.configuration, select, ignore, options, suggestions, progress))
    if select:
        findings = [f for f in findings if f.check in set(select)]
    if ignore:
        findings = [f for f in findings if f.check not in set(ignore)]
    findings.sort(key=Finding.sort_key)
    return Analysis(read.configuration, findings, usable=read.usable)
