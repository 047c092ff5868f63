"""ineffective-exception: a skip rule that skips nothing, wholly or in part: an option that is
not valid in its phase, a managed-rules exception placed after the execute rule it is meant
for, a previous-version product that no longer runs, a skip of Super Bot Fight Mode on a zone
that runs Bot Fight Mode, a managed rule id listed under a ruleset it does not belong to.

The analysis lives in ``analysis.skip_effect`` (other exception checks ask it whether a rule
skips nothing at all). Disabled rules are not judged. See docs/checks/ineffective-exception.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..analysis.skip_effect import why_ineffective
from ..findings import Finding, Related, Suggestion
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone


class IneffectiveException(Check):
    id = "ineffective-exception"
    severity = "error"
    summary = "A skip rule skips nothing: an option invalid in its phase, or what it skips does not run after it."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        rulesets = [*zone.rulesets, *(zone.account_rulesets if zone.account_scope else [])]
        for ruleset in rulesets:
            for rule in ruleset.rules:
                found = why_ineffective(rule, ruleset, zone)
                if found is None:
                    continue
                name = f'"{rule.description}"' if rule.description else rule.ref or rule.id or "(unnamed)"
                subject = f"Skip rule {name}" if found.skips_nothing else f"Part of skip rule {name}"
                message = f"{subject} skips nothing: {'; '.join(found.reasons)}."
                fix = None
                if ctx.suggestions:
                    fix = Suggestion(action_parameters=found.action_parameters, note="; ".join(found.fixes))
                where = rule.field_origins.get("action_parameters", rule.origin)
                yield Finding(
                    self.id,
                    "error" if found.skips_nothing else "warning",
                    message,
                    ctx.location(where, zone, rule.id, rule.ref),
                    fix,
                    rule.expression.text if rule.expression else None,
                    tuple(
                        Related(
                            "the execute rule this exception is placed after",
                            ctx.location(execute.origin, zone, execute.id, execute.ref),
                        )
                        for execute in found.executes
                    ),
                )
