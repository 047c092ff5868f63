"""Which of Cloudflare's managed rulesets a zone runs, from its own rulesets and the account
rulesets linked to it, and the ids Cloudflare gives them.

``managed-rules-coverage`` judges these ``execute`` rules; ``zone-setting-off`` asks whether a
zone runs the new WAF Managed Rules at all (then it has migrated off the previous-version WAF).
Ids: ``docs/ruleset-engine/managed-rulesets`` and ``docs/waf/managed-rules`` (see
``cloudflare-facts.md``, "Managed rulesets").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .exemptions import MANAGED_PHASE

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Rule, Ruleset, Zone

MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee"
FREE_MANAGED_RULESET = "77454fe2d30c4220b5701f6fdfb893ba"
OWASP_RULESET = "4814384a9e5d4991b9815dcfc25d2f1f"
EXPOSED_CREDENTIALS_RULESET = "c2e184081120413c86c3ab7e14069605"
# The last rule of the OWASP Core Ruleset: it blocks when the anomaly score passes the
# threshold. Disabled or skipped, OWASP blocks nothing.
OWASP_ANOMALY_RULE = "6179ae15870a4bb7b2d480d4843b323c"

RULESET_NAMES = {
    MANAGED_RULESET: "Cloudflare Managed Ruleset",
    FREE_MANAGED_RULESET: "Cloudflare Free Managed Ruleset",
    OWASP_RULESET: "Cloudflare OWASP Core Ruleset",
    EXPOSED_CREDENTIALS_RULESET: "Exposed Credentials Check",
}


def ruleset_name(ruleset_id: str) -> str:
    return RULESET_NAMES.get(ruleset_id, f"managed ruleset {ruleset_id}")


@dataclass(frozen=True)
class Execution:
    """One ``execute`` rule of the managed phase that runs against the zone."""

    rule: Rule
    ruleset: Ruleset  # the entry point (or account ruleset) holding the rule
    account_level: bool

    @property
    def managed_id(self) -> str | None:
        return self.rule.execute.id if self.rule.execute is not None else None


def _deploys(ruleset: Ruleset) -> bool:
    """Whether a ruleset is one the zone's owner writes in the managed phase (an entry point or
    a ruleset it executes), not one of Cloudflare's managed rulesets listed beside them."""
    return ruleset.phase == MANAGED_PHASE and ruleset.kind != "managed"


def managed_phase_rulesets(zone: Zone) -> list[Ruleset]:
    """The zone's managed-phase rulesets, then the account's that run on it."""
    return [r for r in [*zone.rulesets, *zone.account_rulesets] if _deploys(r)]


def zone_entry_points(zone: Zone) -> list[Ruleset]:
    """The zone's own managed-phase rulesets (account rulesets aside)."""
    return [r for r in zone.rulesets if _deploys(r)]


def managed_phase_read(zone: Zone) -> bool:
    """Whether the inputs say what the zone runs in the managed phase: a managed-phase ruleset
    (zone or account) is among them, or a ``rulelint fetch`` bundle records the zone's entry
    point as absent (404)."""
    return bool(managed_phase_rulesets(zone)) or any(
        u.what == f"rulesets:{MANAGED_PHASE}" and u.status == 404 for u in zone.unreadable
    )


def executions(zone: Zone) -> list[Execution]:
    """Every enabled ``execute`` rule of the managed phase that runs on the zone, zone-level
    first, in order."""
    found: list[Execution] = []
    for rulesets, account_level in ((zone.rulesets, False), (zone.account_rulesets, True)):
        for ruleset in rulesets:
            if not _deploys(ruleset):
                continue
            for rule in ruleset.rules:
                if rule.action == "execute" and rule.enabled and rule.execute is not None and rule.execute.id:
                    found.append(Execution(rule, ruleset, account_level or ruleset.account_level))
    return found


def switched_off(rule: Rule) -> bool:
    """Whether an ``execute`` rule's ruleset-level override disables or logs every rule:
    then the ruleset runs but blocks nothing."""
    params = rule.execute
    return params is not None and (params.enabled is False or params.action == "log")


def runs_managed_rules(zone: Zone) -> bool:
    """Whether the zone runs any WAF Managed Rules (the new WAF) at zone or account level,
    not counting an ``execute`` whose overrides switch the whole ruleset off or to log."""
    return any(not switched_off(execution.rule) for execution in executions(zone))


def core_rulesets(plan: str | None) -> tuple[str, ...]:
    """The rulesets that give a zone of ``plan`` its baseline managed protection: the
    Cloudflare Managed Ruleset, or on a Free plan the Free Managed Ruleset (either counts when
    the plan is unknown, and the full ruleset counts on every plan)."""
    if plan is None or is_free(plan):
        return (MANAGED_RULESET, FREE_MANAGED_RULESET)
    return (MANAGED_RULESET,)


def is_free(plan: str | None) -> bool:
    return plan is not None and plan.strip().lower().split()[:1] == ["free"]
