"""The checks of each zone, each inside an error boundary; zones read while checked (a streamed
bundle, spilled Terraform) are filled just before they are checked and let go just after.

An exception in a check becomes one ``internal-error`` finding naming the check, the zone and
the exception; the other checks and zones still run (the command line then exits 2, so CI sees
a fault in rulelint rather than a clean zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from ..findings import INTERNAL_ERROR, Finding, Location
from ..model.kinds import rule_count

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.context import CheckContext
    from ..checks.base import Check
    from ..model import Zone
    from ..readers.bundle_stream import ZoneStream
    from ..readers.spilled_zones import SpilledZones
    from .suppressions import Scope, Sources, Suppression


@dataclass
class Checked:
    """What checking some zones gave: findings, and for zones read while checked (a streamed
    bundle, spilled Terraform) their input findings, what suppression markers need of them and
    their rule count, since their content is gone once checked."""

    findings: list[Finding] = field(default_factory=list)  # the checks'
    read_findings: list[Finding] = field(default_factory=list)  # the input findings of zones read
    suppressions: list[Suppression] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)  # objects in files with comment markers
    rules: int = 0

    def extend(self, other: Checked) -> None:
        self.findings.extend(other.findings)
        self.read_findings.extend(other.read_findings)
        self.suppressions.extend(other.suppressions)
        self.scopes.extend(other.scopes)
        self.rules += other.rules


@dataclass
class ZonesRead:
    """The zones filled while checked (``ZoneStream``, ``SpilledZones``), with what the run
    keeps of each: the input findings it wants (``keep``) and what suppression markers need
    (``zone_markers``, reading texts from ``sources``)."""

    stream: ZoneStream | SpilledZones
    keep: Callable[[Finding], bool]
    sources: Sources
    # Input name -> whether its text holds a comment marker, worked out once per run
    # (``zone_markers``): a file can hold a thousand zones.
    files_with_markers: dict[str, bool] = field(default_factory=dict)



def zone_weight(zone: Zone, read: ZonesRead | None = None) -> int:
    """About how many rules checking ``zone`` means (known before a zone ``read`` fills is read):
    what decides whether to use several processes and how to share the zones out."""
    if read is not None and read.stream.holds(zone):
        return read.stream.weight(zone)
    return rule_count(zone)


def check_zones(zones: Iterable[Zone], checks: list[Check], ctx: CheckContext, read: ZonesRead | None = None,
                after_each: Callable[[], None] | None = None) -> Checked:
    """``check_zone`` on each of ``zones`` in order, reading those ``read`` streams first."""
    zones = list(zones)
    ctx.checking(zones)
    checked = Checked()
    for zone in zones:
        if read is not None and read.stream.holds(zone):
            _read_and_check(zone, checks, ctx, read, checked)
        else:
            checked.findings.extend(check_zone(zone, checks, ctx))
        if after_each is not None:
            after_each()
    return checked


def _read_and_check(zone: Zone, checks: list[Check], ctx: CheckContext, read: ZonesRead, checked: Checked) -> None:
    from .suppressions import zone_markers

    try:
        try:
            checked.read_findings.extend(f for f in read.stream.fill(zone) if read.keep(f))
        except Exception as error:  # the error boundary: a zone rulelint fails to read is one finding
            checked.findings.append(_fault(f"reading {_where(zone)}", error, "the other zones were still checked", zone))
            return
        checked.findings.extend(check_zone(zone, checks, ctx))
        found, scopes = zone_markers(zone, read.sources, read.files_with_markers)
        checked.suppressions.extend(found)
        checked.scopes.extend(scopes)
        checked.rules += rule_count(zone)
    finally:
        read.stream.empty(zone)


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
    """The finding of a fault in check ``check_id`` on ``zone``."""
    return _fault(f"in check {check_id} on {_where(zone)}", error, "the other checks still ran", zone)


def _where(zone: Zone) -> str:
    return f"zone {zone.label}" if zone.label else "the zone read"


def _fault(what: str, error: Exception, went_on: str, zone: Zone) -> Finding:
    detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    message = (
        f"internal error {what}: {type(error).__name__}"
        + (f": {detail}" if detail else "")
        + f"; {went_on}. Please report this with the input that caused it."
    )
    return Finding(INTERNAL_ERROR, "error", message, Location(zone=zone.label))
