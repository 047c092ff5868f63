"""dns-only-host: A DNS-only record sends clients of a host the zone protects straight to the origin.

TODO: say what the check finds, what it relies on (see ``rulelint.checks.base`` for the context
a check gets) and why. See docs/checks/dns-only-host.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Zone


class DnsOnlyHost(Check):
    id = "dns-only-host"
    severity = "error"
    summary = "A DNS-only record sends clients of a host the zone protects straight to the origin."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        # TODO: yield self.finding(severity, message, ctx.location(...)) for each problem.
        yield from ()
