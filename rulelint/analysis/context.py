"""What a check may consult besides the zone it looks at, owned by one run.

``CheckContext`` is made once per run by the pipeline and handed to every check. It owns the
run's caches — parsed expressions (and the on-disk parse cache, when the run uses one), the
proofs of narrowing already made, and the facts of the zone being checked — so nothing is kept
in module-level state and two runs in one process never see each other's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Location
from ..model.positions import locate
from .expressions import ExpressionParser

if TYPE_CHECKING:  # pragma: no cover
    from ..language import ParsedExpression
    from ..language.ast import Span
    from ..model import Configuration, Expression, Origin, Zone
    from .zone_facts import ZoneFacts


@dataclass
class CheckContext:
    configuration: Configuration
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # per check id
    suggestions: bool = True
    parser: ExpressionParser = field(default_factory=ExpressionParser)
    # (original tree, suggested tree) -> whether the suggestion is proved strictly narrower.
    proofs: dict = field(default_factory=lambda: RecentMemo(512), repr=False)
    # The facts of the zone being checked (zones are checked one at a time).
    _facts: ZoneFacts | None = field(default=None, init=False, repr=False, compare=False)

    def facts(self, zone: Zone) -> ZoneFacts:
        """What the checks share about ``zone`` (its expressions, exemptions, scopes, IP
        lists…), worked out once per zone however many checks and rules ask."""
        facts = self._facts
        if facts is None or facts.zone is not zone:
            from .zone_facts import ZoneFacts

            facts = self._facts = ZoneFacts(zone, self.parser, self.proofs)
        return facts

    def checking(self, zones: list[Zone]) -> None:
        """``zones`` are about to be checked, in this order (see ``zone_checked``)."""
        self.parser.expect(zones)

    def zone_checked(self, zone: Zone) -> None:
        """Let go of what only ``zone``, just checked, needed (its facts, the parse trees of
        expressions no zone ahead holds), so a run's memory does not grow with every zone."""
        self._facts = None
        self.parser.release_trees(zone)

    def option(self, check_id: str, name: str, default: Any) -> Any:
        """The configured value of option ``name`` (snake_case) of ``check_id``, else ``default``."""
        return self.options.get(check_id, {}).get(name, default)

    def parsed(self, expression: Expression) -> ParsedExpression:
        """The expression parsed in its context (once per distinct text in this run)."""
        return self.parser.parse(expression.text, expression.context)

    @staticmethod
    def location(
        origin: Origin,
        zone: Zone | None = None,
        rule_id: str | None = None,
        rule_ref: str | None = None,
    ) -> Location:
        """The location of a whole object (a rule, a page rule, a setting)."""
        return Location(
            file=origin.file,
            line=origin.line,
            column=origin.column,
            end_line=origin.end_line,
            end_column=origin.end_column,
            pointer=origin.pointer,
            address=origin.address,
            zone=zone.label if zone is not None else None,
            rule_id=rule_id,
            rule_ref=rule_ref,
        )

    @staticmethod
    def expression_location(
        expression: Expression,
        span: Span | None = None,
        zone: Zone | None = None,
        rule_id: str | None = None,
        rule_ref: str | None = None,
    ) -> Location:
        """The file location of ``span`` inside ``expression`` (the whole text when None)."""
        line, column, end_line, end_column = locate(expression, span)
        origin = expression.origin
        return Location(
            file=origin.file,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            pointer=origin.pointer,
            address=origin.address,
            zone=zone.label if zone is not None else None,
            rule_id=rule_id,
            rule_ref=rule_ref,
        )


class RecentMemo(dict):
    """A memo that keeps its ``limit`` most recent entries and up to as many older ones.

    Proofs are keyed by whole expression trees, so an unbounded memo would keep every tree
    of the run alive (13 MiB at 10,000 rules); the same exemption recurs in neighbouring
    zones, which the recent entries still catch. Only ``get`` and item assignment are memo
    operations (those are what the proofs use), and None is never a remembered value.
    """

    __slots__ = ("limit", "_older")

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self._older: dict = {}

    def get(self, key, default=None):
        found = dict.get(self, key)
        if found is None:
            found = self._older.get(key)
            if found is None:
                return default
            self[key] = found  # used again: keep it among the recent ones
        return found

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.limit:
            self._older = dict(self)
            self.clear()
        dict.__setitem__(self, key, value)
