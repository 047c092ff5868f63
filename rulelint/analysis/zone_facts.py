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
from .scope import Scope, analyse_scope
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

# Actions that stop or challenge a request: a list they match is a blocklist, never an
# allowlist to offer.
BLOCKING_ACTIONS = frozenset({"block", "challenge", "js_challenge", "managed_challenge"})

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
        # (id(node), fetchers_weak) -> (node, scope); the node is kept so its id cannot be
        # reused meanwhile.
        self._scopes: dict[tuple[int, bool], tuple[Node, Scope]] = {}

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

    def scope(self, node: Node, fetchers_weak: bool = False) -> Scope:
        """``analyse_scope(node, fetchers_weak)``, once per node object (a whole tree or one
        alternative)."""
        key = (id(node), fetchers_weak)
        cached = self._scopes.get(key)
        if cached is not None and cached[0] is node:
            return cached[1]
        scope = analyse_scope(node, fetchers_weak)
        self._scopes[key] = (node, scope)
        return scope

    def exemption_scope(self, exemption: Exemption, node: Node) -> Scope:
        """The scope of ``node`` (an exemption's tree or one of its alternatives) as that
        exemption sees it: verified bots that fetch URLs their customers choose are weak
        sources when it turns off managed rules or rate limiting."""
        return self.scope(node, exemption.inspection_skipped)

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
                yield exemption, tree, self.exemption_scope(exemption, tree)

    def is_broad(self, exemption: Exemption, tree: Node) -> bool:
        """Whether the exemption is wider than it needs to be on either axis (what broad-skip
        reports): some alternative of its traffic is broad, or what it skips is. An exemption
        that turns nothing off (``why_ineffective``) is not broad."""
        if exemption.ineffective is not None:
            return False
        scope = self.exemption_scope(exemption, tree)
        if scope.never_matches:
            return False
        return broadest(scope) is not None or exemption.broad_skip

    # -- what the zone already has, for suggestions -------------------------------------------

    @cached_property
    def _list_uses(self) -> tuple[list[str], set[str]]:
        """IP lists the zone's exemptions test ``ip.src`` against positively, in the order
        they first appear, and the lists a block or challenge rule matches positively."""
        exempted: list[str] = []
        blocking: set[str] = set()
        for ruleset in [*self.zone.rulesets, *self.zone.account_rulesets]:
            for rule in ruleset.rules:
                if not rule.enabled:
                    continue
                if rule.action == "skip":
                    bucket = "exempt"
                elif rule.action in BLOCKING_ACTIONS:
                    bucket = "block"
                else:
                    continue
                for name in self._positive_lists(rule.expression):
                    if bucket == "block":
                        blocking.add(name)
                    elif name not in exempted:
                        exempted.append(name)
        for rule in self.zone.firewall_rules:
            if rule.paused or rule.filter is None:
                continue
            names = self._positive_lists(rule.filter.expression)
            if rule.action in ("allow", "bypass"):
                exempted.extend(n for n in names if n not in exempted)
            elif rule.action in BLOCKING_ACTIONS:
                blocking.update(names)
        return exempted, blocking

    def _positive_lists(self, expression: Expression | None) -> list[str]:
        """Named lists ``ip.src`` is tested against, not under a ``not``, in one expression."""
        if expression is None or expression.unresolved or "$" not in expression.text:
            return []  # a list is only ever written $name
        tree = self.tree(expression)
        if tree is None:
            return []
        names: list[str] = []
        for disjunct in self.scope(tree).disjuncts:
            for cond in disjunct.sources:
                if cond.strength == "ip_list" and cond.node.rhs.name not in names:
                    names.append(cond.node.rhs.name)
        return names

    @cached_property
    def named_lists(self) -> list[str]:
        """The IP lists a suggestion may reuse as an allowlist: those the zone's exemptions
        test positively, less any a block or challenge rule matches positively."""
        exempted, blocking = self._list_uses
        return [name for name in exempted if name not in blocking]

    @cached_property
    def _list_by_word(self) -> dict[str, int]:
        """word of a list name (split on ``_``) -> index of the first list name holding it."""
        index: dict[str, int] = {}
        for position, name in enumerate(self.named_lists):
            for word in name.split("_"):
                if word and word != "ips":
                    index.setdefault(word, position)
        return index

    def list_sharing_a_word(self, keywords: set[str]) -> tuple[str, str] | None:
        """The first reusable IP list (in zone order) whose name shares a word with
        ``keywords``, and that word."""
        index = self._list_by_word
        found = sorted((index[word], word) for word in keywords if word in index)
        if not found:
            return None
        position, word = found[0]
        return self.named_lists[position], word

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
                or not _restricts(rule.value)
            ):
                continue  # an ASN, a country or a near-universal range restricts no one
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
    def account_managed_rulesets(self) -> list[str]:
        """Ids of the managed rulesets the account's managed-phase rulesets execute."""
        return deployed_managed_rulesets(self.zone, account_level=True)

    @cached_property
    def _managed_rule_owners(self) -> dict[bool, dict[str, str]]:
        return {level: managed_rule_owners(self.zone, level) for level in (False, True)}

    def managed_rule_owners(self, account_level: bool = False) -> dict[str, str]:
        """Known managed rule id -> its ruleset, zone-level or account-level (see
        ``exemptions.managed_rule_owners``)."""
        return self._managed_rule_owners[account_level]

    def named_managed_rules(self, text: str, account_level: bool = False) -> dict[str, list[str]]:
        """Known managed rule ids named in ``text``, keyed by their deployed ruleset (see
        ``exemptions.named_managed_rules``)."""
        deployed = self.account_managed_rulesets if account_level else self.deployed_managed_rulesets
        return named_managed_rules(text, deployed, self._managed_rule_owners[account_level])


def _restricts(text: str) -> bool:
    """Whether ``ip.src in {text}`` is a source restriction by the scope analysis's own
    measure (``0.0.0.0/1`` is not)."""
    from ..language import ast
    from .scope import classify

    address, _, prefix = text.partition("/")
    node = ast.Comparison(ast.Field("ip.src"), "in", ast.ListLit((ast.IpLit(address, int(prefix) if prefix else None),)))
    return classify(node).kind == "source"


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True
