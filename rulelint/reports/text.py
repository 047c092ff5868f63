"""The human report (``--format text``), drawn with rich.

One short header line per finding (``file:line:col: severity check-id message``; a long
message continues on the lines under it), a window of the source line with carets under the
exact span, the related locations, the narrower replacement as a two-line diff of the
expression, then a summary table with the findings of each check per severity.

The cost is linear in the number of findings: each input's line starts are computed once, and
only a window of about ``WINDOW`` characters around a span is ever copied, so a one-line
minified export prints a few lines per finding, not the whole line. Colour only when rich sees
a terminal and ``NO_COLOR`` is unset (then there are no escape codes at all, bold included);
``Report.color`` forces it either way. Lines are built as plain ``Line``s; rich is imported only
to draw them in colour, so a report to a pipe or a file never pays for importing it.
"""

from __future__ import annotations

import io
import json
import os
import re
import textwrap
from array import array
from dataclasses import replace
from itertools import chain
from operator import methodcaller
from typing import Callable

from ..findings import SEVERITIES, Finding, Location
from . import Report, encodable

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
GUTTER = "dim blue"
WINDOW = 160  # characters of a source line shown around a span
HEADER_MESSAGE = 120  # characters of a message the header line holds; the rest goes below
ELLIPSIS = "…"

# Characters a terminal would act on (C0 and C1 controls, DEL); tabs become spaces.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_NEWLINE = re.compile("\n")
# Where a message may be cut for the header: after a sentence or a clause.
_BREAK = re.compile(r"(?<=[.;:,])\s+|\s+—\s+")


def printable(text: str) -> str:
    """``text`` safe to show on a terminal, one character for one (so carets stay aligned):
    lone surrogates and control characters replaced, tabs as spaces."""
    text = encodable(text).replace("\t", " ")
    return _CONTROL.sub("\ufffd", text) if _CONTROL.search(text) else text


class Line:
    """One line of the report: its text, and the style of each part for a colour terminal."""

    __slots__ = ("plain", "spans", "style")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.plain = text
        self.style = style  # the whole line's
        self.spans: list[tuple[int, int, str]] = []  # (start, end, style) of appended parts

    def append(self, text: str, style: str = "") -> Line:
        if style and text:
            self.spans.append((len(self.plain), len(self.plain) + len(text), style))
        self.plain += text
        return self

    def rich(self):
        """The line as a rich ``Text`` (only when drawing in colour)."""
        from rich.text import Span, Text

        return Text(self.plain, style=self.style, spans=[Span(*span) for span in self.spans])


Text = Line  # what the builders below call it


# -- source lines ----------------------------------------------------------------------------


def _read_regular_file(name: str) -> str | None:
    """The text of ``name`` when it is a regular file (never a FIFO or a device)."""
    try:
        if not os.path.isfile(name):
            return None
        with open(name, encoding="utf-8-sig", errors="replace") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


class SourceLines:
    """The inputs a report quotes, each with its line starts computed once, so that finding
    N's excerpt costs the same as finding 1's."""

    def __init__(self, source_text: Callable[[str], str | None] | None) -> None:
        self._source_text = source_text or _read_regular_file
        self._files: dict[str, tuple[str, array] | None] = {}

    def _file(self, name: str) -> tuple[str, array] | None:
        if name not in self._files:
            try:
                text = self._source_text(name)
            except Exception:  # a source that cannot be had is a report without excerpts
                text = None
            self._files[name] = (
                None
                if text is None
                else (text, array("q", chain((0,), map(methodcaller("end"), _NEWLINE.finditer(text)))))
            )
        return self._files[name]

    def line_bounds(self, name: str, number: int) -> tuple[str, int, int] | None:
        """(text, start offset, end offset) of 1-based line ``number``, its break excluded."""
        entry = self._file(name)
        if entry is None:
            return None
        text, starts = entry
        if not 1 <= number <= len(starts):
            return None
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else len(text)
        if end > start and text[end - 1] == "\r":
            end -= 1
        return text, start, end


