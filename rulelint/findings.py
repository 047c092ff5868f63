"""What a check reports: a ``Finding`` with its ``Location`` and an optional ``Suggestion``.

These are the one shape every report format (text, JSON, SARIF, GitHub, JUnit, GitLab) is
rendered from; the field names follow the JSON output document (docs/json-output.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Location:
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

    @property
    def locator(self) -> str:
        """A position-free name of the object: stable when lines move (used by baselines)."""
        return self.address or self.pointer or self.rule_id or self.rule_ref or ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A complete, narrower replacement, already parsed and type-checked by rulelint."""

    expression: str | None = None
    action_parameters: dict[str, Any] | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    check: str  # kebab-case check id, e.g. "broad-skip"
    severity: str  # "error" | "warning" | "info"
    message: str
    location: Location
    suggestion: Suggestion | None = None
    # The expression the finding is about (its hash keys baselines), when there is one.
    expression: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file or "", loc.line or 0, loc.column or 0, self.check, self.message)
