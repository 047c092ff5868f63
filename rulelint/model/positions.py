"""Map an offset inside an expression's text back to a line and column of the input file.

Expressions are stored decoded (JSON escapes, HCL escapes and heredoc indentation removed),
while users need positions in the file as written. ``locate`` reads the file text from the
expression's own ``SourceFile`` (``Expression.source``) starting at
``Expression.content_offset`` and walks the raw characters in step with the decoded ones. It
only runs when a finding needs the position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..language.ast import Span
    from . import Expression

_HCL_SIMPLE = set('nrt"\\')


def _raw_offsets(raw: str, start: int, quoting: str, indent: int, targets: list[int]) -> list[int]:
    """Raw offsets in ``raw`` where decoded characters number ``targets`` (ascending) begin."""
    results: list[int] = []
    wanted = iter(targets)
    target = next(wanted, None)
    decoded = 0
    position = start
    length = len(raw)
    at_line_start = quoting == "heredoc"
    while target is not None:
        if at_line_start:
            # Heredoc "<<-" strips the same indentation from every line.
            skipped = 0
            while skipped < indent and position < length and raw[position] in " \t":
                position += 1
                skipped += 1
            at_line_start = False
        if decoded >= target or position >= length:
            results.append(position)
            target = next(wanted, None)
            continue
        char = raw[position]
        step = 1
        units = 1
        if quoting == "json" and char == "\\" and position + 1 < length:
            if raw[position + 1] == "u":
                step = 6
                code = raw[position + 2 : position + 6]
                if (
                    code[:2].lower() in ("d8", "d9", "da", "db")
                    and raw[position + 6 : position + 8] == "\\u"
                ):
                    step = 12  # a surrogate pair decodes to one character
            else:
                step = 2
        elif quoting == "hcl" and char == "\\" and position + 1 < length:
            following = raw[position + 1]
            if following == "u":
                step = 6
            elif following == "U":
                step = 10
            else:
                step = 2
        elif quoting in ("hcl", "heredoc") and char in "$%" and raw.startswith(char * 2 + "{", position):
            step = 2  # "$${" is written for a literal "${" (same for "%%{")
        elif quoting == "heredoc" and char == "\n":
            at_line_start = True
        position += step
        decoded += units
    return results


def locate(expression: "Expression", span: "Span | None" = None) -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column), 1-based, end exclusive, of ``span`` in the file.

    ``span`` is a 0-based character range of ``expression.text``; ``None`` means all of it.
    When the raw text is not available the expression's own origin is returned.
    """
    origin = expression.origin
    fallback = (origin.line, origin.column, origin.end_line or origin.line, origin.end_column or origin.column)
    source = expression.source
    if expression.content_offset is None or source is None:
        return fallback
    raw = source.text
    start, end = (0, len(expression.text)) if span is None else (span.start, span.end)
    start = max(0, min(start, len(expression.text)))
    end = max(start, min(end, len(expression.text)))
    quoting = expression.quoting
    raw_start, raw_end = _raw_offsets(
        raw, expression.content_offset, quoting, getattr(expression, "heredoc_indent", 0), [start, end]
    )
    line, column = source.line_column(raw_start)
    end_line, end_column = source.line_column(raw_end)
    return line, column, end_line, end_column