def window(length: int, start: int, end: int, width: int = WINDOW) -> tuple[int, int]:
    """The [left, right) columns (0-based) of a line of ``length`` characters to show so that
    the span [start, end) starts in view with context on both sides."""
    if length <= width:
        return 0, length
    shown = min(max(end - start, 1), width // 2)
    left = max(0, start - (width - shown) // 2)
    right = min(length, left + width)
    return max(0, right - width), right


def _excerpt(finding: Finding, sources: SourceLines) -> list[Text]:
    loc = finding.location
    if not (loc.file and loc.line):
        return []
    bounds = sources.line_bounds(loc.file, loc.line)
    if bounds is None:
        return []
    text, line_start, line_end = bounds
    length = line_end - line_start
    start = min(loc.column - 1, length) if loc.column else 0
    if loc.end_line in (None, loc.line) and loc.end_column:
        end = max(loc.end_column - 1, start + 1)
    elif loc.end_line and loc.end_line > loc.line:
        end = max(length, start + 1)
    else:
        end = start + 1
    left, right = window(length, start, end)
    prefix = ELLIPSIS if left > 0 else ""
    suffix = ELLIPSIS if right < length else ""
    shown = printable(text[line_start + left : line_start + right])

    number = str(loc.line)
    pad = " " * len(number)
    out = [Text(f"{pad} |", style=GUTTER)]
    source = Text(f"{number} | ", style=GUTTER)
    source.append(prefix + shown + suffix)
    out.append(source)
    if loc.column:
        caret = Text(f"{pad} | ", style=GUTTER)
        caret.append(" " * (len(prefix) + start - left))
        caret.append("^" * (min(end, right) - start if start < right else 1), style=SEVERITY_STYLE.get(finding.severity, ""))
        if loc.end_line and loc.end_line > loc.line:
            caret.append(f" (continues to line {loc.end_line})", style="dim")
        out.append(caret)
    return out


# -- a finding -------------------------------------------------------------------------------


def place(loc: Location) -> str:
    """``file:line:col`` of a location, as far as it is known."""
    where = printable(loc.file) if loc.file else "<input>"
    if loc.line:
        where += f":{loc.line}"
        if loc.column:
            where += f":{loc.column}"
    return where


def split_message(message: str, limit: int = HEADER_MESSAGE) -> tuple[str, list[str]]:
    """The part of ``message`` for the header (its first sentence or clause, at most about
    ``limit`` characters, never cut inside a quotation) and the lines that continue it."""
    lines = [printable(line) for line in message.split("\n")]
    first, rest = lines[0], [part for line in lines[1:] for part in _wrap(line)]
    if len(first) <= limit:
        return first, rest
    cut: tuple[int, int] | None = None
    quoted, position = False, 0
    for match in _BREAK.finditer(first, 0, limit + 1):
        quoted ^= first.count('"', position, match.start()) % 2 == 1
        position = match.start()
        if not quoted:
            cut = match.span()
            if first[match.start() - 1] == ".":
                break  # the first sentence is the header
    if cut is None:
        space = first.rfind(" ", 0, limit + 1)
        cut = (space, space + 1) if space > 0 else None
    if cut is None:
        return first, rest
    return first[: cut[0]], _wrap(first[cut[1] :]) + rest


def _wrap(text: str) -> list[str]:
    """A message's continuation as lines of at most about ``HEADER_MESSAGE`` characters."""
    return textwrap.wrap(text, HEADER_MESSAGE - 4, break_long_words=False, break_on_hyphens=False)


def _header(finding: Finding) -> list[Text]:
    first, rest = split_message(finding.message)
    header = Text()
    header.append(place(finding.location) + ":", style="bold")
    header.append(" ")
    header.append(finding.severity, style=SEVERITY_STYLE.get(finding.severity, ""))
    header.append(" ")
    header.append(printable(finding.check), style="magenta")
    header.append(" ")
    header.append(first)
    return [header] + [Text("  " + line) for line in rest]


def _context(loc: Location) -> Text | None:
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
    return Text("  = " + printable(", ".join(parts)), style="dim")


def _related(finding: Finding) -> list[Text]:
    out = []
    for related in finding.related:
        loc = related.location
        where = place(loc) if loc.file or loc.line else ""
        logical = loc.address or loc.pointer
        if logical:
            where = f"{where} ({printable(logical)})" if where else printable(logical)
        line = Text("  related: ", style="bold")
        line.append(f"{where}: " if where else "")
        line.append(printable(related.message))
        out.append(line)
    return out


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
            import difflib  # for suggestion diffs only: most runs have none to show

            old, new = printable(finding.expression).split(), printable(suggestion.expression).split()
            removed: set[int] = set()
            added: set[int] = set()
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
                if tag != "equal":
                    removed.update(range(i1, i2))
                    added.update(range(j1, j2))
            out.append(_diff_line("-", old, removed, "red"))
            out.append(_diff_line("+", new, added, "green"))
        else:
            out.append(Text(f"    {printable(suggestion.expression)}", style="green"))
    if suggestion.action_parameters:
        out.append(Text("  help: suggested action_parameters", style="bold green"))
        parameters = json.dumps(suggestion.action_parameters, sort_keys=True, ensure_ascii=False)
        out.append(Text("    " + printable(parameters), style="green"))
    if suggestion.note:
        out.append(Text(f"  note: {printable(suggestion.note)}", style="dim"))
    return out


def finding_lines(finding: Finding, sources: SourceLines, suggestions: bool = True) -> list[Text]:
    """Every line the text report shows for ``finding``."""
    lines = _header(finding) + _excerpt(finding, sources)
    context = _context(finding.location)
    if context is not None:
        lines.append(context)
    lines += _related(finding)
    if suggestions:
        lines += _suggestion(finding)
    return lines


# -- the summary -----------------------------------------------------------------------------


def _count_rows(report: Report) -> list[list[str]]:
    """The header and one row per check: findings per severity, "-" for none."""
    rows = [["check", *SEVERITIES]]
    for check, counts in report.per_check_and_severity():
        rows.append([printable(check), *(str(counts[s]) if counts[s] else "-" for s in SEVERITIES)])
    return rows


def _plain_count_table(report: Report) -> str:
    """``_count_table`` as rich draws it without colour: the check column left-aligned, the
    counts right-aligned, two spaces between columns."""
    rows = _count_rows(report)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join(
        "  ".join([row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:]))]) + "\n"
        for row in rows
    )


