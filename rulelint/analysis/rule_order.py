"""What the order of a ruleset's rules decides: which rules end the evaluation of the rules
after them, and which ``execute`` rules come after a given rule.

Cloudflare evaluates a phase's rules in order. A terminating action (``block`` and the
challenge family) stops the evaluation of every later rule for the requests it matches
(ruleset-engine/rules-language/actions); a ``skip`` with ``ruleset: "current"`` skips the
remaining rules of the ruleset, and ``phase: "current"`` those of the phase
(waf/custom-rules/skip/options). A later rule whose every request an earlier such rule already
matches never runs: ``shadowed-rule`` reports it. A managed-rules exception only affects the
``execute`` rules listed after it: ``ineffective-exception`` asks which those are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .narrowing import NormalForm, is_narrower, normal_form

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Rule, Ruleset
    from .expressions import ExpressionParser

# Actions that stop the evaluation of the remaining rules for a request they match.
TERMINATING_ACTIONS = frozenset({"block", "challenge", "js_challenge", "managed_challenge"})
# Phases whose rules are evaluated in order with these actions: the WAF request phases that
# hold custom rules and managed-rules exceptions (rate limiting rules act only past a rate).
ORDERED_PHASES = frozenset({"http_request_firewall_custom", "http_request_firewall_managed"})


def ends_evaluation(rule: Rule) -> str | None:
    """Why ``rule`` stops the rules after it for the requests it matches, in words, or None."""
    if rule.action in TERMINATING_ACTIONS:
        return f"its action {rule.action} ends the evaluation of the rules after it"
    if rule.action != "skip" or rule.skip is None:
        return None
    if rule.action_parameters.get("phase") == "current":
        return 'it skips every remaining rule of the phase (phase: "current")'
    if rule.skip.ruleset == "current":
        return 'it skips the remaining rules of the ruleset (ruleset: "current")'
    return None


@dataclass(frozen=True)
class Shadowing:
    """``later`` never runs: every request it matches, ``earlier`` matches first."""

    earlier: Rule
    later: Rule
    why: str  # ends_evaluation(earlier)
    identical: bool  # the two conditions match the same requests


def shadowed_rules(ruleset: Ruleset, parser: ExpressionParser) -> Iterator[Shadowing]:
    """Each enabled rule of ``ruleset`` that an earlier enabled rule provably shadows (the
    first such earlier rule). Where the implication engine cannot decide, nothing is said."""
    if ruleset.phase not in ORDERED_PHASES or ruleset.kind == "managed":
        return
    enders: list[tuple[Rule, NormalForm, str]] = []
    for rule in ruleset.rules:
        if not rule.enabled:
            continue
        tree = parser.tree(rule.expression)
        if tree is None:
            continue
        why = ends_evaluation(rule)
        if not enders and why is None:
            continue
        form = normal_form(tree)  # once per rule: each is compared with every earlier ender
        for earlier, earlier_form, earlier_why in enders:
            if is_narrower(earlier_form, form):
                yield Shadowing(earlier, rule, earlier_why, is_narrower(form, earlier_form))
                break
        if why is not None:
            enders.append((rule, form, why))


def executes_after(ruleset: Ruleset, rule: Rule) -> list[Rule]:
    """The enabled ``execute`` rules listed after ``rule`` in ``ruleset``."""
    later = False
    found: list[Rule] = []
    for item in ruleset.rules:
        if item is rule:
            later = True
        elif later and item.action == "execute" and item.enabled:
            found.append(item)
    return found


def executes_before(ruleset: Ruleset, rule: Rule) -> list[Rule]:
    """The enabled ``execute`` rules listed before ``rule`` in ``ruleset``."""
    found: list[Rule] = []
    for item in ruleset.rules:
        if item is rule:
            break
        if item.action == "execute" and item.enabled:
            found.append(item)
    return found
