"""Suggestions shared by the exception checks: a source restriction for exactly the
alternatives that lack one, a method when the rule says which, and a narrower set of
skipped managed rules. Every expression goes through ``narrowing.checked_suggestion``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone

import ipaddress
import re
from typing import Sequence

from .. import narrowing
from ..findings import Suggestion
from ..language import ast
from ..scope import IP_FIELDS, analyse_scope, base_field
from ._exceptions import MANAGED_PHASE, Exemption, deployed_managed_rulesets, named_managed_rules

_METHOD = re.compile(r"\b(POST|PUT|PATCH|DELETE|GET)\b")


def source_for(zone: Zone, exemption: Exemption) -> tuple[ast.Node, str]:
    """The source conjunct to add, and the note that goes with it: an IP list already used
    by the zone for the same partner, addresses an IP Access Rule allows for it, or a new list
    named after the rule."""
    keywords = set(narrowing.words(exemption.description))
    if keywords:
        for name in _named_lists(zone):
            if keywords & set(name.split("_")):
                return narrowing.source_in_list(name), (
                    f"the zone already uses the IP list ${name} for this partner; confirm it holds "
                    "every address that must reach this endpoint"
                )
        addresses = [
            rule.value
            for rule in zone.access_rules
            if rule.mode == "whitelist"
            and rule.target in ("ip", "ip6", "ip_range")
            and keywords & set(narrowing.words(rule.notes))
            and _is_address(rule.value)
        ]
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


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


_NAMED_LISTS: dict[int, tuple[Zone, list[str]]] = {}


def _named_lists(zone: Zone) -> list[str]:
    """Names of the IP lists the zone's rule expressions test ``ip.src`` against, worked out
    once per zone (every exemption of the zone asks, so walking again would be quadratic)."""
    cached = _NAMED_LISTS.get(id(zone))
    if cached is not None and cached[0] is zone:
        return cached[1]
    names = _find_named_lists(zone)
    _NAMED_LISTS[id(zone)] = (zone, names)
    return names


def _find_named_lists(zone: Zone) -> list[str]:
    from ..language import parse

    names: list[str] = []
    for ruleset in zone.rulesets:
        for rule in ruleset.rules:
            if rule.expression is None or rule.expression.unresolved:
                continue
            try:
                tree = parse(rule.expression.text, "filter").tree
            except Exception:
                continue
            if tree is None:
                continue
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Comparison)
                    and node.op == "in"
                    and isinstance(node.rhs, ast.NamedList)
                    and base_field(node.lhs) in IP_FIELDS
                    and node.rhs.name not in names
                ):
                    names.append(node.rhs.name)
    return names


def method_for(exemption: Exemption) -> str | None:
    """The HTTP method the rule's description names (``POST`` in "webhook POST bodies")."""
    found = _METHOD.findall(exemption.description)
    return found[0] if len(set(found)) == 1 else None


def narrowed_parameters(zone: Zone, exemption: Exemption) -> tuple[dict | None, str | None]:
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
    named = named_managed_rules(zone, exemption.description)
    where = (
        ""
        if exemption.phase == MANAGED_PHASE
        else f" as a managed-rules exception in phase {MANAGED_PHASE}, placed before its execute rule"
    )
    if named:
        return {"rules": named}, f"skip only the managed rules the description names{where}"
    if managed_only_phase or current_in_managed:
        deployed = deployed_managed_rulesets(zone)
        if deployed:
            return {"rulesets": deployed}, (
                f"skip the managed rulesets this zone deploys{where}; better still, only the rule "
                "ids that misfire (Security Events shows them)"
            )
    return None, None


def suggestion(
    zone: Zone,
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
    source, source_note = source_for(zone, exemption)
    method = method_for(exemption) if add_method else None
    notes: list[str] = []

    def add(index: int, item: ast.Node) -> Sequence[ast.Node]:
        extra: list[ast.Node] = []
        sub = analyse_scope(item)
        if method and not any(d.has_method for d in sub.disjuncts):
            extra.append(narrowing.method_is(method))
        if not all(d.has_source for d in sub.disjuncts):
            extra.append(source)
        return extra

    new_tree = narrowing.narrow(tree, select, add, replace_paths=replace_paths)
    text = narrowing.checked_suggestion(tree, new_tree)
    params, params_note = narrowed_parameters(zone, exemption) if narrow_parameters else (None, None)
    if text is None and params is None:
        return None
    if text is not None:
        if _contains(new_tree, source):
            notes.append(source_note)
        if method and _contains(new_tree, narrowing.method_is(method)):
            notes.append(f"confirm the endpoint only ever receives {method}")
        if replace_paths:
            notes.extend(_path_notes(tree, new_tree))
    if params_note:
        notes.append(params_note)
    return Suggestion(expression=text, action_parameters=params, note="; ".join(notes) or None)


def _contains(tree: ast.Node, node: ast.Node) -> bool:
    return any(n == node for n in ast.walk(tree))


def _path_notes(old: ast.Node, new: ast.Node) -> list[str]:
    """What to confirm for each ``contains`` the suggestion made exact or a prefix."""
    from ..scope import literal_text

    notes = []
    for node in ast.walk(old):
        stronger = narrowing.stronger_path_atom(node)
        if stronger is None or _contains(new, node):
            continue
        path = literal_text(node.rhs)
        if isinstance(stronger, ast.Call):
            notes.append(f'confirm every path this rule is for starts with "{path}"')
        else:
            notes.append(f'confirm "{path}" is the whole path, not part of a longer one')
    return notes


def select_all(index: int, item: ast.Node) -> bool:
    return True

