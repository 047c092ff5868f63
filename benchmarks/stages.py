"""Where rulelint's time goes: the stages of one ``rulelint check``, timed in one process.

Stages, in the order the CLI runs them:

* import   — importing the modules the CLI needs (paid once per process, so it is the
             start-up floor of every run);
* read     — ``rulelint.readers.read_paths``: files to the ``Configuration`` model;
* parse    — ``rulelint.language.parse`` on every expression of the model (rule filters,
             value expressions, legacy filters), with the parse cache emptied first;
* analyse  — ``rulelint.pipeline.engine.run_checks``: every check over every zone (expressions are
             parsed already, so this is the checks' own cost; ``--cold-analyse`` empties the
             parse cache first so it includes parsing, as a real run does);
* report   — ``rulelint.reports.render("json", ...)``.

Each stage runs under the same garbage-collector settings as the CLI (``engine.collector_paused``
around parsing and checking), so the shares are those of a real run.

It prints a table (seconds, share, microseconds per rule, peak RSS after the stage) and, with
``--profile N``, the N functions with the most own time in each stage.

    python benchmarks/stages.py benchmarks/out/bundle-10000.json [--markdown FILE] [--profile 15]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def expressions(configuration):
    """Every parseable expression in the model, as (text, context)."""
    rulesets = [rs for zone in configuration.zones for rs in (*zone.rulesets, *zone.account_rulesets)]
    rulesets += [rs for account in configuration.accounts for rs in account.rulesets]
    seen_rulesets: set[int] = set()
    for ruleset in rulesets:
        if id(ruleset) in seen_rulesets:
            continue
        seen_rulesets.add(id(ruleset))
        for rule in ruleset.rules:
            if rule.expression is not None:
                yield rule.expression
            yield from rule.value_expressions
    for zone in configuration.zones:
        for item in zone.filters:
            if item.expression is not None:
                yield item.expression
        for rule in zone.firewall_rules:
            if rule.filter is not None and rule.filter.expression is not None:
                yield rule.filter.expression


class Stages:
    def __init__(self, profile: int):
        self.rows: list[tuple[str, float, float, str]] = []
        self.profile = profile
        self.profiles: list[tuple[str, str]] = []

    def run(self, name: str, fn, note: str = ""):
        profiler = cProfile.Profile() if self.profile else None
        start = time.perf_counter()
        try:
            if profiler:
                profiler.enable()
            result = fn()
        except NotImplementedError as error:
            result = None
            note = f"not available ({error or 'NotImplementedError'})"
        except Exception as error:  # a failing stage must not hide the others
            result = None
            note = f"failed: {type(error).__name__}: {error}"[:200]
        finally:
            if profiler:
                profiler.disable()
        elapsed = time.perf_counter() - start
        self.rows.append((name, elapsed, peak_rss_mb(), note))
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(self.profile)
            self.profiles.append((name, out.getvalue()))
        return result

    def table(self, rules: int, markdown: bool) -> str:
        total = sum(r[1] for r in self.rows) or 1.0
        head = ["stage", "seconds", "share", "µs/rule", "peak RSS MB", "note"]
        rows = [[name, f"{sec:.3f}", f"{100 * sec / total:.0f}%", f"{1e6 * sec / max(rules, 1):.0f}",
                 f"{rss:.0f}", note] for name, sec, rss, note in self.rows]
        rows.append(["total", f"{total:.3f}", "100%", f"{1e6 * total / max(rules, 1):.0f}", "", ""])
        if markdown:
            return "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
                             + ["| " + " | ".join(r) + " |" for r in rows])
        widths = [max(len(x) for x in col) for col in zip(head, *rows)]
        return "\n".join("  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip() for r in [head, *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="inputs, as given to `rulelint check`")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="show the top N functions per stage")
    parser.add_argument("--cold-analyse", action="store_true", help="empty the parse cache before analysing")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    args = parser.parse_args(argv)

    stages = Stages(args.profile)

    def do_import():
        import rulelint.pipeline.engine  # noqa: F401
        import rulelint.language  # noqa: F401
        import rulelint.model  # noqa: F401
        import rulelint.readers  # noqa: F401
        import rulelint.reports  # noqa: F401

    stages.run("import", do_import)

    from rulelint import language
    from rulelint.pipeline import engine
    from rulelint.readers import read_paths

    read = stages.run("read", lambda: read_paths(args.paths))
    if read is None:
        print(stages.table(0, markdown=False))
        return 1
    configuration = read.configuration
    rule_count = sum(len(rs.rules) for z in configuration.zones for rs in z.rulesets)
    rule_count += sum(len(z.page_rules) + len(z.firewall_rules) for z in configuration.zones)
    exprs = list(expressions(configuration))
    distinct = len({(e.text, e.context) for e in exprs if not e.unresolved})

    def do_parse():
        if hasattr(language.parse, "cache_clear"):
            language.parse.cache_clear()
        bad = 0
        for expression in exprs:
            if expression.unresolved:
                continue
            bad += not language.parse(expression.text, expression.context).ok
        return bad

    # The CLI's garbage-collector settings: reading runs with the collector off (``read_paths``
    # does that itself); parsing and checking with the model frozen and the collector off.
    def paused(stage):
        def run():
            with engine.collector_paused():
                return stage()
        return run

    invalid = stages.run("parse", paused(do_parse),
                         note=f"{len(exprs)} expressions, {distinct} distinct")

    def do_analyse():
        if args.cold_analyse and hasattr(language.parse, "cache_clear"):
            language.parse.cache_clear()
        return engine.run_checks(configuration)

    findings = stages.run("analyse", paused(do_analyse),
                          note="parse cache emptied first" if args.cold_analyse else "parse cache warm")
    findings = list(read.findings) + list(findings or [])

    def do_report():
        from rulelint.reports import Report, render
        from rulelint.pipeline.catalogue import catalogue

        report = Report(findings=findings, files=list(configuration.files), rule_count=rule_count,
                        checks=catalogue())
        return len(render("json", report))

    size = stages.run("report", do_report, note=f"{len(findings)} findings")

    header = (f"{', '.join(args.paths)}: {len(configuration.zones)} zones, {rule_count} rules, "
              f"{len(exprs)} expressions ({distinct} distinct, {invalid if invalid is not None else '?'} "
              f"with errors), {len(findings)} findings, JSON report {size or 0} bytes")
    print(header)
    print(stages.table(rule_count, markdown=False))
    for name, text in stages.profiles:
        print(f"\n--- {name}: top functions by own time ---\n{text}")
    if args.markdown:
        Path(args.markdown).write_text(f"{header}\n\n{stages.table(rule_count, markdown=True)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
