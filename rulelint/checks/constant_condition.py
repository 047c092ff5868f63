"""constant-condition: a comparison whose result cannot vary on Cloudflare today
(``cf.threat_score``, which is always 0; a lowercase method; a path without its leading ``/`` or
with a ``?``; ``ip.src in {}``), making a rule dead or an exception always on.

Error when the constants decide the whole rule (it never matches, or matches every request);
warning otherwise. One finding per rule, at its first constant condition. The replacement is
the expression with the conditions fixed (a rule that is not an exception: the method
uppercased, the ``/`` added) or removed (an exception: proved to match no request the original
did not, given the constants). See docs/checks/constant-condition.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from ..analysis import narrowing
from ..analysis.constant_conditions import ConstantAtom, constant_atoms, fold, rewrite, substitute
from ..analysis.wording import join_words
from ..findings import Finding, Suggestion
from ..language import ast
from .base import Check, CheckContext
from ..model.names import object_name

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, Zone

EXCEPTION_ACTIONS = frozenset({"skip", "allow", "bypass"})


class ConstantCondition(Check):
    id = "constant-condition"
    severity = "error"
    summary = "A condition cannot vary on Cloudflare today, so a rule never matches or always does."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        for subject, action, expression, rule_id, rule_ref in _rules(zone):
            tree = ctx.parser.tree(expression)
            if tree is None:
                continue
            atoms = constant_atoms(tree)
            if not atoms:
                continue
            whole = fold(tree, {id(a.node): a.value for a in atoms})
            said = join_words(
                [f"`{_printed(a.node)}` {'always holds' if a.value else 'never holds'} ({a.why})" for a in atoms]
            )
            if whole is False:
                effect = ", so the rule never matches any request"
            elif whole is True:
                effect = ", so the rule matches every request"
            else:
                effect = ""
            yield self.finding(
                "error" if whole is not None else "warning",
                f"{subject}: {said}{effect}.",
                ctx.expression_location(expression, atoms[0].node.span, zone, rule_id, rule_ref),
                _replacement(tree, atoms, action in EXCEPTION_ACTIONS, whole, ctx.proofs) if ctx.suggestions else None,
                expression.text,
            )


def _rules(zone: Zone) -> Iterator[tuple[str, str, Expression, str | None, str | None]]:
    """(subject, action, expression, id, ref) of every enabled rule with a condition."""
    rulesets = [*zone.rulesets, *(zone.account_rulesets if zone.account_scope else [])]
    for ruleset in rulesets:
        if ruleset.kind == "managed":
            continue
        for rule in ruleset.rules:
            if rule.enabled and rule.expression is not None:
                yield f"Rule {object_name(rule)} ({rule.action})", rule.action, rule.expression, rule.id, rule.ref
    for rule in zone.firewall_rules:
        if not rule.paused and rule.filter is not None and rule.filter.expression is not None:
            yield f"Firewall Rule {object_name(rule)} (action {rule.action})", rule.action, rule.filter.expression, rule.id, None


def _printed(node: ast.Node) -> str:
    from ..language import print_expression

    try:
        return print_expression(node)
    except Exception:  # a printer fault must not hide the finding
        return "a condition"


def _replacement(
    tree: ast.Node, atoms: list[ConstantAtom], exception: bool, whole: bool | None, proofs: dict
) -> Suggestion | None:
    """An exception loses its constant conditions (it matches the same requests, proved by the
    implication engine against the original with the constants written in); another rule gets
    them fixed where the author's intent is plain, removed otherwise."""
    constants = {id(a.node): ast.BoolConst(a.value) for a in atoms}
    if exception:
        if whole is not None:
            return None  # nothing would remain but true or false
        new_tree = rewrite(tree, constants)
        text = _verified_text(new_tree)
        if text is None:
            return None
        with_constants = substitute(tree, constants)
        if not narrowing.is_narrower(with_constants, narrowing.verified(text).tree):
            return None
        return Suggestion(
            expression=text,
            note="the same exception without the conditions that cannot vary: it matches the same requests",
        )
    fixes = {id(a.node): a.fixed for a in atoms if a.fixed is not None}
    new_tree = rewrite(tree, {**constants, **fixes})
    if isinstance(new_tree, ast.BoolConst):
        return None
    text = _verified_text(new_tree)
    if text is None:
        return None
    notes = []
    if fixes:
        notes.append("the conditions written as Cloudflare sees the request; confirm this is what the rule is for")
    if len(fixes) < len(atoms):
        notes.append("the conditions that cannot vary are removed")
    return Suggestion(expression=text, note="; ".join(notes))


def _verified_text(node: ast.Node) -> str | None:
    from ..language import print_expression

    try:
        text = print_expression(node)
    except Exception:
        return None
    return text if narrowing.verified(text) is not None else None

