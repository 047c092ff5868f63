"""What the checks of one zone share, each worked out at most once.

Several checks ask the same questions of a zone: its expressions and their parses, its
exemptions (skip, bypass and allow rules), the scope of each expression and of each of its
top-level alternatives, the IP lists it already uses, the addresses its IP Access Rules allow,
the managed rulesets it deploys. Asking per rule would walk the zone once per rule (quadratic
in the zone's size); ``ZoneFacts`` answers each question lazily, once per zone, and indexes
what is looked up per rule. Checks get it from ``CheckContext.facts(zone)``.
"""

from __future__ import annotations

import ipaddress
from functools import cached_property
from typing import TYPE_CHECKING, Iterator

from . import narrowing
from .scope import IP_FIELDS, Scope, analyse_scope, base_field
from .exemptions import (
    Exemption,
    broadest,
    deployed_managed_rulesets,
    exemptions,
    managed_rule_owners,
    named_managed_rules,
)
from .expressions import ExpressionParser, zone_expressions
from .hostnames import zone_hostnames

if TYPE_CHECKING:  # pragma: no cover
    from ..language import ParsedExpression
    from ..language.ast import Node
    from ..model import Expression, Zone


class ZoneFacts:
    """Lazily computed, per-zone answers shared by every check of one zone."""

    def __init__(self, zone: Zone, parser: ExpressionParser | None = None, proofs: dict | None = None):
        self.zone = zone
        self.parser = parser if parser is not None else ExpressionParser()
        # The run's memo of narrowing proofs (see ``narrowing.checked_suggestion``).
        self.proofs: dict = proofs if proofs is not None else {}
        # id(node) -> (node, scope); the node is kept so its id cannot be reused meanwhile.
        self._scopes: dict[int, tuple[Node, Scope]] = {}

    # -- expressions --------------------------------------------------------------------------

    @cached_property
    def expressions(self) -> list[tuple[Expression, str | None, str | None, ParsedExpression | None]]:
        """(expression, rule id, rule ref, parse or None while no parser) for every resolved
        expression of the zone, once each (see ``zone_expressions``)."""
        return [
            (expression, rule_id, rule_ref, self.parser.parse(expression.text, expression.context))
            for expression, rule_id, rule_ref in zone_expressions(self.zone)
        ]

    def tree(self, expression: Expression | None) -> Node | None:
        """The tree of a filter expression that parses without errors, else None."""
        return self.parser.tree(expression)

    def scope(self, node: Node) -> Scope:
        """``analyse_scope(node)``, once per node object (a whole tree or one alternative)."""
        cached = self._scopes.get(id(node))
        if cached is not None and cached[0] is node:
            return cached[1]
        scope = analyse_scope(node)
        self._scopes[id(node)] = (node, scope)
        return scope

    # -- rules that turn security off ---------------------------------------------------------

    @cached_property
    def hostnames(self) -> list[str]:
        """Every hostname the zone is known to serve: proxied DNS names, hosts named in rule
        expressions (``http.host eq/in``) and Page Rule targets. Sorted, unique."""
        return zone_hostnames(self.zone, self.parser)

    @cached_property
    def exemptions(self) -> list[Exemption]:
        return list(exemptions(self.zone))

    def scoped_exemptions(self) -> Iterator[tuple[Exemption, Node, Scope]]:
        """Each exemption whose expression parses, with its tree and scope (what the
        exemption checks all start from)."""
        for exemption in self.exemptions:
            tree = self.tree(exemption.expression)
            if tree is not None:
                yield exemption, tree, self.scope(tree)

    def is_broad(self, exemption: Exemption, tree: Node) -> bool:
        """Whether the exemption is wider than it needs to be on either axis (what broad-skip
        reports): some alternative of its traffic is broad, or what it skips is."""
        scope = self.scope(tree)
        if scope.never_matches:
            return False
        return broadest(scope) is not None or exemption.broad_skip

    # -- what the zone already has, for suggestions -------------------------------------------

    @cached_property
    def named_lists(self) -> list[str]:
        """Names of the IP lists the zone's rule expressions test ``ip.src`` against, in the
        order they first appear."""
        from ..language import ast

        names: list[str] = []
        seen: set[str] = set()
        for ruleset in self.zone.rulesets:
            for rule in ruleset.rules:
                expression = rule.expression
                if expression is None or expression.unresolved or "$" not in expression.text:
                    continue  # a list is only ever written $name
                tree = self.parser.parse(expression.text, "filter").tree
                if tree is None:
                    continue
                for node in ast.walk(tree):
                    if (
                        isinstance(node, ast.Comparison)
                        and node.op == "in"
                        and isinstance(node.rhs, ast.NamedList)
                        and node.rhs.name not in seen
                        and base_field(node.lhs) in IP_FIELDS
                    ):
                        seen.add(node.rhs.name)
                        names.append(node.rhs.name)
        return names

    @cached_property
    def _list_by_word(self) -> dict[str, int]:
        """word of a list name (split on ``_``) -> index of the first list name holding it."""
        index: dict[str, int] = {}
        for position, name in enumerate(self.named_lists):
            for word in name.split("_"):
                index.setdefault(word, position)
        return index

    def list_sharing_a_word(self, keywords: set[str]) -> str | None:
        """The first IP list (in zone order) whose name shares a word with ``keywords``."""
        index = self._list_by_word
        positions = [index[word] for word in keywords if word in index]
        return self.named_lists[min(positions)] if positions else None

    @cached_property
    def _allowed_addresses(self) -> tuple[list[str], dict[str, list[int]]]:
        """Addresses the zone's IP Access Rules allow (whitelist of an address or range), in
        order, and the words of each rule's notes -> positions in that list."""
        values: list[str] = []
        by_word: dict[str, list[int]] = {}
        for rule in self.zone.access_rules:
            if (
                rule.mode != "whitelist"
                or rule.target not in ("ip", "ip6", "ip_range")
                or not _is_address(rule.value)
            ):
                continue
            position = len(values)
            values.append(rule.value)
            for word in set(narrowing.words(rule.notes)):
                by_word.setdefault(word, []).append(position)
        return values, by_word

    def allowed_addresses(self, keywords: set[str]) -> list[str]:
        """Addresses allowed by IP Access Rules whose notes share a word with ``keywords``."""
        values, by_word = self._allowed_addresses
        positions: set[int] = set()
        for word in keywords:
            positions.update(by_word.get(word, ()))
        return [values[position] for position in sorted(positions)]

    @cached_property
    def deployed_managed_rulesets(self) -> list[str]:
        """Ids of the managed rulesets the zone's managed-phase entry point executes."""
        return deployed_managed_rulesets(self.zone)

    @cached_property
    def _managed_rule_owners(self) -> dict[str, str]:
        return managed_rule_owners(self.zone)

    def named_managed_rules(self, text: str) -> dict[str, list[str]]:
        """Managed rule ids named in ``text``, keyed by their ruleset (see
        ``_exceptions.named_managed_rules``)."""
        return named_managed_rules(text, self.deployed_managed_rulesets, self._managed_rule_owners)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True
