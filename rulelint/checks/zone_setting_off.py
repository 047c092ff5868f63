"""zone-setting-off: a zone-wide setting that turns a security feature off.

- ``browser_check: off``: Browser Integrity Check keeps acting on every zone (it migrates to
  the Configuration Rule setting ``bic``), so turning it off zone-wide is a real downgrade
  (warning, as ``page-rule-waf-off`` says of one host: a zone-wide setting is never quieter).
- ``waf: off``: the previous-version WAF managed rules are off. On a zone that runs the new
  WAF Managed Rules the setting has no effect (info); on a zone whose managed phase was read and
  runs none, no managed rule inspects its traffic (warning); when the managed phase is not among
  the inputs, whether the zone migrated is unknown and nothing is said.
- ``security_level: off`` / ``essentially_off``: the threat score Security Level acted on is
  no longer populated, so the value lowers nothing (info: a stale setting, not a hole).

Facts: ``cloudflare-facts.md`` ("Page Rules and Configuration Rules: the
security settings", "Previous-version products and APIs"). See docs/checks/zone-setting-off.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..analysis.managed_rulesets import managed_phase_read, runs_managed_rules
from ..findings import Suggestion
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Setting, Zone

_SECURITY_OFF_LEVELS = ("off", "essentially_off")


class ZoneSettingOff(Check):
    id = "zone-setting-off"
    severity = "warning"
    summary = "A zone-wide setting turns a security feature off (Browser Integrity Check, previous-version WAF, Security Level)."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        for setting_id, setting in zone.settings.items():
            value = _text(setting.value)
            if setting_id == "browser_check" and value == "off":
                yield self._browser_check(zone, ctx, setting)
            elif setting_id == "waf" and value == "off":
                finding = self._legacy_waf(zone, ctx, setting)
                if finding is not None:
                    yield finding
            elif setting_id == "security_level" and value in _SECURITY_OFF_LEVELS:
                yield self._security_level(zone, ctx, setting, value)

    def _browser_check(self, zone: Zone, ctx: CheckContext, setting: Setting) -> Finding:
        message = (
            "Browser Integrity Check is off for the whole zone: requests with "
            "missing or abusive user agents and headers (common in spam bots and crawlers) are "
            "no longer challenged on any host."
        )
        fix = None
        if ctx.suggestions:
            fix = Suggestion(
                action_parameters={"value": "on"},
                note=(
                    "turn the setting back on; if one client misfires, turn Browser Integrity "
                    "Check off only for it: a Configuration Rule (set_config with bic: false in "
                    "phase http_config_settings) whose expression names its path and its "
                    "addresses (an IP list)"
                ),
            )
        return self.finding("warning", message, ctx.location(setting.origin, zone, setting.id), fix)

    def _legacy_waf(self, zone: Zone, ctx: CheckContext, setting: Setting) -> Finding | None:
        if runs_managed_rules(zone):
            message = (
                "The previous-version WAF setting is off, which changes nothing: the zone runs "
                "WAF Managed Rules, which the setting does not affect (the migration to the new "
                "WAF is irreversible)."
            )
            return self.finding("info", message, ctx.location(setting.origin, zone, setting.id))
        if not managed_phase_read(zone):
            return None  # whether the zone migrated is not among the inputs: cannot tell
        message = (
            "The previous-version WAF is off for the whole zone and the zone runs no WAF "
            "Managed Rules: no managed WAF rule inspects its traffic."
        )
        fix = None
        if ctx.suggestions:
            fix = Suggestion(
                note=(
                    "the previous-version WAF is deprecated (its APIs stopped on 2025-06-15): "
                    "deploy the Cloudflare Managed Ruleset (an execute rule in phase "
                    "http_request_firewall_managed; the Free Managed Ruleset on a Free plan) "
                    "instead of turning this setting back on"
                ),
            )
        return self.finding("warning", message, ctx.location(setting.origin, zone, setting.id), fix)

    def _security_level(self, zone: Zone, ctx: CheckContext, setting: Setting, value: str) -> Finding:
        message = (
            f"Security Level is {value.replace('_', ' ')} for the whole zone, but Cloudflare no "
            "longer populates the threat score Security Level acted on (it is always 0), so the "
            "value lowers nothing: a stale setting, not a hole."
        )
        return self.finding("info", message, ctx.location(setting.origin, zone, setting.id))


def _text(value) -> str:
    """A setting's value as Terraform or the API writes it (``"off"``, ``false``)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value).strip().lower() if value is not None else ""
