"""invalid-rule: a rule Cloudflare does not accept where it stands.

The language layer checks each expression on its own; this check reads the rule around it
against the table of phases (``grammars/phases.json``, loaded by ``model.phases``) and the
field table: an unknown phase, action, skip product or Page Rule setting (always an error,
with the closest known name); a misspelt ``action_parameters`` key or Configuration Rules
setting (an error only when it is close to a known one: Cloudflare adds keys, and a key
rulelint does not know may be new); a parameter, ``ratelimit`` or ``logging`` the rule's
phase or action does not take; a field its phase does not have (error); a Bot Management
field on a zone whose bot settings show it has no Bot Management (warning; silent when the
input has no bot settings). A rule whose phase is unknown is judged only on what does not
depend on the phase, so one typo gives one finding. See docs/checks/invalid-rule.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, Rule, Ruleset, Zone
    from ..model.phases import PhaseTable
    from ..findings import Location

from ..findings import Finding
from ..language import ast
from ..language.tables import fields
from ..model.phases import phase_table
from ..analysis.wording import join_words
from ..records import Record, record, set_field
from .base import Check, CheckContext

CUSTOM_PHASE = "http_request_firewall_custom"
RATELIMIT_PHASE = "http_ratelimit"
# Phases whose "stage" says which fields exist there (logging and network phases are not judged).
_JUDGED_STAGES = ("request", "response")
# Keys of the bot_management object only a zone with Bot Management (Enterprise add-on) has,
# and keys only the Free (Bot Fight Mode) and Pro/Business (Super Bot Fight Mode) shapes have.
_BOT_MANAGEMENT_KEYS = frozenset({"auto_update_model", "suppress_session_score", "bm_cookie_enabled"})
_WITHOUT_BOT_MANAGEMENT_KEYS = frozenset(
    {"fight_mode", "sbfm_definitely_automated", "sbfm_likely_automated", "sbfm_verified_bots"}
)
_BOT_MANAGEMENT_FIELD = "Bot Management add-on"  # how fields.json says a field needs it
BOT_MANAGEMENT = "Bot Management (an Enterprise add-on)"
# Cloudflare's plans, lowest first, by the first word of a zone's plan as exported
# ("enterprise", "Pro Website"…), and how fields.json says a field needs one.
_PLANS = ("free", "pro", "business", "enterprise")
_PLAN_NEEDS = (("Enterprise", 3), ("Business plan or above", 2), ("Pro plan or above", 1))
_CLOSE = 0.75  # how alike a name must be to a known one to be called its misspelling


class InvalidRule(Check):
    id = "invalid-rule"
    severity = "error"
    security = False  # a rule Cloudflare refuses or ignores, not a hole in what it enforces
    summary = (
        "A rule Cloudflare does not accept where it stands: unknown action, phase, product, setting "
        "or parameter, or a field its phase lacks."
    )

    def finding(self, severity, message, location, suggestion=None, expression=None) -> Finding:
        """Every message is one sentence: a question when it ends in a did-you-mean."""
        if not message.endswith(("?", ".")):
            message += "."
        return super().finding(severity, message, location, suggestion, expression)

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        table = phase_table()
        has = Entitlements(_has_bot_management(zone), _plan_rank(zone.plan))
        first_zones = self._first_zones(ctx)
        here = _zone_key(zone)
        for ruleset in [*zone.rulesets, *zone.account_rulesets]:
            if ruleset.kind == "managed":  # Cloudflare's own rules: not the user's to fix
                continue
            phase = ruleset.phase
            # An account rule linked to several zones is analysed in each; what does not depend
            # on the zone is reported in the first of them only.
            repeated = ruleset.account_level and first_zones.get(_origin_key(ruleset.origin), here) != here
            if phase is not None and phase not in table.phases:
                if not repeated:
                    yield self._unknown_phase(ruleset, zone, ctx, table)
                phase = None  # not judged on what depends on the phase: one typo, one finding
            for rule in ruleset.rules:
                repeated = ruleset.account_level and first_zones.get(_origin_key(rule.origin), here) != here
                yield from self._rule(rule, phase, zone, ctx, table, has, repeated)
        for page_rule in zone.page_rules:
            for action in page_rule.actions:
                if action.id in table.page_rule_actions:
                    continue
                message = f'"{action.id}" is not a Page Rule setting{_did_you_mean(action.id, table.page_rule_actions)}'
                yield self.finding(
                    "error", message, ctx.location(action.origin or page_rule.origin, zone, page_rule.id)
                )

    def _first_zones(self, ctx: CheckContext) -> dict[tuple, tuple]:
        """Where each account rule and ruleset linked to zones is first linked: origin -> zone
        key, worked out once per run (the check instance lives for one run)."""
        cached = getattr(self, "_first_zones_cache", None)
        if cached is not None and cached[0] is ctx.configuration:
            return cached[1]
        first: dict[tuple, tuple] = {}
        for zone in ctx.configuration.zones:
            for ruleset in zone.account_rulesets:
                first.setdefault(_origin_key(ruleset.origin), _zone_key(zone))
                for rule in ruleset.rules:
                    first.setdefault(_origin_key(rule.origin), _zone_key(zone))
        self._first_zones_cache = (ctx.configuration, first)
        return first

    def _unknown_phase(self, ruleset: Ruleset, zone: Zone, ctx: CheckContext, table: PhaseTable) -> Finding:
        message = f'phase "{ruleset.phase}" is not a Cloudflare phase{_did_you_mean(ruleset.phase, tuple(table.phases))}'
        return self.finding("error", message, ctx.location(ruleset.origin, zone))

    def _rule(
        self, rule: Rule, phase: str | None, zone: Zone, ctx: CheckContext, table: PhaseTable,
        has: Entitlements, repeated: bool = False,
    ) -> Iterator[Finding]:
        if repeated:  # reported in another zone already: only what depends on this zone
            for expression in (rule.expression, rule.counting_expression, *rule.value_expressions):
                if expression is not None and not expression.unresolved:
                    yield from self._fields(expression, rule, None, zone, ctx, table, has)
            return

        def at(name: str):
            return ctx.location(rule.field_origins.get(name, rule.origin), zone, rule.id, rule.ref)

        info = table.phases.get(phase) if phase is not None else None
        action = rule.action
        if action and action not in table.actions:
            candidates = tuple(info.actions) if info is not None and info.actions else tuple(table.actions)
            message = f'action "{action}" is not a rule action{_did_you_mean(action, candidates)}'
            yield self.finding("error", message, at("action"))
            action = ""  # its parameters cannot be judged
        elif action and info is not None and info.actions is not None and action not in info.actions:
            homes = [name for name, other in table.phases.items() if other.actions and action in other.actions]
            where = f"; it belongs in {join_words(homes, 'or')}" if homes else ""
            yield self.finding("error", f'action "{action}" is not available in phase {phase}{where}', at("action"))
            action = ""
        if action:
            yield from self._parameters(rule, action, phase, lambda: at("action_parameters"), table)
        if phase is not None and rule.ratelimit and not (info is not None and info.ratelimit):
            message = f"ratelimit is only valid in rate limiting rules (phase {RATELIMIT_PHASE}), not in phase {phase}"
            yield self.finding("error", message, ctx.location(rule.origin, zone, rule.id, rule.ref))
        logging = rule.raw.get("logging")
        if rule.action in table.actions and rule.action != "skip" and isinstance(logging, (dict, list)) and logging:
            message = f"logging is only valid on skip rules, not on a {rule.action} rule"
            yield self.finding("error", message, ctx.location(rule.origin, zone, rule.id, rule.ref))
        for expression in (rule.expression, rule.counting_expression, *rule.value_expressions):
            if expression is not None and not expression.unresolved:
                yield from self._fields(expression, rule, phase, zone, ctx, table, has)

    def _parameters(
        self, rule: Rule, action: str, phase: str | None, location: Callable[[], Location], table: PhaseTable
    ) -> Iterator[Finding]:
        """``location`` is called only for a finding: placing a rule's parameters reads its
        object's text, which most rules never need."""
        keys = table.parameter_keys(phase, action)
        everywhere = table.actions.get(action)
        if keys is not None:
            for key, value in rule.action_parameters.items():
                if key in keys or value in (None, [], {}, ""):  # plans list every attribute, unset ones empty
                    continue
                if everywhere is not None and key in everywhere:
                    homes = [name for name, info in table.phases.items() if key in info.parameters.get(action, ())]
                    where = f" (only in {join_words(homes, 'or')})" if homes else ""
                    message = f'{action} parameter "{key}" is not valid in phase {phase}{where}'
                    yield self.finding("error", message, location())
                    continue
                close = _closest(key, tuple(keys))
                if close is not None:
                    what = "a Configuration Rules setting" if action == "set_config" else f"a {action} parameter"
                    yield self.finding("error", f'"{key}" is not {what}; did you mean {close}?', location())
        skip = rule.skip
        if action != "skip" or skip is None:
            return
        products = {name.lower(): name for name in table.skip_products}
        for product in skip.products:
            if product.lower() not in products:  # the API writes camelCase, provider v4 lower case
                message = f'"{product}" is not a product a skip can turn off{_did_you_mean(product, table.skip_products)}'
                yield self.finding("error", message, location())
        info = table.phases.get(phase) if phase is not None else None
        for skipped in skip.phases:
            if skipped not in table.phases:
                message = f'skip phase "{skipped}" is not a Cloudflare phase{_did_you_mean(skipped, tuple(table.phases))}'
                yield self.finding("error", message, location())
            elif info is not None and info.skippable_phases is not None and skipped not in info.skippable_phases:
                message = (f"a skip in phase {phase} cannot skip phase {skipped}; "
                           f"it can skip {join_words(info.skippable_phases, 'or')}")
                yield self.finding("error", message, location())

    def _fields(
        self, expression: Expression, rule: Rule, phase: str | None, zone: Zone, ctx: CheckContext,
        table: PhaseTable, has: Entitlements,
    ) -> Iterator[Finding]:
        info = table.phases.get(phase) if phase is not None else None
        judge_phase = info is not None and info.stage in _JUDGED_STAGES
        if not judge_phase and not has.known:
            return
        tree = ctx.parsed(expression).tree
        if tree is None:
            return
        known = fields()
        seen: set[str] = set()
        # (what is needed, why the zone lacks it) -> the fields: one warning per cause.
        lacking: dict[tuple[str, str], list[ast.Field]] = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Field) or node.name in seen or node.name not in known:
                continue
            seen.add(node.name)
            field = known[node.name]
            message = None
            if judge_phase and field.phases is not None and phase not in field.phases:
                message = f"{node.name} is not available in phase {phase}; it exists only in {join_words(field.phases, 'or')}"
            elif judge_phase and field.scope == "response" and info.stage == "request":
                message = (f"{node.name} is a response field, not available in request phase {phase}; "
                           f"response phases: {join_words(table.phases_at('response'), 'or')}")
            else:
                missing = has.lacks(field.availability)
                if missing is not None:
                    lacking.setdefault(missing, []).append(node)
            if message is not None:
                location = ctx.expression_location(expression, node.span, zone, rule.id, rule.ref)
                yield self.finding("error", message, location, expression=expression.text)
        for (needed, reason), nodes in lacking.items():
            names = join_words(node.name for node in nodes)
            message = f"{names} {'needs' if len(nodes) == 1 else 'need'} {needed}; {reason}"
            location = ctx.expression_location(expression, nodes[0].span, zone, rule.id, rule.ref)
            yield self.finding("warning", message, location, expression=expression.text)


