"""shadowed-rule: a rule that never runs for any request it matches, because an earlier rule of
the same ruleset matches every one of those requests first and ends the evaluation (``block``,
the challenge family, a skip of ``ruleset: "current"`` or ``phase: "current"``).

Coverage is proved by the implication engine of ``analysis.narrowing`` (``is_narrower``); where
it cannot prove it, nothing is reported. The earlier rule is the finding's related location.
See docs/checks/shadowed-rule.md.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Iterable

from ..analysis.rule_order import TERMINATING_ACTIONS, shadowed_rules
from ..findings import Finding, Related, Suggestion
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Origin, Rule, Zone


class ShadowedRule(Check):
    id = "shadowed-rule"
    severity = "error"
    summary = "A rule never runs: an earlier rule that ends evaluation matches every request it matches."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        rulesets = [*zone.rulesets, *(zone.account_rulesets if zone.account_scope else [])]
        for ruleset in rulesets:
            for shadow in shadowed_rules(ruleset, ctx.parser):
                earlier, later = shadow.earlier, shadow.later
                # A security rule (block, challenge, execute) silenced by an exception is an
                # error; a rule repeated behind one that already acts is dead weight.
                silenced = earlier.action == "skip" and (
                    later.action in TERMINATING_ACTIONS or later.action == "execute"
                )
                cover = "exactly the same requests as this one" if shadow.identical else "every request this one matches"
                message = (
                    f"{_subject(later)} never runs: the earlier rule {_name(earlier)} "
                    f"({earlier.action}, {_where(earlier.origin)}) matches {cover}, and {shadow.why}."
                )
                yield Finding(
                    self.id,
                    "error" if silenced else "warning",
                    message,
                    ctx.expression_location(later.expression, None, zone, later.id, later.ref),
                    _fix(earlier, later, shadow.identical, silenced) if ctx.suggestions else None,
                    later.expression.text,
                    (
                        Related(
                            f"the earlier rule that ends evaluation: {_subject(earlier)}",
                            ctx.location(earlier.origin, zone, earlier.id, earlier.ref),
                        ),
                    ),
                )


def _name(rule: Rule) -> str:
    return f'"{rule.description}"' if rule.description else rule.ref or rule.id or "(unnamed)"


def _subject(rule: Rule) -> str:
    return f"Rule {_name(rule)} ({rule.action})"


def _where(origin: Origin) -> str:
    """``api.json:12:9``: a position short enough for a message (the file's name only)."""
    return f"{PurePath(origin.file).name}:{origin.line}:{origin.column}"


def _fix(earlier: Rule, later: Rule, identical: bool, silenced: bool) -> Suggestion:
    if identical and earlier.action == later.action:
        note = "delete the later copy: the earlier rule already does the same for the same requests"
    elif silenced:
        note = (
            f"move this rule above the rule {_name(earlier)} if it must apply to these requests too, "
            "or narrow the earlier exception so that it leaves them out"
        )
    else:
        note = (
            f"move this rule above the rule {_name(earlier)} if its action must win, or delete it: "
            "as placed it never acts"
        )
    return Suggestion(note=note)
