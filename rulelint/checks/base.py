"""The shape every check has; the context the pipeline hands it is ``analysis.CheckContext``.

A check is a class with an ``id`` (kebab-case, stable), a default ``severity``, a one-line
``summary`` and a ``run(zone, ctx)`` generator of findings. Metadata sits next to the logic;
the explicit list in ``rulelint.checks.registry`` is the only place checks are enrolled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from ..analysis.context import CheckContext
from ..findings import Finding, Location, Suggestion
from ..records import Record, record, set_field

if TYPE_CHECKING:
    from ..model import Zone

__all__ = ["Check", "CheckContext", "Option"]


@record
class Option(Record):
    """One setting a check reads from ``[tool.rulelint.checks.<id>]``.

    ``name`` is the snake_case name checks ask ``CheckContext.option`` for (the file may spell
    it in kebab-case); ``kind`` is ``"list[str]"``, ``"str"``, ``"bool"`` or ``"int"``; ``doc``
    says what it changes, for the check's doc page and the configuration error messages.
    """

    name: str
    kind: str
    default: Any
    doc: str

    def __init__(self, name: str, kind: str, default: Any, doc: str) -> None:
        set_field(self, "name", name)
        set_field(self, "kind", kind)
        set_field(self, "default", default)
        set_field(self, "doc", doc)

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
    # The settings this check reads (validated by rulelint.pipeline.config, listed on its doc page).
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