@record
class Entitlements(Record):
    """What the input says the zone has: Bot Management (from the shape of its bot settings)
    and its plan (rank in ``_PLANS``); None where the input does not say."""

    bot_management: bool | None
    plan: int | None

    def __init__(self, bot_management: bool | None, plan: int | None) -> None:
        set_field(self, "bot_management", bot_management)
        set_field(self, "plan", plan)

    @property
    def known(self) -> bool:
        return self.bot_management is False or self.plan is not None

    def lacks(self, availability: str) -> tuple[str, str] | None:
        """(what a field with this availability needs, why the zone lacks it), or None when
        the zone has it or the input does not say."""
        plan_words = f"this zone is on the {_PLANS[self.plan].capitalize()} plan" if self.plan is not None else ""
        if _BOT_MANAGEMENT_FIELD in availability:
            if self.bot_management is False:
                return BOT_MANAGEMENT, "this zone's bot settings show it has none"
            if self.plan is not None and self.plan < len(_PLANS) - 1:
                return BOT_MANAGEMENT, plan_words
            return None
        needed = next((rank for words, rank in _PLAN_NEEDS if words in availability), None)
        if needed is None or self.plan is None or self.plan >= needed:
            return None
        above = "" if needed == len(_PLANS) - 1 else " or above"
        return f"the {_PLANS[needed].capitalize()} plan{above}", plan_words


