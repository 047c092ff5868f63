"""Suggestions shared by the exception checks: a source restriction for exactly the
alternatives that lack one, a method when the rule says which, and a narrower set of
skipped managed rules. Every expression goes through ``narrowing.checked_suggestion``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .zone_facts import ZoneFacts

import re
from typing import Sequence

from . import narrowing
from ..findings import Suggestion
from ..language import ast
from .exemptions import MANAGED_PHASE, Exemption

_METHOD = re.compile(r"\b(POST|PUT|PATCH|DELETE|GET)\b")


def source_for(facts: ZoneFacts, exemption: Exemption) -> tuple[ast.Node, str]:
    """The source conjunct to add, and the note that goes with it: an IP list already used
    by the zone for the same partner, addresses an IP Access Rule allows for it, or a new list
    named after the rule."""
    keywords = set(narrowing.words(exemption.description))
    if keywords:
        name = facts.list_sharing_a_word(keywords)
        if name is not None:
            return narrowing.source_in_list(name), (
                f"the zone already uses the IP list ${name} for this partner; confirm it holds "
                "every address that must reach this endpoint"
            )
        addresses = facts.allowed_addresses(keywords)
        if addresses:
            return narrowing.source_in_addresses(addresses), (
                "these addresses come from the zone's IP Access Rules for this partner; confirm "
                "they are the only clients of this endpoint"
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


def narrowed_parameters(facts: ZoneFacts, exemption: Exemption) -> tuple[dict | None, str | None]:
    """Narrower ``action_parameters`` for a skip whose only broad part is managed rules:
    the named rules when the description names them, else the managed rulesets the zone
    actually deploys instead of the whole phase."""
    params = getattr(exemption.rule, "skip", None)
    if params is None or params.products:
        return None, None
    managed_only_phase = params.phases == [MANAGED_PHASE] and params.ruleset is None
    current_in_managed = params.ruleset == "current" and exemption.phase == MANAGED_PHASE and not params.phases
    whole_rulesets = bool(params.rulesets) and not params.phases and params.ruleset is None
    if not (managed_only_phase or current_in_managed or whole_rulesets):
        return None, None
    named = facts.named_managed_rules(exemption.description)
    where = (
        ""
        if exemption.phase == MANAGED_PHASE
        else f" as a managed-rules exception in phase {MANAGED_PHASE}, placed before its execute rule"
    )
    if named:
        return {"rules": named}, f"skip only the managed rules the description names{where}"
    if managed_only_phase or current_in_managed:
        deployed = facts.deployed_managed_rulesets
        if deployed:
            return {"rulesets": list(deployed)}, (
                f"skip the managed rulesets this zone deploys{where}; better still, only the rule "
                "ids that misfire (Security Events shows them)"
            )
    return None, None


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
    alternatives narrowed, and narrower parameters when asked. None when it cannot be proven."""
    source, source_note = source_for(facts, exemption)
    method = method_for(exemption) if add_method else None
    notes: list[str] = []

    def add(index: int, item: ast.Node) -> Sequence[ast.Node]:
        extra: list[ast.Node] = []
        sub = facts.scope(item)
        if method and not any(d.has_method for d in sub.disjuncts):
            extra.append(narrowing.method_is(method))
        if not all(d.has_source for d in sub.disjuncts):
            extra.append(source)
        return extra

    new_tree = narrowing.narrow(tree, select, add, replace_paths=replace_paths)
    text = narrowing.checked_suggestion(tree, new_tree, facts.proofs)
    params, params_note = narrowed_parameters(facts, exemption) if narrow_parameters else (None, None)
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
            notes.append(f'confirm every path this rule is for starts with "{path}"')
        else:
            notes.append(f'confirm "{path}" is the whole path, not part of a longer one')
    return notes


def select_all(index: int, item: ast.Node) -> bool:
    return True



def broad_replacement(facts: ZoneFacts, exemption: Exemption, tree: ast.Node) -> Suggestion | None:
    """The replacement for an exemption that is broad (``ZoneFacts.is_broad``): the broad
    alternatives narrowed (exact paths, the method, a source) and the skipped managed rules
    narrowed when what is skipped is broad."""
    broad_items = {
        index for index, item in enumerate(narrowing.top_level_disjuncts(tree)) if facts.scope(item).broad()
    }
    return suggestion(
        facts,
        exemption,
        tree,
        lambda index, item: index in broad_items,
        replace_paths=True,
        add_method=True,
        narrow_parameters=exemption.broad_skip,
    )
