"""The conformance data: the shared corpus, transcribed wirefilter cases, and reviewed exceptions.

Every case is ``(expression, context, source)``; the verdict both sides must reach is the oracle's,
unless ``grammars/conformance-exceptions.md`` lists the case with the reason the oracle is wrong
for Cloudflare (then rulelint must give the listed verdict, and the oracle must still give its
listed verdict, so a stale exception shows up as a failure).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import shared_path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VALUE_EXPRESSIONS = HERE / "corpus_value_expressions.tsv"
WIREFILTER_CASES = HERE / "wirefilter_cases.tsv"
EXCEPTIONS = REPO / "grammars" / "conformance-exceptions.md"


@dataclass(frozen=True)
class Case:
    expression: str
    context: str
    source: str
    expected: str | None = None  # a verdict fixed by the source itself (wirefilter's tests)
    note: str = ""

    @property
    def id(self) -> str:
        short = self.expression.replace("\n", " ")
        return f"{self.context}:{short[:60]}"


@dataclass(frozen=True)
class Exception_:
    expression: str
    context: str
    rulelint: str
    oracle: str
    reason: str


def _rows(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def value_expressions() -> set[tuple[str, str]]:
    """``(expression, source)`` pairs of the corpus that are values, not filters."""
    return {(json.loads(expr), source) for expr, source, _role in _rows(VALUE_EXPRESSIONS)}


def corpus_cases() -> list[Case]:
    """Every corpus expression once per (expression, context), in its context (skips the
    calling test or module without ../shared)."""
    values = value_expressions()
    seen: dict[tuple[str, str], Case] = {}
    for expr, source in _rows(shared_path("corpus", "expressions.tsv")):
        text = json.loads(expr)
        context = "value" if (text, source) in values else "filter"
        seen.setdefault((text, context), Case(text, context, source))
    return list(seen.values())


def wirefilter_cases() -> list[Case]:
    return [
        Case(json.loads(expr), context, source, expected, note)
        for expr, context, expected, source, note in _rows(WIREFILTER_CASES)
    ]


def exceptions() -> dict[tuple[str, str], Exception_]:
    """The reviewed exceptions: the ``tsv`` fenced block of the exceptions file."""
    text = EXCEPTIONS.read_text(encoding="utf-8")
    block = text.split("```tsv\n", 1)[1].split("```", 1)[0]
    found = {}
    for line in block.splitlines():
        if not line or line.startswith("#"):
            continue
        expr, context, rulelint, oracle, reason = line.split("\t")
        item = Exception_(json.loads(expr), context, rulelint, oracle, reason)
        found[(item.expression, item.context)] = item
    return found


@dataclass(frozen=True)
class Shape:
    """A class of reviewed differences: expressions the pattern matches are not disagreements."""

    name: str
    pattern: re.Pattern
    example: str
    rulelint: str
    oracle: str
    reason: str


@cache
def exception_shapes() -> tuple[Shape, ...]:
    """The ``shapes`` fenced block of the exceptions file."""
    text = EXCEPTIONS.read_text(encoding="utf-8")
    block = text.split("```shapes\n", 1)[1].split("```", 1)[0]
    found = []
    for line in block.splitlines():
        if not line or line.startswith("#"):
            continue
        name, pattern, example, rulelint, oracle, reason = line.split("\t")
        found.append(Shape(name, re.compile(pattern), json.loads(example), rulelint, oracle, reason))
    return tuple(found)


def reviewed_shape(text: str) -> str | None:
    """The name of the reviewed difference ``text`` belongs to, if any (too long, or a shape)."""
    from rulelint.language.parser import MAX_LENGTH

    if len(text) > MAX_LENGTH:
        return "too-long"
    for shape in exception_shapes():
        if shape.pattern.search(text):
            return shape.name
    return None
