"""Facts about ruleset phases that several layers need: the token permission that reads a
phase's entry point, the phases rulelint's security checks depend on, and the table of
every phase with the actions and action parameters it accepts (``grammars/phases.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

#: Token permission needed to read a phase entry point, by phase (Cloudflare permission groups).
PHASE_PERMISSIONS: dict[str, str] = {
    "http_request_firewall_custom": "Zone WAF Read",
    "http_request_firewall_managed": "Zone WAF Read",
    "http_response_firewall_managed": "Zone WAF Read",
    "http_ratelimit": "Zone WAF Read",
    "http_request_sbfm": "Bot Management Read",
    "http_request_sanitize": "Sanitize Read",
    "http_request_transform": "Transform Rules Read",
    "http_request_late_transform": "Transform Rules Read",
    "http_response_headers_transform": "Transform Rules Read",
    "http_request_origin": "Origin Read",
    "http_request_cache_settings": "Cache Settings Read",
    "http_response_cache_settings": "Cache Settings Read",
    "http_config_settings": "Config Settings Read",
    "http_request_dynamic_redirect": "Dynamic URL Redirects Read",
    "http_request_redirect": "Dynamic URL Redirects Read",
    "http_custom_errors": "Custom Errors Read",
    "http_response_compression": "Response Compression Read",
    "http_log_custom_fields": "Logs Read",
    "ddos_l7": "HTTP DDoS Managed Ruleset Read",
}
DEFAULT_PHASE_PERMISSION = "Zone WAF Read"

#: Phases whose entry point rulelint's checks depend on. When the ruleset list does not show an
#: entry point for one of them, fetch asks for it directly, so a phase the token cannot read is
#: recorded as "not readable" (403) and a phase that is not configured as "absent" (404).
SECURITY_PHASES: tuple[str, ...] = (
    "http_request_firewall_custom",
    "http_ratelimit",
    "http_request_firewall_managed",
    "http_request_sbfm",
)


def phase_permission(phase: str | None) -> str:
    return PHASE_PERMISSIONS.get(phase or "", DEFAULT_PHASE_PERMISSION)


# -- the phases table (grammars/phases.json) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseInfo:
    """One Ruleset Engine phase as ``grammars/phases.json`` describes it.

    ``actions`` is None when the table does not say which actions the phase accepts (then no
    action is judged out of place there); ``parameters`` holds this phase's own
    ``action_parameters`` keys for an action, where they differ from the action's usual ones.
    """

    name: str
    stage: str  # request | response | logging | network
    actions: frozenset[str] | None
    parameters: dict[str, frozenset[str]]
    skippable_phases: tuple[str, ...] | None
    ratelimit: bool  # whether rules here carry a ``ratelimit`` object (rate limiting rules)


@dataclass(frozen=True, slots=True)
class PhaseTable:
    phases: dict[str, PhaseInfo]
    # Action -> its action_parameters keys; None when the table does not list them.
    actions: dict[str, frozenset[str] | None]
    skip_products: tuple[str, ...]
    page_rule_actions: tuple[str, ...]

    def parameter_keys(self, phase: str | None, action: str) -> frozenset[str] | None:
        """The action_parameters keys ``action`` takes in ``phase`` (None: not known)."""
        info = self.phases.get(phase or "")
        if info is not None and action in info.parameters:
            return info.parameters[action]
        return self.actions.get(action)

    def phases_at(self, stage: str) -> tuple[str, ...]:
        return tuple(name for name, info in self.phases.items() if info.stage == stage)


@cache
def phase_table() -> PhaseTable:
    """The table of phases, actions and their parameters, read once per process."""
    from ..resources import grammars_dir

    with open(grammars_dir() / "phases.json", encoding="utf-8") as handle:
        data = json.load(handle)
    phases = {
        name: PhaseInfo(
            name=name,
            stage=entry["stage"],
            actions=frozenset(entry["actions"]) if "actions" in entry else None,
            parameters={action: frozenset(keys) for action, keys in entry.get("parameters", {}).items()},
            skippable_phases=tuple(entry["skippable_phases"]) if "skippable_phases" in entry else None,
            ratelimit=bool(entry.get("ratelimit")),
        )
        for name, entry in data["phases"].items()
    }
    actions = {
        name: frozenset(entry["parameters"]) if "parameters" in entry else None
        for name, entry in data["actions"].items()
    }
    return PhaseTable(phases, actions, tuple(data["skip_products"]), tuple(data["page_rule_actions"]))
