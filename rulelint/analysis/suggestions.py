"""Suggestions shared by the exception checks: a source restriction for exactly the
alternatives that lack one, a method when the rule says which, a narrower set of skipped
managed rules, and for a legacy Firewall Rule the custom-rule skip it migrates to. Every
expression goes through ``narrowing.checked_suggestion`` and every set of skipped managed
rules through ``parameters_narrower``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .zone_facts import ZoneFacts

import re
from typing import Sequence

from . import narrowing
from ..findings import Suggestion
from ..language import ast, print_expression
from .exemptions import (
    CURRENT_PRODUCTS,
    CUSTOM_PHASE,
    MANAGED_PHASE,
    OWASP_ANOMALY_RULE,
    Exemption,
    join_words,
)
from .scope import classify

_METHOD = re.compile(r"\b(POST|PUT|PATCH|DELETE|GET)\b")
# The suffix Cloudflare requires last in an account-level WAF rule expression:
# ``( … ) and cf.zone.plan eq "ENT"`` (ruleset-engine/managed-rulesets/create-exception).
ACCOUNT_SUFFIX = ast.Comparison(ast.Field("cf.zone.plan"), "eq", ast.StringLit(b"ENT"))
# Why a prefix exception can still match more than the prefix (rules/normalization).
NORMALIZATION_NOTE = (
    'URL normalization in its default RFC 3986 mode keeps "\\", so a prefix can still match '
    "paths the origin resolves elsewhere"
)
MIGRATION_NOTE = (
    "Firewall Rules are no longer supported since 2025-06-15: migrate this rule to a custom "
    f"rule with action skip in phase {CUSTOM_PHASE} and these action_parameters"
)


def source_for(facts: ZoneFacts, exemption: Exemption) -> tuple[ast.Node, str]:
    """The source conjunct to add, and the note that goes with it: an IP list the zone already
    exempts elsewhere (never one it blocks or challenges) whose name shares a word with the
    rule's description, addresses the zone's IP Access allow rules name with a shared word, or
    a new list named after the rule. Never a source the scope analysis counts as none."""
    keywords = set(narrowing.words(exemption.description))
    if keywords:
        found = facts.list_sharing_a_word(keywords)
        if found is not None:
            name, word = found
            return narrowing.source_in_list(name), (
                f'the zone already uses the IP list ${name} as an allowlist in an exception, and its name '
                f'shares the word "{word}" with this rule; confirm it holds exactly the clients of '
                "this endpoint, or create a list for them"
            )
        addresses = facts.allowed_addresses(keywords)
        if addresses:
            node = narrowing.source_in_addresses(addresses)
            if classify(node).kind == "source":
                return node, (
                    "these addresses come from IP Access allow rules of the zone whose notes share "
                    "a word with this rule; confirm they are the only clients of this endpoint"
                )
    name = narrowing.list_name(exemption.description, exemption.rule_ref, exemption.rule_id)
    return narrowing.source_in_list(name), (
        f"create the IP list ${name} with the addresses of the clients this rule is for (a "
        "partner's published ranges, your office or CI egress) before deploying this expression"
    )


def method_for(exemption: Exemption) -> str | None:
    """The HTTP method the rule's description names (``POST`` in "webhook POST bodies")."""
    found = _METHOD.findall(exemption.description)
    return found[0] if len(set(found)) == 1 else None


# -- action_parameters ----------------------------------------------------------------------------


def skipped_rulesets(facts: ZoneFacts, exemption: Exemption) -> list[str] | None:
    """The deployed managed rulesets a skip turns off whole (``phases`` with the managed phase,
    ``ruleset: "current"`` in the managed phase: the rulesets executed after it, ``rulesets``),
    or None when it turns off no managed ruleset whole."""
    params = getattr(exemption.rule, "skip", None)
    if params is None or exemption.legacy:
        return None
    account = exemption.account_level
    deployed = facts.account_managed_rulesets if account else facts.deployed_managed_rulesets
    out: list[str] = []
    if MANAGED_PHASE in params.phases:
        out.extend(deployed)
    if params.ruleset == "current" and exemption.phase == MANAGED_PHASE and exemption.ruleset is not None:
        rules = exemption.ruleset.rules
        position = next((i for i, rule in enumerate(rules) if rule is exemption.rule), len(rules))
        for later in rules[position + 1 :]:
            execute = later.execute
            if later.action == "execute" and later.enabled and execute and execute.id in deployed:
                out.append(execute.id)
    out.extend(params.rulesets)
    unique = list(dict.fromkeys(out))
    return unique or None


def parameters_narrower(facts: ZoneFacts, exemption: Exemption, params: dict) -> bool:
    """Whether suggested skip parameters turn off only part of what the original does: whole
    rulesets it skipped, or known rule ids of rulesets it skipped, never the OWASP
    anomaly-score rule (which switches off all OWASP blocking)."""
    skipped = skipped_rulesets(facts, exemption) or []
    owners = facts.managed_rule_owners(exemption.account_level)
    if "rulesets" in params:
        return bool(params["rulesets"]) and set(params["rulesets"]) <= set(skipped)
    if "rules" in params:
        return bool(params["rules"]) and all(
            ruleset_id in skipped
            and ids
            and all(owners.get(rule_id) == ruleset_id and rule_id != OWASP_ANOMALY_RULE for rule_id in ids)
            for ruleset_id, ids in params["rules"].items()
        )
    return False


