"""undocumented-exception: an exception nobody can audit — a skip rule, a Firewall Rule
``allow``/``bypass`` or an IP Access Rule ``allow`` with no description (notes), or a skip
rule with ``logging: {enabled: false}``, whose matches never appear in Security Events.

Warning when the exception is broad (what broad-skip would call broad, or an IP Access allow
of a whole country or network), info otherwise. See docs/checks/undocumented-exception.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..findings import Finding, Suggestion
from ..model import FirewallRule
from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone

DESCRIPTION_TEMPLATE = "why: …; requested by: …; ticket: …; review by: YYYY-MM-DD"
# IP Access Rule targets that allow more than a known client's own addresses.
WIDE_ACCESS_TARGETS = frozenset({"country", "asn"})


class UndocumentedException(Check):
    id = "undocumented-exception"
    severity = "warning"
    summary = "An exception has no description, or its matches never reach Security Events."

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        facts = ctx.facts(zone)
        for exemption in facts.exemptions:
            rule = exemption.rule
            silent = getattr(rule, "logging_enabled", None) is False
            if exemption.description.strip() and not silent:
                continue
            tree = facts.tree(exemption.expression)
            broad = facts.is_broad(exemption, tree) if tree is not None else exemption.broad_skip
            # Without a description the subject would name the rule by id, which Terraform
            # does not have: the location says which rule it is.
            subject = exemption.subject if exemption.description.strip() else _anonymous(exemption)
            problems = []
            if not exemption.description.strip():
                problems.append("has no description, so no one reviewing it can tell why it exists, who asked for it or when it can go")
            if silent:
                problems.append(
                    "has logging turned off (logging.enabled: false), so the requests it lets "
                    "through never appear in Security Events"
                )
            message = f"{subject} turns off {exemption.what} and {' and '.join(problems)}."
            steps = []
            if not exemption.description.strip():
                if isinstance(rule, FirewallRule):  # no longer supported
                    steps.append(
                        "Firewall Rules are no longer supported: convert it to a custom-rule skip and give "
                        f'that a description such as "{DESCRIPTION_TEMPLATE}"'
                    )
                else:
                    steps.append(f'give it a description such as "{DESCRIPTION_TEMPLATE}"')
            if silent:
                steps.append("set logging: {enabled: true} so its matches show in Security Events")
            yield self.finding(
                "warning" if broad else "info",
                message,
                ctx.location(rule.origin, zone, exemption.rule_id, exemption.rule_ref),
                Suggestion(note="; ".join(steps)) if ctx.suggestions else None,
                exemption.expression.text if exemption.expression is not None else None,
            )
        for access in zone.access_rules:
            if access.mode != "whitelist" or access.notes.strip():
                continue
            wide = access.target in WIDE_ACCESS_TARGETS
            # A country allow does not bypass WAF Managed Rules (ip-access-rules/actions).
            bypassed = (
                "custom rules and rate limiting rules"
                if access.target == "country"
                else "custom rules, rate limiting rules and WAF Managed Rules"
            )
            message = (
                f"IP Access Rule allowing {access.target} {access.value} lets it bypass {bypassed} "
                "and has no notes, so no one reviewing it can tell why it exists, who asked for it "
                "or when it can go."
            )
            yield self.finding(
                "warning" if wide else "info",
                message,
                ctx.location(access.origin, zone, access.id),
                Suggestion(note=f'give it notes such as "{DESCRIPTION_TEMPLATE}"') if ctx.suggestions else None,
            )



def _anonymous(exemption) -> str:
    rule = exemption.rule
    if isinstance(rule, FirewallRule):
        return f"A Firewall Rule (action {rule.action})"
    return "A skip rule"
