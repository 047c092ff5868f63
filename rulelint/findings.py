"""What a check reports: a ``Finding`` with its ``Location`` and an optional ``Suggestion``.

These are the one shape every report format (text, JSON, SARIF, GitHub, JUnit, GitLab) is
rendered from; the field names follow the JSON output document (docs/json-output.md). The
catalogue entry of a finding id (``CheckInfo``) and a finding's stable identity
(``finding_key``, ``fingerprint``) live here too, so reports need nothing but this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .records import Record, record, set_field

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@record
class Location(Record):
    """Where a finding is: the file and its line and column, and what it names there."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    pointer: str | None = None  # JSON Pointer, for JSON input
    address: str | None = None  # Terraform address, for HCL and plan input
    zone: str | None = None
    rule_id: str | None = None  # Cloudflare id of the rule / page rule / firewall rule
    rule_ref: str | None = None

    def __init__(
        self,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        pointer: str | None = None,
        address: str | None = None,
        zone: str | None = None,
        rule_id: str | None = None,
        rule_ref: str | None = None,
    ) -> None:
        set_field(self, "file", file)
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "end_line", end_line)
        set_field(self, "end_column", end_column)
        set_field(self, "pointer", pointer)
        set_field(self, "address", address)
        set_field(self, "zone", zone)
        set_field(self, "rule_id", rule_id)
        set_field(self, "rule_ref", rule_ref)


@record
class Suggestion(Record):
    """A complete, narrower replacement, already parsed and type-checked by rulelint."""

    expression: str | None = None
    action_parameters: dict[str, Any] | None = None
    note: str | None = None

    def __init__(
        self, expression: str | None = None, action_parameters: dict[str, Any] | None = None, note: str | None = None
    ) -> None:
        set_field(self, "expression", expression)
        set_field(self, "action_parameters", action_parameters)
        set_field(self, "note", note)


@record
class Related(Record):
    """Another place a finding is about (the lockdown a Page Rule voids, the ``execute`` rule
    an exception refers to): ``relatedLocations`` in SARIF, ``related`` in the JSON report."""

    message: str
    location: Location

    def __init__(self, message: str, location: Location) -> None:
        set_field(self, "message", message)
        set_field(self, "location", location)


@record
class Finding(Record):
    """One thing a check (or the reading, suppression or pipeline machinery) reports."""

    check: str  # kebab-case check id, e.g. "broad-skip"
    severity: str  # "error" | "warning" | "info"
    message: str
    location: Location
    suggestion: Suggestion | None = None
    # The expression the finding is about (its hash keys baselines), when there is one.
    expression: str | None = field(default=None, compare=False)
    related: tuple[Related, ...] = ()

    def __init__(
        self,
        check: str,
        severity: str,
        message: str,
        location: Location,
        suggestion: Suggestion | None = None,
        expression: str | None = None,
        related: tuple[Related, ...] = (),
    ) -> None:
        set_field(self, "check", check)
        set_field(self, "severity", severity)
        set_field(self, "message", message)
        set_field(self, "location", location)
        set_field(self, "suggestion", suggestion)
        set_field(self, "expression", expression)
        set_field(self, "related", related)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file or "", loc.line or 0, loc.column or 0, self.check, self.message)


# -- the catalogue of finding ids ------------------------------------------------------------

INVALID_INPUT = "invalid-input"
UNKNOWN_VALUE = "unknown-value"
UNRESOLVED_INTERPOLATION = "unresolved-interpolation"
UNRESOLVED_TERRAFORM = "unresolved-terraform"
SUPPRESSION_WITHOUT_REASON = "suppression-without-reason"
UNUSED_SUPPRESSION = "unused-suppression"
INTERNAL_ERROR = "internal-error"


@dataclass(frozen=True)
class CheckInfo:
    """What a report needs to know of a finding id: its severity, summary and doc page."""

    id: str
    severity: str
    summary: str
    security: bool = True  # False for findings about rulelint's own input (unreadable file, suppressions)


# Ids reported by the reading, suppression and pipeline machinery rather than by a check.
META_CHECKS = (
    CheckInfo(INVALID_INPUT, "error", "An input file could not be read as a Cloudflare configuration.", False),
    CheckInfo(
        UNKNOWN_VALUE,
        "info",
        "A value rulelint does not know (new action, phase, setting or object) was kept but not analysed.",
        False,
    ),
    CheckInfo(
        UNRESOLVED_INTERPOLATION,
        "info",
        "A Terraform value could not be resolved statically, so it was not analysed.",
        False,
    ),
    CheckInfo(
        UNRESOLVED_TERRAFORM,
        "info",
        "Terraform rules (a module, a dynamic block, rules given by a reference) could not be resolved "
        "statically, so they were not analysed.",
        False,
    ),
    CheckInfo(
        SUPPRESSION_WITHOUT_REASON,
        "warning",
        "A `rulelint: ignore[...]` marker gives no reason for the exception.",
        False,
    ),
    CheckInfo(UNUSED_SUPPRESSION, "info", "A `rulelint: ignore[...]` marker suppresses nothing.", False),
    CheckInfo(INTERNAL_ERROR, "error", "A check failed on a zone: a fault in rulelint, not in the configuration.", False),
)

META_IDS = frozenset(info.id for info in META_CHECKS)


# -- a finding's identity across edits (baselines, SARIF and GitLab fingerprints) -------------

_INDEX = re.compile(r"\[\d+\]|(?<=/)\d+(?=/|$)")


def _sha256(data: bytes):
    """hashlib's SHA-256, imported on first use: only baselines and the SARIF and GitLab
    reports need a finding's identity, and importing hashlib (OpenSSL) is a noticeable part of
    a small run's start-up."""
    import hashlib

    return hashlib.sha256(data)


def expression_hash(expression: str | None) -> str:
    return _sha256((expression or "").encode("utf-8", "surrogatepass")).hexdigest()[:16]


def locator(finding: Finding) -> str:
    """A position-free name of the object a finding is about: its Cloudflare ref or id, else
    its JSON pointer or Terraform address with list indices removed."""
    loc = finding.location
    if loc.rule_ref or loc.rule_id:
        return f"rule:{loc.rule_ref or loc.rule_id}"
    path = loc.address or loc.pointer or ""
    return _INDEX.sub(lambda m: "[*]" if m.group().startswith("[") else "*", path)


def finding_key(finding: Finding) -> tuple[str, str, str, str]:
    """(check, zone, locator, expression hash): what identifies a finding across edits."""
    return (finding.check, finding.location.zone or "", locator(finding), expression_hash(finding.expression))


def fingerprint(finding: Finding) -> str:
    """A stable hex digest of ``finding_key`` (baselines, SARIF and GitLab reports)."""
    return _sha256("\x1f".join(finding_key(finding)).encode("utf-8", "surrogatepass")).hexdigest()
