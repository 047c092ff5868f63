"""Which managed rulesets really act on a zone's traffic, not merely appear in an ``execute``
rule.

Cloudflare (ruleset-engine/managed-rulesets/override-managed-ruleset): the overrides of an
``execute`` rule apply to all traffic its expression matches. An ``execute`` rule whose
overrides turn the ruleset off (``enabled: false``) or make every rule only log
(``action: "log"``) deploys a ruleset that blocks nothing: a check must not say the zone "runs"
it, nor name it in a suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .exemptions import MANAGED_PHASE

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Rule, Zone


def acting_managed_rulesets(zone: Zone) -> list[str]:
    """Ids of the managed rulesets the zone's managed phase executes with blocking left on,
    in order, once each."""
    ids: dict[str, None] = {}
    for rule in zone.rules_by_phase(MANAGED_PHASE):
        if executes_and_acts(rule):
            ids.setdefault(rule.execute.id)
    return list(ids)


def executes_and_acts(rule: Rule) -> bool:
    """An enabled ``execute`` rule naming a ruleset, whose ruleset-wide overrides neither turn
    it off nor make it only log."""
    execute = rule.execute
    if rule.action != "execute" or not rule.enabled or execute is None or not execute.id:
        return False
    return execute.enabled is not False and execute.action != "log"
