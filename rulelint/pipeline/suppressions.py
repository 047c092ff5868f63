"""Inline exceptions: ``rulelint: ignore[check-id, ...] reason``.

In Terraform the marker is a comment on the rule's lines or on the comment lines right above it
(``# rulelint: ignore[broad-skip] partner webhooks have no fixed IPs``); JSON has no comments,
so there the marker goes inside the object's ``description``. A marker covers every finding of
the named checks inside the object it is attached to. A marker without a reason is reported as
``suppression-without-reason``; one that suppresses nothing as ``unused-suppression``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..findings import Finding, Location, SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION
from ..model.kinds import zone_objects

Sources = Callable[[str], "SourceFile | None"]  # an input by its name (``SourceFiles.get``)

if TYPE_CHECKING:
    from ..model import Configuration, Origin, Zone
    from ..model.sources import SourceFile

MARKER = re.compile(r"rulelint:\s*ignore\s*\[(?P<ids>[^\]]*)\](?P<reason>[^\n]*)")
COMMENTED_SUFFIXES = (".tf", ".hcl", ".tfvars")
_COMMENT_START = re.compile(r"^\s*(#|//|/\*|\*)")


@dataclass(frozen=True)
class Scope:
    """An object a marker can be attached to (a rule, ruleset, page rule, firewall rule...)."""

    origin: Origin
    zone: str | None = None
    rule_id: str | None = None
    rule_ref: str | None = None
    description: str | None = None

    @property
    def file(self) -> str:
        return self.origin.file

    @property
    def first(self) -> int:
        return self.origin.line

    @property
    def last(self) -> int:
        return self.origin.end_line or self.origin.line

    def covers(self, location: Location) -> bool:
        if not location.file or os.path.normpath(location.file) != os.path.normpath(self.file):
            return False
        if self.origin.pointer and location.pointer:
            return _within(location.pointer, self.origin.pointer, "/")
        if self.origin.address and location.address:
            return _within(location.address, self.origin.address, ".[")
        return location.line is not None and self.first <= location.line <= self.last


def _within(path: str, prefix: str, separators: str) -> bool:
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in separators)


@dataclass
class Suppression:
    checks: tuple[str, ...]
    reason: str
    scope: Scope | None
    file: str
    line: int
    column: int
    length: int = len("rulelint:")
    used: set[str] = field(default_factory=set)

    def location(self) -> Location:
        scope = self.scope
        origin = scope.origin if scope else None
        return Location(
            file=self.file,
            line=self.line,
            column=self.column,
            end_line=self.line,
            end_column=self.column + self.length,
            pointer=origin.pointer if origin else None,
            address=origin.address if origin else None,
            zone=scope.zone if scope else None,
            rule_id=scope.rule_id if scope else None,
            rule_ref=scope.rule_ref if scope else None,
        )


def scopes(configuration: Configuration) -> Iterator[Scope]:
    """Every object of the configuration a marker may be attached to."""
    for zone in configuration.zones:
        yield from zone_scopes(zone)
    for account in configuration.accounts:
        yield from _ruleset_scopes(account.rulesets, None)


def zone_scopes(zone: Zone) -> Iterator[Scope]:
    """Every object of ``zone`` a marker may be attached to (not the linked account rules)."""
    label = zone.label
    yield from _ruleset_scopes(zone.rulesets, label)
    for kind, item in zone_objects(zone):
        description = getattr(item, kind.description_field, "") if kind.description_field else ""
        object_id = getattr(item, kind.id_field, None) if kind.id_field and kind.key != "settings" else None
        yield Scope(item.origin, label, object_id, None, description or "")


def _ruleset_scopes(rulesets, zone: str | None) -> Iterator[Scope]:
    for ruleset in rulesets:
        yield Scope(ruleset.origin, zone, ruleset.id, None, ruleset.description)
        for rule in ruleset.rules:
            yield Scope(rule.origin, zone, rule.id, rule.ref, rule.description)


def zone_markers(zone: Zone, sources: Sources, marked: dict[str, bool]) -> tuple[list[Suppression], list[Scope]]:
    """What the run keeps of a zone read while checked, before its content is let go: the
    markers in its objects' descriptions, and its objects in files that hold a comment marker
    (``find_suppressions`` attaches those markers once every file has been read). ``marked``
    remembers, for the run, which files hold one."""
    all_scopes = list(zone_scopes(zone))
    found = list(description_markers(all_scopes, sources))
    for file in {s.file for s in all_scopes} - marked.keys():
        source = sources(file) if file.endswith(COMMENTED_SUFFIXES) else None
        marked[file] = source is not None and "rulelint:" in source.text
    return found, [s for s in all_scopes if marked[s.file]]


def _parse(match: re.Match[str], bracketed: bool) -> tuple[tuple[str, ...], str]:
    ids = tuple(part.strip() for part in match.group("ids").split(",") if part.strip())
    reason = match.group("reason").strip()
    if reason.endswith("*/"):
        reason = reason[:-2].rstrip()
    if bracketed and reason.endswith("]"):
        reason = reason[:-1].rstrip()
    reason = reason.lstrip(":-–— ").strip().strip('"').strip()
    return ids, reason


def _marker_position(scope: Scope, sources: Sources) -> tuple[int, int]:
    """Line and column of the marker inside the object's text (its start when not found).
    Only the object's own lines are looked at: a bundle can be 60 MB of one zone after another."""
    source = sources(scope.file)
    if source is not None:
        for number in range(scope.first, min(scope.last, len(source.line_starts())) + 1):
            column = source.line(number).find("rulelint:")
            if column >= 0:
                return number, column + 1
    return scope.first, scope.origin.column


