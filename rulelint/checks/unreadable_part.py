"""unreadable-part: a part of a zone that ``rulelint fetch`` could not read (HTTP 401/403,
5xx, or a part of another account), recorded in the bundle's ``unreadable`` list. Without
this finding a partial export would look like a clean bill: no rules read, no findings.
A part that does not exist (HTTP 404, recorded as "absent") is not reported.
See docs/checks/unreadable-part.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Unreadable, Zone

from ..findings import Finding, Location
from ..model.kinds import ACCOUNT_RULESETS, KINDS_BY_KEY
from ..model.phases import phase_permission
from .base import Check, CheckContext

ABSENT = "absent"  # the error text rulelint fetch writes for a 404
_NEEDS = re.compile(r"needs (?:the )?permission (?P<permission>.+?)\.?$")
_PHASE = re.compile(r"^[a-z0-9_]+$")
_ID = re.compile(r"^[0-9a-f]{32}$")


class UnreadablePart(Check):
    id = "unreadable-part"
    severity = "info"
    security = False  # about upkeep or coverage, not a hole in the zone
    summary = "Part of a fetched zone could not be read, so it was not checked."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        for entry in zone.unreadable:
            if entry.status == 404 or entry.error.strip().lower() == ABSENT:
                continue
            yield self.finding("info", message(zone, entry), _location(zone, entry, ctx))


def message(zone: Zone, entry: Unreadable) -> str:
    subject = _capital(part_words(entry.what)) + (f" of zone {zone.name}" if zone.name else "")
    detail = entry.error.strip().rstrip(".")
    if entry.status is None:
        return f"{subject} went unchecked ({detail or 'not fetched'})."
    if entry.status in (401, 403):
        permission = needed_permission(entry)
        access = f"the permission {permission}" if permission else "read access to it"
        return (
            f"{subject} could not be read (HTTP {entry.status}) and went unchecked; give the API "
            f"token {access} and fetch again."
        )
    cause = detail if detail.startswith(f"HTTP {entry.status}") else f"HTTP {entry.status}: {detail}" if detail else f"HTTP {entry.status}"
    return f"{subject} could not be read ({cause}) and went unchecked; fetch again."


def part_words(what: str) -> str:
    """``rulesets:http_request_sbfm`` → ``the phase http_request_sbfm``, and so on."""
    kind = KINDS_BY_KEY.get(what)
    if kind is not None:
        return kind.words
    head, _, tail = what.partition(":")
    if head == "settings" and tail:
        return f"the zone setting {tail}"
    if head == "account" and tail.startswith("rulesets:"):
        name = tail.partition(":")[2]
        return f"the account ruleset {name}" if _ID.match(name) else f"the account's phase {name}"
    if head == "rulesets" and tail:
        if _ID.match(tail):
            return f"the ruleset {tail}"
        if _PHASE.match(tail):
            return f"the phase {tail}"
    return f'the part "{what}"'


def needed_permission(entry: Unreadable) -> str | None:
    """The token permission the entry names, else the one rulelint fetch asks for that part."""
    match = _NEEDS.search(entry.error.strip())
    if match:
        return match.group("permission")
    what = entry.what
    head, _, tail = what.partition(":")
    if what.startswith("account:rulesets"):
        return ACCOUNT_RULESETS.permission
    if head == "rulesets":
        return phase_permission(tail if _PHASE.match(tail) and not _ID.match(tail) else None)
    kind = KINDS_BY_KEY.get(what) or KINDS_BY_KEY.get(head)
    return kind.permission if kind is not None else None


def _location(zone: Zone, entry: Unreadable, ctx: CheckContext) -> Location:
    if entry.origin is not None:
        return ctx.location(entry.origin, zone)
    return Location(zone=zone.label)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
