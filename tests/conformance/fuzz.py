"""A fuzzing campaign: generated, mutated and hostile expressions, rulelint against the engine.

Each expression is parsed by rulelint (which must never raise) and judged by the oracle; the
campaign counts crashes and verdicts that differ outside the reviewed exceptions (the entries
and shapes of grammars/conformance-exceptions.md) and the open bugs of verdicts.py.

Run it on its own, at any size, with the report the docs quote::

    python -m tests.conformance.fuzz 20000

``test_fuzz.py`` runs it in the suite: CI-sized by default, larger with
``RULELINT_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis import seed as hypothesis_seed

from rulelint.language import parse

from .cases import exceptions, reviewed_shape
from .generators import filter_expression, hostile_expression, mutation
from .oracle import INVALID, VALID, oracle_error, oracle_verdict
from .verdicts import known_bug_shape

DEFAULT_EXAMPLES = 400


def examples_from_environment(default: int = DEFAULT_EXAMPLES) -> int:
    """``RULELINT_FUZZ_EXAMPLES`` when set (the nightly size), else ``default`` (the CI size)."""
    value = os.environ.get("RULELINT_FUZZ_EXAMPLES", "")
    return int(value) if value.isdigit() and int(value) > 0 else default


@dataclass
class Campaign:
    expressions: int = 0
    crashes: list[tuple[str, str]] = field(default_factory=list)
    reviewed: Counter = field(default_factory=Counter)
    disagreements: list[tuple[str, str, str, str]] = field(default_factory=list)
    families: Counter = field(default_factory=Counter)

    @property
    def judged(self) -> int:
        """Expressions outside the reviewed exceptions: the denominator of the rate."""
        return self.expressions - sum(self.reviewed.values())

    @property
    def disagreement_rate(self) -> float:
        return len(self.disagreements) / self.judged if self.judged else 0.0

    def record(self, family: str, text: str) -> None:
        self.expressions += 1
        self.families[family] += 1
        try:
            parsed = parse(text)  # parse keeps no memo: every expression is parsed afresh
            ours = VALID if parsed.ok else INVALID
        except Exception:  # noqa: BLE001 - counting crashes is the point
            self.crashes.append((text, traceback.format_exc(limit=3)))
            return
        internal = [d.message for d in parsed.diagnostics if d.code == "internal-error"]
        if internal:  # the parser's safety net caught an exception: still a crash
            self.crashes.append((text, internal[0]))
            return
        listed = exceptions().get((text, "filter"))
        reason = ("listed" if listed is not None else None) or reviewed_shape(text) or known_bug_shape(text)
        if reason is not None or not text.strip():
            self.reviewed[reason or "blank"] += 1
            return
        theirs = oracle_verdict(text)
        if ours != theirs:
            errors = "; ".join(d.message for d in parsed.diagnostics if d.severity == "error")
            self.disagreements.append((text, ours, theirs, errors or (oracle_error(text) or "")))

    def report(self) -> str:
        lines = [
            f"expressions: {self.expressions:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(self.families.items()))})",
            f"crashes: {len(self.crashes)}",
            f"reviewed exceptions: {sum(self.reviewed.values()):,} ({', '.join(f'{k} {v:,}' for k, v in self.reviewed.most_common())})",
            f"disagreements outside them: {len(self.disagreements)} of {self.judged:,} "
            f"({self.disagreement_rate:.3%})",
        ]
        for text, ours, theirs, detail in self.disagreements[:20]:
            lines.append(f"  rulelint {ours}, engine {theirs}: {text[:160]!r} -- {detail[:160]}")
        for text, trace in self.crashes[:5]:
            lines.append(f"  CRASH {text[:160]!r}\n{trace}")
        return "\n".join(lines)


FAMILIES = ("generated", "mutated", "hostile", "hostile")


def run(examples: int, seed: int = 0) -> Campaign:
    """Draw ``examples`` expressions (generated, mutated and hostile) and judge each."""
    campaign = Campaign()
    filters = filter_expression()  # built once: building a recursive strategy is the slow part
    hostile = hostile_expression(filters)

    @settings(max_examples=examples, derandomize=seed == 0, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.data())
    def one(data):
        family = data.draw(st.sampled_from(FAMILIES))
        if family == "generated":
            text = data.draw(filters)
        elif family == "mutated":
            text = data.draw(mutation(data.draw(filters)))
        else:
            text = data.draw(hostile)
        campaign.record(family, text)

    if seed:
        one = hypothesis_seed(seed)(one)  # another sample of the same distribution
    one()
    return campaign


def main(argv: list[str]) -> int:
    """``python -m tests.conformance.fuzz [EXAMPLES [SEED]]``"""
    examples = int(argv[0]) if argv else examples_from_environment()
    started = time.process_time()
    campaign = run(examples, int(argv[1]) if len(argv) > 1 else 0)
    print(campaign.report())
    print(f"CPU time: {time.process_time() - started:.0f} s")
    return 1 if campaign.crashes else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
