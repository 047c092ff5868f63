"""Parse benchmark: expressions per second for rulelint and for Cloudflare's engine, same run.

    python benchmarks/parse_speed.py [--count 5000] [--repeat 3] [--seed 20240601]

The expressions are unique and realistic (benchmarks/corpus.py, generated, no files read).
rulelint is timed through its uncached parse path (``parse.__wrapped__`` when ``parse`` is
lru-cached), so every expression is really parsed and type-checked. The oracle is
octorules-wirefilter (Cloudflare's Rust wirefilter through a Python binding); a value expression
``V`` is given to it as the filter ``V eq ""`` because it only parses filters. Each side is run
``--repeat`` times over the whole set and the best run counts (the least disturbed by other load).

The third line is the straightforward way to parse the language with pyparsing, measured in the
same run on the same expressions instead of quoted: one ``infix_notation`` grammar (fields,
literals, sets, function calls, comparison and logical operators), default pyparsing settings,
no type-checking — the baseline rulelint's own parser is compared with.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import realistic_expressions  # noqa: E402


def _best_rate(run, items, repeat: int) -> tuple[float, int]:
    best = float("inf")
    accepted = 0
    for _ in range(repeat):
        start = time.perf_counter()
        accepted = run(items)
        best = min(best, time.perf_counter() - start)
    return len(items) / best, accepted


def _rulelint_runner():
    from rulelint.language import api

    parse = getattr(api.parse, "__wrapped__", api.parse)

    def run(items):
        cache_clear = getattr(api.parse, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()
        return sum(parse(text, context).ok for text, context in items)

    return run


def _oracle_runner():
    import octorules_wirefilter

    parse_expression = octorules_wirefilter.parse_expression

    def run(items):
        accepted = 0
        for text, context in items:
            result = parse_expression(text if context == "filter" else f'{text} eq ""')
            accepted += "error" not in result
        return accepted

    return run


def _infix_notation_runner():
    """A plain pyparsing grammar of the rules language built with ``infix_notation``."""
    import pyparsing as pp

    keyword = pp.one_of("not and or xor in eq ne lt le gt ge contains matches wildcard strict", as_keyword=True)
    index = pp.Regex(r"(\[[^\]]*\])*")
    identifier = ~keyword + pp.Regex(r"[A-Za-z_][A-Za-z0-9_.]*(\[[^\]]*\])*")
    string = pp.QuotedString('"', esc_char="\\") | pp.Regex(r'r(#*)".*?"\1')
    address = pp.Regex(r"([0-9][0-9A-Fa-f:.]*|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(/[0-9]+)?")
    number = pp.Regex(r"-?[0-9]+")
    value = pp.Forward()
    call = identifier + pp.Suppress("(") + pp.Optional(pp.DelimitedList(pp.Group(value + pp.Optional(pp.one_of("eq ne contains") + value)))) + pp.Suppress(")") + index
    literal = string | address | number
    items = pp.Suppress("{") + pp.ZeroOrMore(literal | pp.Regex(r"\$[a-z0-9_]+")) + pp.Suppress("}")
    value <<= call | literal | identifier
    comparison = pp.one_of("== != <= >= < > ~") | pp.one_of("eq ne lt le gt ge contains matches in", as_keyword=True) | pp.Regex(r"(strict\s+)?wildcard")
    operand = value + pp.Optional(comparison + (items | pp.Regex(r"\$[a-z0-9_]+") | value))
    expression = pp.infix_notation(
        operand,
        [
            (pp.one_of("not !"), 1, pp.OpAssoc.RIGHT),
            (pp.one_of("and &&"), 2, pp.OpAssoc.LEFT),
            (pp.one_of("xor ^^"), 2, pp.OpAssoc.LEFT),
            (pp.one_of("or ||"), 2, pp.OpAssoc.LEFT),
        ],
    )

    def run(items_):
        accepted = 0
        for text, _context in items_:
            try:
                expression.parse_string(text, parse_all=True)
                accepted += 1
            except pp.ParseBaseException:
                pass
        return accepted

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    items = realistic_expressions(args.count, args.seed)
    chars = sum(len(text) for text, _ in items) / len(items)
    print(f"{len(items)} unique expressions, {chars:.0f} characters on average; best of {args.repeat} runs")
    print(f"python {platform.python_version()} on {platform.machine()}")

    ours, ours_ok = _best_rate(_rulelint_runner(), items, args.repeat)
    theirs, theirs_ok = _best_rate(_oracle_runner(), items, args.repeat)
    plain, plain_ok = _best_rate(_infix_notation_runner(), items, args.repeat)
    print(f"rulelint            {ours:>10,.0f} expressions/s  ({ours_ok} accepted)")
    print(f"wirefilter (oracle) {theirs:>10,.0f} expressions/s  ({theirs_ok} accepted)")
    print(f"infix_notation      {plain:>10,.0f} expressions/s  ({plain_ok} accepted, not type-checked)")
    print(f"ratio rulelint/oracle: {ours / theirs:.3f}  (oracle is {theirs / ours:.1f}x faster)")
    print(f"ratio rulelint/infix_notation (same run): {ours / plain:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
