"""managed-rules-coverage: the zone's WAF Managed Rules do not run, run for part of the
traffic only, or run with their rules turned off.

- No enabled ``execute`` of the Cloudflare Managed Ruleset (on a Free plan: or the Free
  Managed Ruleset) in the zone's managed phase or in an account ruleset that runs on it:
  error (warning when no managed-phase ruleset was among the inputs, saying what was assumed).
- An ``execute`` of it whose expression leaves traffic out: warning, naming the hosts left out.
- Ruleset-level overrides ``enabled: false`` or ``action: "log"``: error (nothing is blocked).
- Rule- and category-level disables and log-only overrides: warning, counted.
- The OWASP anomaly-score rule disabled or set to log: error (an exception that skips it is broad-skip's; OWASP
  then blocks nothing).

Facts: ``cloudflare-facts.md`` ("Managed rulesets", "OWASP", "The skip
action"). See docs/checks/managed-rules-coverage.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ..analysis.exemptions import MANAGED_PHASE, traffic_words
from ..analysis.wording import join_words
from ..analysis.managed_rulesets import (
    FREE_MANAGED_RULESET,
    MANAGED_RULESET,
    OWASP_ANOMALY_RULE,
    OWASP_RULESET,
    Execution,
    core_rulesets,
    executions,
    is_free,
    ruleset_name,
    switched_off,
    zone_entry_points,
)
from ..analysis.narrowing import all_of, strip_groups
from ..analysis.scope import analyse_scope, base_field, conjuncts
from ..findings import Suggestion
from ..language import ast
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding, Location
    from ..model import Rule, Zone

# OWASP paranoia levels 2-4 are categories the dashboard disables to choose level 1: that is
# the default, not a rule turned off.
_PARANOIA_ABOVE_ONE = re.compile(r"^paranoia-level-[2-4]$")


class ManagedRulesCoverage(Check):
    id = "managed-rules-coverage"
    severity = "error"
    summary = "WAF Managed Rules do not run, run for part of the traffic only, or run with rules turned off."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        runs = executions(zone)
        if zone.account_scope is None:
            core = [e for e in runs if e.managed_id in core_rulesets(zone.plan)]
            if not core:
                finding = self._missing(zone, ctx, runs)
                if finding is not None:
                    yield finding
            else:
                finding = self._partial(zone, ctx, core)
                if finding is not None:
                    yield finding
        for execution in runs:
            yield from self._overrides(zone, ctx, execution)

    # -- no execute ------------------------------------------------------------------------------

    def _missing(self, zone: Zone, ctx: CheckContext, runs: list[Execution]) -> Finding | None:
        entry_points = zone_entry_points(zone)
        unreadable = [u for u in zone.unreadable if u.what == f"rulesets:{MANAGED_PHASE}"]
        if any(u.status != 404 for u in unreadable) or any(not r.rules_complete for r in entry_points):
            return None  # not read: unreadable-part says so; rulelint cannot tell
        if not entry_points and not unreadable:
            return None  # the managed phase is not among the inputs: nothing to judge
        paid = zone.plan is not None and not is_free(zone.plan)
        only_free = paid and any(e.managed_id == FREE_MANAGED_RULESET for e in runs)
        if not paid:
            message = (
                "No enabled execute rule runs the Cloudflare Managed Ruleset or the Free Managed "
                "Ruleset on this zone: no Cloudflare-maintained WAF rule inspects its requests"
            )
        elif only_free:
            message = (
                "No enabled execute rule runs the Cloudflare Managed Ruleset on this zone; it runs "
                "only the Free Managed Ruleset"
            )
        else:
            message = (
                "No enabled execute rule runs the Cloudflare Managed Ruleset on this zone: no "
                "Cloudflare-maintained WAF rule inspects its requests"
            )
        if not ctx.configuration.accounts:
            message += " (account-level rulesets were not among the inputs: assumed none runs it)"
        location = self._anchor(zone, ctx, entry_points, unreadable)
        if location is None:
            return None
        fix = None
        if ctx.suggestions:
            # Without a known paid plan, the ruleset every plan can run.
            ruleset_id = MANAGED_RULESET if paid else FREE_MANAGED_RULESET
            note = (
                f"add an execute rule in phase {MANAGED_PHASE} that runs the "
                f"{ruleset_name(ruleset_id)} for every request"
            )
            if not paid:
                note += f" (on a paid plan, the Cloudflare Managed Ruleset, {MANAGED_RULESET}, instead)"
            note += "; put exceptions for rules that misfire before it (skip rules naming the rule ids)"
            fix = Suggestion(expression="true", action_parameters={"id": ruleset_id}, note=note)
        return self.finding("warning" if only_free else "error", message + ".", location, fix)

    def _anchor(self, zone: Zone, ctx: CheckContext, entry_points, unreadable) -> Location | None:
        """Where a finding about something missing points: the managed-phase entry point, else
        the bundle's record that the phase is absent, else the zone's first object."""
        if entry_points:
            return ctx.location(entry_points[0].origin, zone, entry_points[0].id)
        if unreadable and unreadable[0].origin is not None:
            return ctx.location(unreadable[0].origin, zone)
        if zone.rulesets:
            return ctx.location(zone.rulesets[0].origin, zone, zone.rulesets[0].id)
        from ..model.kinds import zone_objects

        for _kind, item in zone_objects(zone):
            origin = getattr(item, "origin", None)
            if origin is not None:
                return ctx.location(origin, zone, getattr(item, "id", None))
        return None

    # -- part of the traffic -----------------------------------------------------------------

    def _partial(self, zone: Zone, ctx: CheckContext, core: list[Execution]) -> Finding | None:
        facts = ctx.facts(zone)
        trees = []
        for execution in core:
            tree = _on_this_zone(facts.tree(execution.rule.expression))
            if tree is None:
                return None  # cannot tell what it covers: stay silent
            if facts.scope(tree).always_true:
                return None
            trees.append(tree)
        left_over = analyse_scope(ast.Not(ast.Group(_any_of([_ne_as_not_eq(t) for t in trees]))))
        if left_over.never_matches or not left_over.complete:
            return None
        scopes = [facts.scope(tree) for tree in trees]
        hosts_out = [
            host for host in facts.hostnames
            if not any(_may_cover_host(d, host) for scope in scopes for d in scope.disjuncts)
        ]
        first = core[0]
        name = ruleset_name(first.managed_id or "")
        message = f"The {name} runs only for {_coverage_words(scopes, core)}"
        if hosts_out:
            message += f"; requests to {join_words(hosts_out)} are never inspected by it."
        else:
            message += "; every other request is never inspected by it."
        fix = None
        if ctx.suggestions:
            fix = Suggestion(
                expression="true",
                note=(
                    "run the ruleset for every request; keep the narrower scope only for the "
                    "overrides that need it (a second execute rule), and write exceptions for "
                    "the rules that misfire instead of leaving traffic out"
                ),
            )
        rule = first.rule
        return self.finding(
            "warning",
            message,
            ctx.location(rule.field_origins.get("expression", rule.origin), zone, rule.id, rule.ref),
            fix,
            rule.expression.text if rule.expression is not None else None,
        )

    # -- overrides -----------------------------------------------------------------------------

    def _overrides(self, zone: Zone, ctx: CheckContext, execution: Execution) -> Iterable[Finding]:
        rule = execution.rule
        params = rule.execute
        name = ruleset_name(execution.managed_id or "")
        location = ctx.location(rule.field_origins.get("action_parameters", rule.origin), zone, rule.id, rule.ref)
        text = rule.expression.text if rule.expression is not None else None
        traffic = self._traffic(zone, ctx, rule)
        if switched_off(rule):
            if params.enabled is False:
                message = (
                    f"The execute rule of the {name} turns every rule of the ruleset off "
                    f"(overrides enabled: false) for {traffic}"
                )
                rules_on = [o for o in params.rules if o.enabled is True]
                categories_on = [c for c in params.categories if c.enabled is True]
                kept = [_count(len(rules_on), "rule")] if rules_on else []
                kept += [_count(len(categories_on), "category", "categories")] if categories_on else []
                message += f", re-enabling only {join_words(kept)}." if kept else "."
            else:
                message = (
                    f"The execute rule of the {name} sets every rule of the ruleset to log only "
                    f'(overrides action: "log") for {traffic}: it blocks nothing.'
                )
            fix = None
            if ctx.suggestions:
                fix = Suggestion(
                    note=(
                        "remove the ruleset-level override; disable or log only the rules that "
                        "misfire (rule overrides), or better write an exception for their traffic"
                    ),
                )
            yield self.finding("error", message, location, fix, text)
            return
        anomaly = [o for o in params.rules if o.id == OWASP_ANOMALY_RULE and (o.enabled is False or o.action == "log")]
        if execution.managed_id == OWASP_RULESET and anomaly:
            how = "off" if anomaly[0].enabled is False else "to log only"
            message = (
                f"The execute rule of the {name} sets the anomaly-score rule "
                f"{OWASP_ANOMALY_RULE}, the rule that blocks, {how}: OWASP blocks nothing for "
                f"{traffic}."
            )
            fix = None
            if ctx.suggestions:
                fix = Suggestion(
                    note=(
                        "remove the override of the anomaly-score rule; to make OWASP less strict "
                        "raise its score threshold or lower the paranoia level, and skip the rules "
                        "that misfire on one endpoint with an exception"
                    ),
                )
            yield self.finding("error", message, location, fix, text)
        disabled = [o for o in params.rules if o.enabled is False and o.id != OWASP_ANOMALY_RULE]
        logged = [o for o in params.rules if o.enabled is not False and o.action == "log" and o.id != OWASP_ANOMALY_RULE]
        categories_off = [
            c for c in params.categories
            if c.enabled is False and not (execution.managed_id == OWASP_RULESET and _PARANOIA_ABOVE_ONE.match(c.category))
        ]
        categories_logged = [c for c in params.categories if c.enabled is not False and c.action == "log"]
        parts = []
        if disabled:
            parts.append(f"turns {_count(len(disabled), 'rule')} off")
        if categories_off:
            parts.append(f"turns {_count(len(categories_off), 'category', 'categories')} off ({', '.join(c.category for c in categories_off)})")
        if logged:
            parts.append(f"sets {_count(len(logged), 'rule')} to log only")
        if categories_logged:
            parts.append(
                f"sets {_count(len(categories_logged), 'category', 'categories')} to log only "
                f"({', '.join(c.category for c in categories_logged)})"
            )
        if parts:
            message = f"The execute rule of the {name} {join_words(parts)}, for {traffic}."
            fix = None
            if ctx.suggestions:
                fix = Suggestion(
                    note=(
                        "an override applies to all the traffic the execute rule matches; where a "
                        "rule misfires on one endpoint, remove the override and write an exception "
                        "(a skip rule before the execute rule) naming the rule ids for that "
                        "endpoint and its clients"
                    ),
                )
            yield self.finding("warning", message, location, fix, text)

    def _traffic(self, zone: Zone, ctx: CheckContext, rule: Rule) -> str:
        facts = ctx.facts(zone)
        tree = facts.tree(rule.expression)
        if tree is None:
            return "the traffic its expression matches"
        scope = facts.scope(tree)
        if scope.always_true or not scope.disjuncts:
            return "every request"
        return traffic_words(scope.disjuncts[0])


def _on_this_zone(tree: ast.Node | None) -> ast.Node | None:
    """The expression with its zone conditions (``cf.zone.name eq …`` and the like, top-level
    conjuncts) dropped: an account rule linked to this zone meets them here. None when a zone
    condition sits deeper (rulelint cannot tell what it leaves out) or the tree is None."""
    if tree is None:
        return None
    kept = [item for item in conjuncts(tree) if not _is_zone_condition(item)]
    if any(isinstance(node, ast.Field) and node.name.startswith("cf.zone.") for item in kept for node in ast.walk(item)):
        return None
    return all_of(kept) if len(kept) != len(conjuncts(tree)) else tree


def _ne_as_not_eq(node: ast.Node) -> ast.Node:
    """``a ne b`` written ``not a eq b``, at every depth, so that the scope analysis sees that
    ``http.host eq "x"`` and ``http.host ne "x"`` leave nothing out between them."""
    if isinstance(node, ast.Comparison) and node.op == "ne":
        return ast.Not(ast.Comparison(node.lhs, "eq", node.rhs))
    if isinstance(node, ast.Logical):
        return ast.Logical(node.op, tuple(_ne_as_not_eq(item) for item in node.items))
    if isinstance(node, ast.Group):
        return ast.Group(_ne_as_not_eq(node.inner))
    if isinstance(node, ast.Not):
        return ast.Not(_ne_as_not_eq(node.operand))
    return node


def _is_zone_condition(node: ast.Node) -> bool:
    node = strip_groups(node)
    return isinstance(node, ast.Comparison) and (base_field(node.lhs) or "").startswith("cf.zone.")


def _coverage_words(scopes: list, core: list[Execution]) -> str:
    """The traffic the ``execute`` rules match, in words when each alternative names a host or
    a path (at most three), else their expressions as written."""
    disjuncts = [d for scope in scopes for d in scope.disjuncts]
    if 0 < len(disjuncts) <= 3 and all(d.host or d.path for d in disjuncts):
        return " or ".join(traffic_words(d, with_source=False) for d in disjuncts)
    texts = [e.rule.expression.text for e in core if e.rule.expression is not None]
    shown = " or ".join(f"`{_shortened(text)}`" for text in texts[:2])
    return f"requests matching {shown}" + (f" and {len(texts) - 2} more" if len(texts) > 2 else "")


def _shortened(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _runs(rule: Rule, ruleset_id: str) -> bool:
    return rule.action == "execute" and rule.enabled and rule.execute is not None and rule.execute.id == ruleset_id


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def _any_of(trees: list[ast.Node]) -> ast.Node:
    return trees[0] if len(trees) == 1 else ast.Logical("or", tuple(ast.Group(t) for t in trees))


def _may_cover_host(disjunct, host: str) -> bool:
    """Whether a disjunct could match requests to ``host``: False only when it names its hosts
    exactly (``http.host eq``/``in``) and ``host`` is not one of them."""
    for condition in disjunct.host:
        node = condition.node
        if condition.negated or not isinstance(node, ast.Comparison):
            continue
        if node.op == "eq" and isinstance(node.rhs, ast.StringLit):
            names = {node.rhs.value.decode("utf-8", "replace").lower()}
        elif node.op == "in" and isinstance(node.rhs, ast.ListLit):
            names = {i.value.decode("utf-8", "replace").lower() for i in node.rhs.items if isinstance(i, ast.StringLit)}
        else:
            continue
        if host not in names:
            return False
    return True
