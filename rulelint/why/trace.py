"""What ``rulelint why`` found: one ``Step`` per rule or feature it considered, in the order
Cloudflare runs them, and the ``Verdict``. Plain data: ``render`` turns it into text or JSON
(docs/why.md documents the JSON shape, which is ``as_dict`` of these classes)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Outcomes of a step.
MATCHED, NOT_MATCHED, UNKNOWN, SKIPPED, DISABLED, NOT_REACHED = (
    "matched", "not matched", "unknown", "skipped", "disabled", "not reached",
)
# Outcomes of the verdict.
BLOCKED, CHALLENGED, ORIGIN, UNDECIDED = "blocked", "challenged", "reaches the origin", "undecided"

TERMINATING = {
    "block": BLOCKED,
    "challenge": CHALLENGED,
    "js_challenge": CHALLENGED,
    "managed_challenge": CHALLENGED,
    "jschallenge": CHALLENGED,
    "managedchallenge": CHALLENGED,
}


@dataclass
class Step:
    """One rule or feature considered for the request."""

    stage: str  # a phase name, or "ip_access_rules", "zone_lockdown", "ua_blocking", "bot_fight_mode", …
    subject: str  # what was considered, in words: 'rule "Block admin" (3f2a…)'
    outcome: str  # MATCHED | NOT_MATCHED | UNKNOWN | SKIPPED | DISABLED | NOT_REACHED
    effect: str = ""  # what it does to the request: "terminates: block", "skips phase …", "counts"
    action: str | None = None
    rule_id: str | None = None
    ruleset_id: str | None = None
    location: str | None = None  # file:line:column where the rule is written
    failed_condition: str | None = None  # for a non-match: the first condition that is false
    depends_on: list[str] = field(default_factory=list)  # for an unknown: what it depends on
    expression: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    outcome: str  # BLOCKED | CHALLENGED | ORIGIN | UNDECIDED
    summary: str  # one sentence
    stage: str | None = None
    rule_id: str | None = None
    step: int | None = None  # index of the deciding step in Trace.steps
    # Rules that would act if what they depend on holds: (step index, what it depends on).
    possible: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)


@dataclass
class ProposedException:
    """The narrowest exception for a blocked request, proven (see ``exception.py``)."""

    phase: str
    kind: str  # "managed-exception" | "custom-rule-change" | "custom-skip"
    rule: dict[str, Any]  # the rule as the Rulesets API takes it
    terraform: str | None
    terraform_version: str | None  # "v4" | "v5" | None
    placement: str
    proof: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Trace:
    request: dict[str, Any]
    zone: str | None  # None: the configuration's only zone, which names none
    steps: list[Step] = field(default_factory=list)
    verdict: Verdict | None = None
    exception: ProposedException | None = None
    blocked_by: str | None = None
    blocked_in: str | None = None  # the managed ruleset id Security Events gives with blocked_by
    event: dict[str, Any] | None = None  # the Security Events record the request came from
    notes: list[str] = field(default_factory=list)

    def add(self, step: Step) -> int:
        self.steps.append(step)
        return len(self.steps) - 1

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of ``rulelint why --format json`` (docs/why.md)."""
        out = asdict(self)
        out["version"] = 1
        return {"version": 1, **{k: v for k, v in out.items() if k != "version"}}
