"""The shape every check has, and the context the engine hands it.

A check is a class with an ``id`` (kebab-case, stable), a default ``severity``, a one-line
``summary`` and a ``run(zone, ctx)`` generator of findings. Metadata sits next to the logic;
the explicit list in ``rulelint.checks.registry`` is the only place checks are enrolled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from ..findings import Finding, Location, Suggestion

if TYPE_CHECKING:
    from ..language import ParsedExpression
    from ..language.ast import Span
    from ..model import Configuration, Expression, Origin, Zone
    from ._zone_facts import ZoneFacts


@dataclass
class CheckContext:
    """What a check may consult besides the zone it is looking at."""

    configuration: Configuration
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # per check id
    suggestions: bool = True
    # The facts of the zone being checked (the engine checks one zone at a time).
    _facts: ZoneFacts | None = field(default=None, init=False, repr=False, compare=False)

    def facts(self, zone: Zone) -> ZoneFacts:
        """What the checks share about ``zone`` (its expressions, exemptions, scopes, IP
        lists…), worked out once per zone however many checks and rules ask."""
        facts = self._facts
        if facts is None or facts.zone is not zone:
            from ._zone_facts import ZoneFacts

            facts = self._facts = ZoneFacts(zone)
        return facts

    def option(self, check_id: str, name: str, default: Any) -> Any:
        """The configured value of option ``name`` (snake_case) of ``check_id``, else ``default``."""
        return self.options.get(check_id, {}).get(name, default)

    @staticmethod
    def parsed(expression: Expression) -> ParsedExpression:
        """The expression parsed in its context (parsed once per distinct text per process)."""
        from ..language import parse

        return parse(expression.text, expression.context)

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
        from ..positions import locate

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


@dataclass(frozen=True)
class Option:
    """One setting a check reads from ``[tool.rulelint.checks.<id>]``.

    ``name`` is the snake_case name checks ask ``CheckContext.option`` for (the file may spell
    it in kebab-case); ``kind`` is ``"list[str]"``, ``"str"``, ``"bool"`` or ``"int"``; ``doc``
    says what it changes, for the check's doc page and the configuration error messages.
    """

    name: str
    kind: str
    default: Any
    doc: str

    @property
    def key(self) -> str:
        """The name as the configuration file usually spells it (kebab-case)."""
        return self.name.replace("_", "-")

    def accepts(self, value: Any) -> bool:
        if self.kind == "list[str]":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if self.kind == "str":
            return isinstance(value, str)
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        return False

    @property
    def expected(self) -> str:
        return {
            "list[str]": "a list of strings",
            "str": "a string",
            "bool": "true or false",
            "int": "an integer",
        }.get(self.kind, self.kind)


class Check:
    id: ClassVar[str]
    severity: ClassVar[str]  # the most severe level this check reports
    summary: ClassVar[str]  # one line, for `rulelint rules`
    # The settings this check reads (validated by rulelint.config, listed on its doc page).
    options: ClassVar[tuple[Option, ...]] = ()

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        severity: str,
        message: str,
        location: Location,
        suggestion: Suggestion | None = None,
        expression: str | None = None,
    ) -> Finding:
        return Finding(self.id, severity, message, location, suggestion, expression)