def description_markers(all_scopes: list[Scope], sources: Sources) -> Iterator[Suppression]:
    for scope in all_scopes:
        if not scope.description:
            continue
        for match in MARKER.finditer(scope.description):
            bracketed = scope.description[: match.start()].rstrip().endswith("[")
            ids, reason = _parse(match, bracketed)
            line, column = _marker_position(scope, sources)
            length = match.end("ids") + 1 - match.start()
            yield Suppression(ids, reason, scope, scope.file, line, column, length)


def _attach(line: int, comment_only: bool, lines: list[str], candidates: list[Scope]) -> Scope | None:
    if comment_only:
        following = line + 1
        while following <= len(lines) and _COMMENT_START.match(lines[following - 1]):
            following += 1
        starting = [s for s in candidates if s.first == following]
        if starting:
            return max(starting, key=lambda s: s.last - s.first)  # the outermost object there
    containing = [s for s in candidates if s.first <= line <= s.last]
    if containing:
        return min(containing, key=lambda s: s.last - s.first)  # the innermost object
    return None


def comment_markers(
    all_scopes: list[Scope], seen: set[tuple[str, int]], sources: Sources
) -> Iterator[Suppression]:
    by_file: dict[str, list[Scope]] = {}
    for scope in all_scopes:
        by_file.setdefault(scope.file, []).append(scope)
    for file, candidates in by_file.items():
        if not file.endswith(COMMENTED_SUFFIXES):
            continue
        source = sources(file)
        text = source.text if source is not None else None
        if text is None or "rulelint:" not in text:
            continue
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            match = MARKER.search(line)
            if match is None or (file, number) in seen:
                continue
            prefix = line[: match.start()]
            comment = re.search(r"(#|//|/\*)\s*$", prefix)
            if comment is None:
                continue  # the words inside a string, not a comment
            comment_only = not prefix[: comment.start()].strip()
            ids, reason = _parse(match, False)
            scope = _attach(number, comment_only, lines, candidates)
            length = match.end("ids") + 1 - match.start()
            yield Suppression(ids, reason, scope, file, number, match.start() + 1, length)


def find_suppressions(configuration: Configuration, sources: Sources, found: Iterable[Suppression] = (),
                      scopes_read: Iterable[Scope] = ()) -> list[Suppression]:
    """Every marker: ``found`` and ``scopes_read`` are what ``zone_markers`` kept of the zones
    read while checked (no longer in ``configuration``)."""
    all_scopes = list(scopes(configuration))
    found = [*found, *description_markers(all_scopes, sources)]
    seen = {(s.file, s.line) for s in found}
    found.extend(comment_markers([*scopes_read, *all_scopes], seen, sources))
    return found


def apply_suppressions(
    configuration: Configuration,
    findings: Iterable[Finding],
    ran: set[str],
    known: set[str],
    sources: Sources,
    found: Iterable[Suppression] = (),
    scopes_read: Iterable[Scope] = (),
) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """(``findings`` minus the suppressed ones, plus findings about the markers themselves;
    the suppressed findings with the reason their marker gives).

    ``ran`` holds the ids of the checks that ran (a marker for a check that did not run is
    neither used nor unused); ``known`` every valid check id; ``sources`` gives an input by its
    name (comment markers are read from its text). ``found`` and ``scopes_read`` are what
    ``zone_markers`` kept of zones read while checked, no longer in ``configuration``.
    """
    suppressions = find_suppressions(configuration, sources, found, scopes_read)
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, str]] = []
    for finding in findings:
        covering = [
            s
            for s in suppressions
            if finding.check in s.checks and s.scope is not None and s.scope.covers(finding.location)
        ]
        for suppression in covering:
            suppression.used.add(finding.check)
        if covering:
            suppressed.append((finding, covering[0].reason))
        else:
            kept.append(finding)
    for suppression in suppressions:
        location = suppression.location()
        named = ", ".join(suppression.checks) or "nothing"
        if not suppression.reason:
            kept.append(
                Finding(
                    SUPPRESSION_WITHOUT_REASON,
                    "warning",
                    f"suppression of {named} gives no reason; write why after the marker",
                    location,
                )
            )
        if not suppression.checks:
            kept.append(Finding(UNUSED_SUPPRESSION, "info", "suppression names no check id", location))
            continue
        if suppression.scope is None:
            kept.append(
                Finding(
                    UNUSED_SUPPRESSION,
                    "info",
                    f"suppression of {named} is not on or above a rule, so it suppresses nothing",
                    location,
                )
            )
            continue
        for check in suppression.checks:
            if check not in known:
                kept.append(Finding(UNUSED_SUPPRESSION, "info", f"suppression names unknown check {check!r}", location))
            elif check in ran and check not in suppression.used:
                kept.append(
                    Finding(UNUSED_SUPPRESSION, "info", f"suppression of {check} is unused: it reports nothing here", location)
                )
    kept.sort(key=Finding.sort_key)
    return kept, suppressed