def _plan_rank(plan: str | None) -> int | None:
    words = (plan or "").lower().split()
    return _PLANS.index(words[0]) if words and words[0] in _PLANS else None


def _zone_key(zone: Zone) -> tuple:
    return zone.id, zone.name, zone.account_scope


def _origin_key(origin) -> tuple:
    return origin.file, origin.line, origin.column, origin.pointer, origin.address


def _has_bot_management(zone: Zone) -> bool | None:
    """Whether the zone has Bot Management, from the shape of its bot settings (the endpoint
    answers with a different set of keys per plan); None when the input does not say."""
    settings = zone.bot_management
    if settings is None:
        return None
    keys = set(settings.raw)
    if keys & _BOT_MANAGEMENT_KEYS:
        return True
    if keys & _WITHOUT_BOT_MANAGEMENT_KEYS:
        return False
    return None


def _closest(name: str, candidates: tuple[str, ...]) -> str | None:
    import difflib  # only a misspelt name needs it: not imported by every run

    found = difflib.get_close_matches(name, candidates, n=1, cutoff=_CLOSE)
    if not found:  # a different case only ("Waf"): the lower-case forms decide
        lowered = {candidate.lower(): candidate for candidate in candidates}
        found = [lowered[hit] for hit in difflib.get_close_matches(name.lower(), tuple(lowered), n=1, cutoff=_CLOSE)]
    return found[0] if found else None


def _did_you_mean(name: str, candidates: tuple[str, ...]) -> str:
    close = _closest(name, candidates)
    return f"; did you mean {close}?" if close else ""


