"""no-rate-limit: Login or API traffic that no rate limiting rule covers.

TODO: say what the check finds, what it relies on (see ``rulelint.checks.base`` for the context
a check gets) and why. See docs/checks/no-rate-limit.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Zone


class NoRateLimit(Check):
    id = "no-rate-limit"
    severity = "warning"
    summary = "Login or API traffic that no rate limiting rule covers."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        # TODO: yield self.finding(severity, message, ctx.location(...)) for each problem.
        yield from ()