def _count_table(report: Report):
    """Findings per check and severity, as a rich table (colour terminals)."""
    from rich.table import Table

    table = Table(box=None, show_edge=False, pad_edge=False)
    table.add_column("check", style="magenta")
    for severity in SEVERITIES:
        table.add_column(severity, justify="right", style=SEVERITY_STYLE[severity])
    for check, counts in report.per_check_and_severity():
        table.add_row(printable(check), *(str(counts[s]) if counts[s] else "-" for s in SEVERITIES))
    return table


def _summary(report: Report) -> list:
    counts = report.counts()
    total = sum(counts.values())
    files = len(report.files)
    scope = f"{files} file{'s' if files != 1 else ''}, {report.rule_count} rule{'s' if report.rule_count != 1 else ''}"
    if report.skipped:
        skipped = len(report.skipped)
        scope += f"; {skipped} file{'s' if skipped != 1 else ''} skipped: not Cloudflare configuration, -v lists them"
    if not total:
        return [Text(f"No findings ({scope}).", style="bold green")]
    line = Text(f"{total} finding{'s' if total != 1 else ''}: ", style="bold")
    line.append(", ".join(f"{n} {severity}{'s' if n != 1 and severity != 'info' else ''}" for severity, n in counts.items()))
    line.append(f" ({scope}).")
    return [None, Text(""), line]  # None: the count table


# -- drawing ---------------------------------------------------------------------------------


def console_for(stream, report: Report):
    """A rich console on ``stream``: styled on a terminal, plain text when ``Report.color`` is
    False or ``NO_COLOR`` is set (rich alone would still write bold and dim there)."""
    from rich.console import Console

    plain = report.color is False or (report.color is None and bool(os.environ.get("NO_COLOR")))
    return Console(
        file=stream,
        force_terminal=report.color,
        no_color=False if report.color else None,
        color_system=None if plain else "auto",
        highlight=False,
        emoji=False,
        soft_wrap=True,
        width=report.width,
    )


def surely_plain(stream, report: Report) -> bool:
    """Whether the report is certain to have no colour, without asking rich: colour turned off,
    or ``NO_COLOR`` set, or (nothing forcing it) a stream that is not a terminal."""
    if report.color is not None:
        return not report.color
    if os.environ.get("NO_COLOR"):
        return True
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") or os.environ.get("TTY_INTERACTIVE"):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def write(report: Report, stream) -> None:
    if surely_plain(stream, report):
        _write_plain(report, stream)
        return
    console = console_for(stream, report)
    if console.color_system is None:
        _write_plain(report, stream, console)
        return
    if report.statistics:
        console.print(_count_table(report))
        return
    from rich.text import Text as RichText

    sources = SourceLines(report.source_text)
    blank = RichText("")
    for finding in report.findings:
        lines = [line.rich() for line in finding_lines(finding, sources, report.suggestions)]
        console.print(RichText("\n").join(lines + [blank]))
    if not report.quiet:
        for part in _summary(report):
            console.print(_count_table(report) if part is None else part.rich())


def _write_plain(report: Report, stream, console=None) -> None:
    """The report without styles, straight onto ``stream`` (rich costs ~1 ms a finding, and
    its import alone more than a small run)."""
    if report.statistics:
        _write_table(report, stream, console)
        return
    sources = SourceLines(report.source_text)
    for finding in report.findings:
        lines = finding_lines(finding, sources, report.suggestions)
        stream.write("".join(line.plain + "\n" for line in lines) + "\n")
    if not report.quiet:
        for part in _summary(report):
            if part is None:
                _write_table(report, stream, console)
            else:
                stream.write(part.plain + "\n")


def _write_table(report: Report, stream, console) -> None:
    if console is None:
        stream.write(_plain_count_table(report))
    else:  # a console rich made plain (a dumb terminal): let it lay the table out
        console.print(_count_table(report))


def render(report: Report) -> str:
    buffer = io.StringIO()
    write(replace(report, color=bool(report.color)), buffer)
    return buffer.getvalue()
