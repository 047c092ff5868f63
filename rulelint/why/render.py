"""A trace as text (one line per step, then the verdict and the exception) or as JSON
(``Trace.as_dict``, documented in docs/why.md). Plain text: it is read in terminals, CI logs
and bug reports alike, and tests compare it exactly."""

from __future__ import annotations

import json

from .trace import DISABLED, MATCHED, NOT_MATCHED, NOT_REACHED, SKIPPED, UNKNOWN, Trace

MARKS = {MATCHED: "✓", NOT_MATCHED: "✗", UNKNOWN: "?", SKIPPED: "–", DISABLED: "–", NOT_REACHED: "·"}


def as_json(trace: Trace) -> str:
    return json.dumps(trace.as_dict(), indent=2, ensure_ascii=False) + "\n"


def as_text(trace: Trace) -> str:
    request = trace.request
    zone = f"zone {trace.zone}" if trace.zone else "the configuration's only zone"
    lines = [f"why: {request['method']} {request['url']}" + (f" from {request['ip']}" if request["ip"] else "")
             + f"  ({zone})"]
    event = trace.event
    if event:
        described = f' "{event["description"]}"' if event.get("description") else ""
        rule = f" rule {event['rule_id']}" if event.get("rule_id") else ""
        lines.append(f"Security Events: Ray ID {event['ray_id']}, {event['action']} by {event['source']}{rule}{described}")
    elif trace.blocked_by:
        lines.append(f"Security Events: acted on by {trace.blocked_by}")
    stage = None
    for step in trace.steps:
        if step.stage != stage:
            stage = step.stage
            lines.append("")
            lines.append(f"{stage}")
        head = f"  {MARKS.get(step.outcome, ' ')} {step.outcome:<11} {step.subject}"
        if step.location:
            head += f"  [{step.location}]"
        lines.append(head)
        if step.outcome == NOT_MATCHED and step.failed_condition:
            lines.append(f"      failed: {step.failed_condition}")
        for reason in step.depends_on:
            lines.append(f"      {reason}")
        if step.effect and step.outcome == NOT_MATCHED:
            lines.append(f"      → not taken: {step.effect}")
        elif step.effect and step.outcome == UNKNOWN:
            lines.append(f"      → if it matches: {step.effect}")
        elif step.effect:
            lines.append(f"      → {step.effect}")
        for note in step.notes:
            lines.append(f"      · {note}")
    verdict = trace.verdict
    lines.append("")
    if verdict is not None:
        lines.append(f"verdict: {verdict.summary}")
        for item in verdict.possible:
            lines.append(f"  may also act: {item}")
        for item in verdict.advice:
            lines.append(f"  {item}")
    for note in trace.notes:
        lines.append(f"note: {note}")
    proposal = trace.exception
    if proposal is not None:
        lines.append("")
        title = "narrowest change" if proposal.kind == "custom-rule-change" else "narrowest exception"
        lines.append(f"{title} ({proposal.kind}, phase {proposal.phase}):")
        lines.append(f"  expression: {proposal.rule['expression']}")
        if proposal.kind != "custom-rule-change":
            lines.append(f"  action_parameters: {json.dumps(proposal.rule['action_parameters'])}")
        lines.append(f"  where: {proposal.placement}")
        for note in proposal.notes:
            lines.append(f"  note: {note}")
        lines.append("  proof: " + "; ".join(proposal.proof))
        lines.append("  API JSON:")
        lines.extend("    " + line for line in json.dumps(proposal.rule, indent=2).splitlines())
        if proposal.terraform:
            lines.append(f"  Terraform ({proposal.terraform_version}):")
            lines.extend("    " + line for line in proposal.terraform.rstrip("\n").splitlines())
    return "\n".join(lines) + "\n"
