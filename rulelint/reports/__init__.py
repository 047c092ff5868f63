"""Report formats. Each format is one module with ``render(report) -> str``; only the module of
the chosen format is imported, so machine formats never pay for ``rich``.

Reports know only findings (``rulelint.findings``) and the catalogue and texts handed to them
in a ``Report``: they import no reader, check, baseline or source registry.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

from ..findings import SEVERITIES, SEVERITY_RANK, CheckInfo

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
    # None: the text report reads regular files from disk (standard input has no excerpt).
    source_text: Callable[[str], str | None] | None = None
    fail_on: str = "warning"  # the level at or above which a finding fails the run
    # Files a folder scan passed over because they are not Cloudflare configuration.
    skipped: list[str] = field(default_factory=list)
    # Findings an inline marker suppressed, with the marker's reason (SARIF keeps them).
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)
    # The repository root SARIF artifact URIs are relative to (``%SRCROOT%``); None: the
    # current directory.
    root: str | None = None
    # SARIF ``automationDetails.id``: the code scanning category ("name/" is a category alone).
    category: str = "rulelint/"

    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity present (most severe first)."""
        counted = Counter(f.severity for f in self.findings)
        return {severity: counted.get(severity, 0) for severity in SEVERITIES}

    def per_check(self) -> list[tuple[str, str, int]]:
        """(check, most severe severity, count) per check, most frequent first."""
        counted: Counter[str] = Counter()
        worst: dict[str, str] = {}
        for finding in self.findings:
            counted[finding.check] += 1
            previous = worst.get(finding.check)
            if previous is None or SEVERITY_RANK.get(finding.severity, 0) > SEVERITY_RANK.get(previous, 0):
                worst[finding.check] = finding.severity
        return [(check, worst[check], n) for check, n in sorted(counted.items(), key=lambda i: (-i[1], i[0]))]

    def per_check_and_severity(self) -> list[tuple[str, dict[str, int]]]:
        """(check, findings per severity, every severity present) per check, most frequent first."""
        counted: dict[str, Counter[str]] = {}
        for finding in self.findings:
            counted.setdefault(finding.check, Counter())[finding.severity] += 1
        ordered = sorted(counted.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        return [(check, {s: n.get(s, 0) for s in SEVERITIES}) for check, n in ordered]

    def check_info(self, check_id: str) -> CheckInfo:
        """The catalogue entry of ``check_id``; an id the catalogue lacks still gets one."""
        return self.checks.get(check_id) or CheckInfo(check_id, "warning", check_id)

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above the fail level (a failure in JUnit)."""
        return SEVERITY_RANK.get(finding.severity, 2) >= SEVERITY_RANK.get(self.fail_on, 1)


def render(format_name: str, report: Report) -> str:
    """The report as text in ``format_name`` (one of ``FORMATS``)."""
    return "".join(render_pieces(format_name, report))


def render_pieces(format_name: str, report: Report) -> Iterator[str]:
    """``render``'s text in pieces, for a format that can write a large report without
    holding it whole (JSON, a ``chunks`` function); in one piece for the others."""
    module = importlib.import_module(f"{__name__}.{FORMATS[format_name]}")
    if hasattr(module, "chunks"):
        for piece in module.chunks(report):
            yield encodable(piece)
    else:
        yield encodable(module.render(report))


def relative_path(file: str | None) -> str | None:
    """``file`` relative to the working directory when inside it, with forward slashes."""
    if file is None:
        return None
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
        for piece in render_pieces(format_name, report):
            stream.write(piece)


# Lone surrogates: from a JSON ``"\ud800"`` escape, or a file name's undecodable bytes
# (``surrogateescape`` maps byte 0xNN to U+DCNN). No UTF-8 stream can take them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogate(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def encodable(text: str) -> str:
    """``text`` with every lone surrogate replaced, so it can be written as UTF-8: an
    undecodable file-name byte becomes ``\\xNN``, any other surrogate U+FFFD."""
    return _SURROGATE.sub(_replace_surrogate, text) if _SURROGATE.search(text) else text


def encodable_json(document: str) -> str:
    """A JSON text with every lone surrogate inside its strings replaced as ``encodable``
    does, the replacement written as JSON (``\\\\xNN``), so the text stays valid JSON."""
    if not _SURROGATE.search(document):
        return document
    return _SURROGATE.sub(lambda match: json.dumps(_replace_surrogate(match), ensure_ascii=False)[1:-1], document)
