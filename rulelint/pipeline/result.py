"""What one run found, as the command line and the library hand it to reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..findings import INTERNAL_ERROR, SEVERITY_RANK, CheckInfo, Finding

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Configuration

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FAULT = 0, 1, 2


@dataclass
class Result:
    """What one run found, and what a report needs to say about it. ``configuration`` is what
    the run read, with two exceptions: it is empty when the result came from the result cache
    (``result_cache``: nothing was read), and the zones of a bundle read zone by zone
    (``readers.bundle_stream``) keep their names and linked account rules but not their
    content, let go once checked (``rulelint.readers.read_paths`` gives the whole model)."""

    configuration: Configuration
    findings: list[Finding]  # what is reported: after ignores, suppressions and the baseline
    checks: dict[str, CheckInfo]  # the catalogue of every id
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, marker's reason)
    files: list[str] = field(default_factory=list)  # every input looked at
    skipped: list[str] = field(default_factory=list)  # files of a folder that are not Cloudflare configuration
    usable: bool = True  # False when no input could be read at all
    rule_count: int = 0
    source_text: Callable[[str], str | None] = field(default=lambda name: None, repr=False)

    @property
    def faulted(self) -> bool:
        """Whether a check failed inside rulelint (an ``internal-error`` finding)."""
        return any(f.check == INTERNAL_ERROR for f in self.findings)

    def exit_code(self, fail_on: str) -> int:
        """0 clean, 1 a finding at or above ``fail_on``, 2 no usable input or a fault in rulelint."""
        if not self.usable or self.faulted:
            return EXIT_FAULT
        threshold = SEVERITY_RANK[fail_on]
        failing = any(SEVERITY_RANK.get(f.severity, 2) >= threshold for f in self.findings)
        return EXIT_FINDINGS if failing else EXIT_CLEAN