def narrowed_parameters(facts: ZoneFacts, exemption: Exemption) -> tuple[dict | None, str | None]:
    """Narrower ``action_parameters`` for a skip whose broad part is managed rules: the known
    rule ids the description names, else the managed rulesets the zone actually deploys
    instead of the whole phase. Each proven by ``parameters_narrower``."""
    params = getattr(exemption.rule, "skip", None)
    if params is not None and params.products and not exemption.legacy:
        return acting_products(facts, exemption)
    skipped = skipped_rulesets(facts, exemption)
    if skipped is None:
        return None, None
    managed_only_phase = params.phases == [MANAGED_PHASE] and params.ruleset is None
    current_in_managed = params.ruleset == "current" and exemption.phase == MANAGED_PHASE and not params.phases
    whole_rulesets = bool(params.rulesets) and not params.phases and params.ruleset is None
    if not (managed_only_phase or current_in_managed or whole_rulesets):
        return None, None  # the rule skips more than managed rules: narrowing would drop that
    where = (
        ""
        if exemption.phase == MANAGED_PHASE
        else f" as a managed-rules exception in phase {MANAGED_PHASE}, placed before its execute rule"
    )
    level = "account-level " if exemption.account_level else ""
    deployer = "the account" if exemption.account_level else "this zone"
    named = facts.named_managed_rules(exemption.description, exemption.account_level)
    anomaly = any(OWASP_ANOMALY_RULE in ids for ids in named.values())
    named = {
        ruleset_id: [rule_id for rule_id in ids if rule_id != OWASP_ANOMALY_RULE]
        for ruleset_id, ids in named.items()
        if ruleset_id in skipped
    }
    named = {ruleset_id: ids for ruleset_id, ids in named.items() if ids}
    anomaly_note = (
        f"do not skip the OWASP anomaly-score rule {OWASP_ANOMALY_RULE}: it switches off all "
        "OWASP blocking; skip the rules that misfire instead"
        if anomaly
        else None
    )
    candidates: list[tuple[dict, str]] = []
    if named:
        candidates.append(({"rules": named}, f"skip only the {level}managed rules the description names{where}"))
    whole = set(params.rulesets)
    narrower = [ruleset_id for ruleset_id in skipped if ruleset_id not in whole]
    if narrower and (managed_only_phase or current_in_managed):
        candidates.append(
            (
                {"rulesets": narrower},
                f"skip the managed rulesets {deployer} deploys{where}; better still, only the "
                "rule ids that misfire (Security Events shows them)",
            )
        )
    for candidate, note in candidates:
        if parameters_narrower(facts, exemption, candidate):
            return candidate, "; ".join(n for n in (anomaly_note, note) if n)
    return None, anomaly_note


def acting_products(facts: ZoneFacts, exemption: Exemption) -> tuple[dict | None, str | None]:
    """A products-only skip without the products that do nothing (``waf`` on a new-WAF zone,
    ``rateLimit``): the same protection off, a smaller rule to read. None when every product
    acts, or the rule skips more than products."""
    params = exemption.rule.skip
    if params.ruleset or params.phases or params.rulesets or params.rules:
        return None, None
    new_waf = bool(facts.deployed_managed_rulesets)
    acting = [p for p in params.products if p in CURRENT_PRODUCTS or (p == "waf" and not new_waf)]
    if not acting or len(acting) == len(params.products):
        return None, None
    dropped = [p for p in params.products if p not in acting]
    verb = "it does" if len(dropped) == 1 else "they do"
    return {"products": acting}, f"drop {join_words(dropped)}: {verb} nothing here"


def migrated_parameters(facts: ZoneFacts, exemption: Exemption) -> dict | None:
    """The custom-rule skip equivalent to a legacy Firewall Rule (firewall-rules-upgrade):
    ``products`` for ``bypass`` (only those that still act), ``ruleset: "current"`` for
    ``allow``."""
    rule = exemption.rule
    if rule.action == "allow":
        return {"ruleset": "current"}
    new_waf = bool(facts.deployed_managed_rulesets)
    products = [
        product
        for product in rule.products
        if product in CURRENT_PRODUCTS or (product == "waf" and not new_waf)
    ]
    return {"products": products} if products else None


# -- the replacement --------------------------------------------------------------------------


