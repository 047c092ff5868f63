"""The checks of one zone, each inside an error boundary.

An exception in a check becomes one ``internal-error`` finding naming the check, the zone and
the exception; the other checks and zones still run (the command line then exits 2, so CI sees
a fault in rulelint rather than a clean zone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import INTERNAL_ERROR, Finding, Location

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.context import CheckContext
    from ..checks.base import Check
    from ..model import Zone


def check_zone(zone: Zone, checks: list[Check], ctx: CheckContext) -> list[Finding]:
    """Every finding of ``checks`` on one zone, in check order; a check that raises gives
    what it found before the fault and one ``internal-error`` finding. What the checks worked
    out for this zone alone (facts, parse trees) is released afterwards."""
    found: list[Finding] = []
    try:
        for check in checks:
            try:
                for finding in check.run(zone, ctx):
                    found.append(finding)
            except Exception as error:  # the error boundary: one faulty check never ends the run
                found.append(internal_error(check.id, zone, error))
    finally:
        ctx.zone_checked(zone)
    return found


def internal_error(check_id: str, zone: Zone, error: Exception) -> Finding:
    detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    message = (
        f"internal error in check {check_id} on {f'zone {zone.label}' if zone.label else 'the zone read'}: "
        f"{type(error).__name__}"
        + (f": {detail}" if detail else "")
        + "; the other checks still ran. Please report this with the input that caused it."
    )
    return Finding(INTERNAL_ERROR, "error", message, Location(zone=zone.label))
