"""Report formats. Each format is one module with ``render(report) -> str``; only the module of
the chosen format is imported, so machine formats never pay for ``rich``."""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..findings import SEVERITIES, CheckInfo

if TYPE_CHECKING:
    from ..findings import Finding

FORMATS = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
}


@dataclass
class Report:
    """Everything a format needs: the findings and what was analysed."""

    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    rule_count: int = 0
    checks: dict[str, CheckInfo] = field(default_factory=dict)
    suggestions: bool = True
    quiet: bool = False
    statistics: bool = False
    color: bool | None = None  # None: decide from the terminal and NO_COLOR / FORCE_COLOR
    width: int | None = None
    # The text of an input by its name (for source excerpts), handed over by the pipeline.
    source_text: Callable[[str], str | None] | None = None
    fail_on: str = "warning"  # the level at or above which a finding fails the run
    # Findings an inline marker suppressed, with the marker's reason (SARIF keeps them).
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity present (most severe first)."""
        counted = Counter(f.severity for f in self.findings)
        return {severity: counted.get(severity, 0) for severity in SEVERITIES}

    def per_check(self) -> list[tuple[str, str, int]]:
        """(check, most severe severity, count) per check, most frequent first."""
        from ..findings import SEVERITY_RANK

        counted: Counter[str] = Counter()
        worst: dict[str, str] = {}
        for finding in self.findings:
            counted[finding.check] += 1
            previous = worst.get(finding.check)
            if previous is None or SEVERITY_RANK.get(finding.severity, 0) > SEVERITY_RANK.get(previous, 0):
                worst[finding.check] = finding.severity
        return [(check, worst[check], n) for check, n in sorted(counted.items(), key=lambda i: (-i[1], i[0]))]

    def check_info(self, check_id: str) -> CheckInfo:
        return self.checks.get(check_id) or CheckInfo(check_id, "warning", check_id)


def render(format_name: str, report: Report) -> str:
    """The report as text in ``format_name`` (one of ``FORMATS``)."""
    module = importlib.import_module(f"{__name__}.{FORMATS[format_name]}")
    return module.render(report)


def relative_path(file: str | None) -> str | None:
    """``file`` relative to the working directory when inside it, with forward slashes."""
    if file is None:
        return None
    import os

    if os.path.isabs(file):
        try:
            relative = os.path.relpath(file)
        except ValueError:  # another drive on Windows
            relative = file
        if not relative.startswith(".."):
            file = relative
    return file.replace(os.sep, "/")


def write(format_name: str, report: Report, stream) -> None:
    """Write the report to ``stream`` (the text format draws straight onto it, to see a terminal)."""
    module = importlib.import_module(f"{__name__}.{FORMATS[format_name]}")
    if hasattr(module, "write"):
        module.write(report, stream)
    else:
        stream.write(module.render(report))