def suggestion(
    facts: ZoneFacts,
    exemption: Exemption,
    tree: ast.Node,
    select,
    *,
    replace_paths: bool,
    add_method: bool,
    narrow_parameters: bool,
) -> Suggestion | None:
    """The complete replacement for ``exemption``: its expression with the selected top-level
    alternatives narrowed, and narrower parameters when asked (a legacy Firewall Rule always
    gets the custom-rule parameters it migrates to). None when nothing can be proven."""
    source, source_note = source_for(facts, exemption)
    method = method_for(exemption) if add_method else None
    notes: list[str] = []

    def add(index: int, item: ast.Node) -> Sequence[ast.Node]:
        extra: list[ast.Node] = []
        sub = facts.exemption_scope(exemption, item)
        if method and not any(d.has_method for d in sub.disjuncts):
            extra.append(narrowing.method_is(method))
        if not all(d.has_source for d in sub.disjuncts):
            extra.append(source)
        return extra

    text, new_tree = _narrowed_text(facts, exemption, tree, select, add, replace_paths)
    params_note = None
    if exemption.legacy:
        params = migrated_parameters(facts, exemption)
        params_note = MIGRATION_NOTE if params is not None else None
    elif narrow_parameters:
        params, params_note = narrowed_parameters(facts, exemption)
    elif getattr(exemption.rule, "skip", None) is not None and exemption.rule.skip.products:
        params, params_note = acting_products(facts, exemption)
    else:
        params = None
    if text is None and params is None:
        return None
    if text is not None:
        nodes = list(ast.walk(new_tree))
        if _contains(nodes, source):
            notes.append(source_note)
        if method and _contains(nodes, narrowing.method_is(method)):
            notes.append(f"confirm the endpoint only ever receives {method}")
        if replace_paths:
            notes.extend(_path_notes(tree, nodes))
    if params_note:
        notes.append(params_note)
    return Suggestion(expression=text, action_parameters=params, note="; ".join(notes) or None)


def _narrowed_text(facts, exemption, tree, select, add, replace_paths) -> tuple[str | None, ast.Node]:
    """The narrowed expression's text (None when not proven) and tree. An account-level rule
    keeps the form Cloudflare requires: the narrowed condition in parentheses, then
    ``and cf.zone.plan eq "ENT"`` last."""
    inner = account_condition(tree) if exemption.account_level else None
    if inner is None:
        new_tree = narrowing.narrow(tree, select, add, replace_paths=replace_paths)
        return narrowing.checked_suggestion(tree, new_tree, facts.proofs), new_tree
    new_inner = narrowing.narrow(inner, select, add, replace_paths=replace_paths)
    if narrowing.checked_suggestion(inner, new_inner, facts.proofs) is None:
        return None, new_inner
    new_tree = ast.Logical("and", (ast.Group(new_inner), ACCOUNT_SUFFIX))
    try:
        text = print_expression(new_tree)
    except Exception:  # a printer bug must never turn a suggestion into a traceback
        return None, new_tree
    return (text if narrowing.verified(text) is not None else None), new_tree


def account_condition(tree: ast.Node) -> ast.Node | None:
    """The custom part of ``( … ) and cf.zone.plan eq "ENT"`` (None for other shapes)."""
    parts = narrowing.conjuncts(tree)
    if len(parts) < 2 or narrowing.strip_groups(parts[-1]) != ACCOUNT_SUFFIX:
        return None
    return narrowing.all_of(parts[:-1]) if len(parts) > 2 else parts[0]


def _contains(nodes: list[ast.Node], node: ast.Node) -> bool:
    """Whether one of ``nodes`` equals ``node`` (only nodes of its class can)."""
    kind = type(node)
    return any(type(n) is kind and n == node for n in nodes)


def _path_notes(old: ast.Node, new_nodes: list[ast.Node]) -> list[str]:
    """What to confirm for each ``contains`` the suggestion made exact or a prefix (``new_nodes``:
    every node of the suggested tree)."""
    from .scope import literal_text

    notes = []
    for node in ast.walk(old):
        stronger = narrowing.stronger_path_atom(node)
        if stronger is None or _contains(new_nodes, node):
            continue
        path = literal_text(node.rhs)
        if isinstance(stronger, ast.Call):
            notes.append(f'confirm every path this rule is for starts with "{path}"; {NORMALIZATION_NOTE}')
        else:
            notes.append(f'confirm "{path}" is the whole path, not part of a longer one')
    return notes


def select_all(index: int, item: ast.Node) -> bool:
    return True


def broad_replacement(facts: ZoneFacts, exemption: Exemption, tree: ast.Node) -> Suggestion | None:
    """The replacement for an exemption that is broad (``ZoneFacts.is_broad``): the broad
    alternatives narrowed (exact paths, the method, a source), a source added to every
    alternative without one, and the skipped managed rules narrowed when what is skipped is
    broad."""
    inner = account_condition(tree) if exemption.account_level else None
    items = narrowing.top_level_disjuncts(inner if inner is not None else tree)
    chosen = set()
    for index, item in enumerate(items):
        scope = facts.exemption_scope(exemption, item)
        if scope.broad() or scope.unscoped():
            chosen.add(index)
    return suggestion(
        facts,
        exemption,
        tree,
        lambda index, item: index in chosen,
        replace_paths=True,
        add_method=True,
        narrow_parameters=exemption.broad_skip,
    )
