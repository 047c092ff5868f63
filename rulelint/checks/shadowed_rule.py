"""shadowed-rule: a rule that never runs for any request it matches, because an earlier rule of
the same ruleset matches every one of those requests first and ends the evaluation (``block``,
the challenge family, a skip of ``ruleset: "current"`` or ``phase: "current"``).

Coverage is proved by the implication engine of ``analysis.narrowing`` (``is_narrower``); where
it cannot prove it, nothing is reported. One finding per earlier rule (the cause): it points at the first
rule it shadows, and names the earlier rule and any other shadowed rules as related locations.
A rule whose action its phase does not take is left to ``invalid-rule``.
See docs/checks/shadowed-rule.md.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Iterable

from ..analysis.rule_order import TERMINATING_ACTIONS, Shadowing, shadowed_rules
from ..findings import Finding, Related, Suggestion
from ..model.names import object_name
from ..model.phases import phase_table
from .base import Check, CheckContext
from ..analysis.wording import join_words

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Origin, Rule, Zone


class ShadowedRule(Check):
    id = "shadowed-rule"
    severity = "error"
    summary = "A rule never runs: an earlier rule that ends evaluation matches every request it matches."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        rulesets = [*zone.rulesets, *(zone.account_rulesets if zone.account_scope else [])]
        for ruleset in rulesets:
            info = phase_table().phases.get(ruleset.phase or "")
            by_earlier: dict[int, list[Shadowing]] = {}
            for shadow in shadowed_rules(ruleset, ctx.parser):
                if info is not None and info.actions is not None and shadow.later.action not in info.actions:
                    continue  # an action the phase does not take: invalid-rule reports the rule
                by_earlier.setdefault(id(shadow.earlier), []).append(shadow)
            # One finding per earlier rule (the cause), however many rules it shadows.
            for shadows in by_earlier.values():
                yield self._finding(shadows, zone, ctx)

    def _finding(self, shadows: list[Shadowing], zone: Zone, ctx: CheckContext) -> Finding:
        first, earlier = shadows[0], shadows[0].earlier
        # A security rule (block, challenge, execute) silenced by an exception is an error; a
        # rule repeated behind one that already acts is dead weight.
        silenced = earlier.action == "skip" and any(
            s.later.action in TERMINATING_ACTIONS or s.later.action == "execute" for s in shadows
        )
        cause = f"the earlier rule {_name(earlier)} ({earlier.action}, {_where(earlier.origin)})"
        if len(shadows) == 1:
            cover = "exactly the same requests as this one" if first.identical else "every request this one matches"
            message = f"{_subject(first.later)} never runs: {cause} matches {cover}, and {first.why}."
        else:
            message = (
                f"{len(shadows)} rules never run: {cause} matches every request each of them matches, "
                f"and {first.why}: {join_words(_subject(s.later) for s in shadows)}."
            )
        related = [
            Related(
                f"the earlier rule that ends evaluation: {_subject(earlier)}",
                ctx.location(earlier.origin, zone, earlier.id, earlier.ref),
            ),
            *(
                Related(
                    f"also never runs: {_subject(s.later)}",
                    ctx.expression_location(s.later.expression, None, zone, s.later.id, s.later.ref),
                )
                for s in shadows[1:]
            ),
        ]
        later = first.later
        return Finding(
            self.id,
            "error" if silenced else "warning",
            message,
            ctx.expression_location(later.expression, None, zone, later.id, later.ref),
            _fix(shadows, silenced) if ctx.suggestions else None,
            later.expression.text,
            tuple(related),
        )


def _name(rule: Rule) -> str:
    return object_name(rule)


def _subject(rule: Rule) -> str:
    return f"Rule {_name(rule)} ({rule.action})"


def _where(origin: Origin) -> str:
    """``api.json:12:9``: a position short enough for a message (the file's name only)."""
    return f"{PurePath(origin.file).name}:{origin.line}:{origin.column}"


def _fix(shadows: list[Shadowing], silenced: bool) -> Suggestion:
    earlier = shadows[0].earlier
    if len(shadows) == 1 and shadows[0].identical and earlier.action == shadows[0].later.action:
        note = "delete the later copy: the earlier rule already does the same for the same requests"
    elif len(shadows) == 1 and silenced:
        note = (
            f"move this rule above the rule {_name(earlier)} if it must apply to these requests too, "
            "or narrow the earlier exception so that it leaves them out"
        )
    elif len(shadows) == 1:
        note = (
            f"move this rule above the rule {_name(earlier)} if its action must win, or delete it: "
            "as placed it never acts"
        )
    elif silenced:
        note = (
            f"move these rules above the rule {_name(earlier)} if they must apply to these requests "
            "too, or narrow the earlier exception so that it leaves them out"
        )
    else:
        note = (
            f"move these rules above the rule {_name(earlier)} if their actions must win, or delete "
            "them: as placed they never act"
        )
    return Suggestion(note=note)
