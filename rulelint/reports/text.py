"""The human report (``--format text``), drawn with rich.

One header line per finding (``file:line:col: severity check-id message``), the source line
with carets under the exact span, the narrower replacement as a two-line diff of the
expression, then a summary table. Colour only when rich sees a terminal (it honours
``NO_COLOR`` and ``FORCE_COLOR``); ``Report.color`` forces it either way.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import sources
from ..findings import Finding
from . import Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
GUTTER = "dim blue"


def _header(finding: Finding) -> Text:
    loc = finding.location
    place = loc.file or "<input>"
    if loc.line:
        place += f":{loc.line}"
        if loc.column:
            place += f":{loc.column}"
    header = Text()
    header.append(place + ":", style="bold")
    header.append(" ")
    header.append(finding.severity, style=SEVERITY_STYLE.get(finding.severity, ""))
    header.append(" ")
    header.append(finding.check, style="magenta")
    header.append(" ")
    header.append(finding.message)
    return header


def _snippet(finding: Finding) -> list[Text]:
    loc = finding.location
    if not (loc.file and loc.line):
        return []
    content = sources.text(loc.file)
    if content is None:
        return []
    lines = content.split("\n")
    if loc.line > len(lines):
        return []
    source = lines[loc.line - 1].rstrip("\r").replace("\t", " ")
    number = str(loc.line)
    pad = " " * len(number)
    out = [Text(f"{pad} |", style=GUTTER)]
    line = Text(f"{number} | ", style=GUTTER)
    line.append(source)
    out.append(line)
    if loc.column:
        start = loc.column - 1
        if loc.end_line in (None, loc.line) and loc.end_column:
            end = max(loc.end_column - 1, start + 1)
        elif loc.end_line and loc.end_line > loc.line:
            end = max(len(source), start + 1)
        else:
            end = start + 1
        caret = Text(f"{pad} | ", style=GUTTER)
        caret.append(" " * start)
        caret.append("^" * (end - start), style=SEVERITY_STYLE.get(finding.severity, ""))
        if loc.end_line and loc.end_line > loc.line:
            caret.append(f" (continues to line {loc.end_line})", style="dim")
        out.append(caret)
    return out


def _context(finding: Finding) -> Text | None:
    loc = finding.location
    parts = []
    if loc.zone:
        parts.append(f"zone {loc.zone}")
    if loc.address:
        parts.append(loc.address)
    elif loc.pointer:
        parts.append(f"at {loc.pointer}")
    if loc.rule_id:
        parts.append(f"rule id {loc.rule_id}")
    if loc.rule_ref and loc.rule_ref != loc.rule_id:
        parts.append(f"ref {loc.rule_ref}")
    if not parts:
        return None
    return Text("  = " + ", ".join(parts), style="dim")


def _diff_line(sign: str, words: list[str], changed: set[int], style: str) -> Text:
    line = Text(f"    {sign} ", style=style)
    for i, word in enumerate(words):
        if i:
            line.append(" ")
        line.append(word, style=f"bold {style}" if i in changed else style)
    return line


def _suggestion(finding: Finding) -> list[Text]:
    suggestion = finding.suggestion
    if suggestion is None:
        return []
    out = []
    if suggestion.expression:
        out.append(Text("  help: suggested expression", style="bold green"))
        if finding.expression and finding.expression != suggestion.expression:
            old, new = finding.expression.split(), suggestion.expression.split()
            removed: set[int] = set()
            added: set[int] = set()
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
                if tag != "equal":
                    removed.update(range(i1, i2))
                    added.update(range(j1, j2))
            out.append(_diff_line("-", old, removed, "red"))
            out.append(_diff_line("+", new, added, "green"))
        else:
            out.append(Text(f"    {suggestion.expression}", style="green"))
    if suggestion.action_parameters:
        out.append(Text("  help: suggested action_parameters", style="bold green"))
        out.append(Text("    " + json.dumps(suggestion.action_parameters, sort_keys=True), style="green"))
    if suggestion.note:
        out.append(Text(f"  note: {suggestion.note}", style="dim"))
    return out


def _summary(report: Report) -> list:
    counts = report.counts()
    total = sum(counts.values())
    files = len(report.files)
    scope = f"{files} file{'s' if files != 1 else ''}, {report.rule_count} rule{'s' if report.rule_count != 1 else ''}"
    if not total:
        return [Text(f"No findings ({scope}).", style="bold green")]
    table = Table(title=None, box=None, show_edge=False, pad_edge=False)
    table.add_column("check", style="magenta")
    table.add_column("severity")
    table.add_column("findings", justify="right")
    for check, severity, n in report.per_check():
        table.add_row(check, Text(severity, style=SEVERITY_STYLE.get(severity, "")), str(n))
    line = Text(f"{total} finding{'s' if total != 1 else ''}: ", style="bold")
    line.append(", ".join(f"{n} {severity}{'s' if n != 1 and severity != 'info' else ''}" for severity, n in counts.items()))
    line.append(f" ({scope}).")
    return [table, Text(""), line]


def console_for(stream, report: Report) -> Console:
    return Console(
        file=stream,
        force_terminal=report.color,
        no_color=False if report.color else None,
        color_system="auto" if report.color is not False else None,
        highlight=False,
        emoji=False,
        soft_wrap=True,
        width=report.width,
    )


def write(report: Report, stream) -> None:
    console = console_for(stream, report)
    if report.statistics:
        table = Table(box=None, show_edge=False, pad_edge=False)
        table.add_column("check", style="magenta")
        table.add_column("severity")
        table.add_column("findings", justify="right")
        for check, severity, n in report.per_check():
            table.add_row(check, Text(severity, style=SEVERITY_STYLE.get(severity, "")), str(n))
        console.print(table)
        return
    for finding in report.findings:
        console.print(_header(finding))
        for part in _snippet(finding):
            console.print(part)
        context = _context(finding)
        if context is not None:
            console.print(context)
        if report.suggestions:
            for part in _suggestion(finding):
                console.print(part)
        console.print()
    if not report.quiet:
        for part in _summary(report):
            console.print(part)


def render(report: Report) -> str:
    buffer = io.StringIO()
    write(replace(report, color=bool(report.color)), buffer)
    return buffer.getvalue()
