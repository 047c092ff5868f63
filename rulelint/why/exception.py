"""The narrowest exception for a request that is blocked but should not be, and its proof.

For a managed rule that fires: a managed-rules exception (phase
``http_request_firewall_managed``, action ``skip``, ``action_parameters.rules`` naming only
that rule of its ruleset) whose expression is exactly this request — host and path with
``eq``, method, and the source (``ip.src in {address}``, or a named IP list for a range or
when no address is known) — placed before the ``execute`` rule that runs the ruleset
(an exception only affects ``execute`` rules listed after it).

For a custom rule that blocks: the same request carved out of that rule's own expression
(``(…) and not (…)``), which keeps the rule for everyone else. For Super Bot Fight Mode: a
custom rule skipping phase ``http_request_sbfm`` for exactly this request.

Every exception is proved before it is shown: it parses and type-checks; it evaluates True on
the request; the zone with it added, walked again, no longer stops the request at that rule;
and rulelint's own checks report nothing on it.
"""

from __future__ import annotations

import re
import dataclasses
from dataclasses import dataclass

from ..analysis import narrowing
from ..analysis.evaluate import evaluate
from ..language import ast, parse, print_expression
from ..model import Configuration, Expression, Origin, Rule, Ruleset, SkipParameters, Zone
from .request import RequestDescription
from .trace import BLOCKED, CHALLENGED, ProposedException, Trace
from .walk import (
    CUSTOM, MANAGED, SBFM, entry_rulesets, resolve_blocked_by, rule_handle, rule_name, ruleset_handle, walk, where,
    zone_fields,
)

EXCEPTION_FILE = "<rulelint why exception>"
EXCEPTION_ID = "rulelint-why-exception"
# Super Bot Fight Mode rules cannot be skipped one by one ("Updating Super Bot Fight Mode rules
# through the Rulesets API is not supported", cloudflare-facts): the phase is the narrowest unit.
SBFM_PHASE_ONLY = "Super Bot Fight Mode can only be skipped as a whole phase; scoped to exactly this request"


@dataclass
class _Scope:
    expression: str
    tree: ast.Node
    list_name: str | None
    list_items: tuple[str, ...]
    notes: list[str]


def propose(zone: Zone, request: RequestDescription, trace: Trace) -> ProposedException | None:
    """The proven exception for the request the trace blocks, or None (with the reason added
    to the trace's notes) when there is none to write."""
    verdict = trace.verdict
    if verdict is None or verdict.outcome not in (BLOCKED, CHALLENGED) or verdict.step is None:
        return None
    step = trace.steps[verdict.step]
    if verdict.stage == MANAGED and step.action == "execute":
        return _managed_exception(zone, request, trace)
    if verdict.stage == CUSTOM:
        return _custom_change(zone, request, trace)
    if verdict.stage == "bot_fight_mode":
        trace.notes.append("No exception is written: no rule can exempt a request from Bot Fight Mode (see the advice).")
        return None
    if verdict.stage == SBFM:
        return _sbfm_exception(zone, request, trace)
    if verdict.stage == "http_ratelimit":
        trace.notes.append(f"No exception is written for {step.subject}: raise its rate or narrow its expression; "
                           "a skip of phase http_ratelimit would exempt the client from every rate limit.")
        return None
    trace.notes.append(f"No exception is written for {step.subject}: rulelint writes exceptions for managed and custom rules.")
    return None


# -- the request, as a condition --------------------------------------------------------------


def request_scope(request: RequestDescription, list_hint: str) -> _Scope:
    """``http.host eq … and http.request.uri.path eq … and http.request.method eq … and
    ip.src in …``: this request and no other path, method or source."""
    notes: list[str] = []
    parts: list[ast.Node] = [
        narrowing.host_in([request.host]),
        ast.Comparison(ast.Field("http.request.uri.path"), "eq", narrowing.string(request.path)),
        narrowing.method_is(request.method),
    ]
    list_name, items = None, ()
    if request.ip is not None and not request.source_is_range:
        parts.append(narrowing.source_in_addresses([request.ip]))
    else:
        list_name = narrowing.list_name(list_hint)
        items = (request.ip,) if request.ip else ()
        parts.append(narrowing.source_in_list(list_name))
        if request.ip:
            notes.append(f"create the IP list ${list_name} with {request.ip} (the clients this exception is for) before deploying it")
        else:
            notes.append(f"create the IP list ${list_name} with the addresses of the clients this exception is for "
                         "(no --ip was given) before deploying it")
    tree = narrowing.all_of(parts)
    text = print_expression(tree)
    if request.query:
        notes.append("the query string is not part of the condition (clients vary it); the path is matched exactly")
    return _Scope(text, parse(text).tree, list_name, items, notes)


# -- managed rules ----------------------------------------------------------------------------

OWASP_ANOMALY_RULE = "6179ae15870a4bb7b2d480d4843b323c"  # Cloudflare OWASP Core Ruleset, 949110
OWASP_SCORE_ONLY = (
    "the OWASP rules that add to this request's score are not known offline; the skip covers this exact request only"
)


def _managed_exception(zone: Zone, request: RequestDescription, trace: Trace) -> ProposedException | None:
    verdict = trace.verdict
    execute_step = trace.steps[verdict.step]
    ruleset, position, execute_rule = _locate_rule(zone, MANAGED, execute_step.rule_id, execute_step.ruleset_id)
    if execute_rule is None or execute_rule.execute is None or not execute_rule.execute.id:
        trace.notes.append("No exception is written: the execute rule that runs the managed rule is not in the configuration.")
        return None
    ruleset_id = execute_rule.execute.id
    _, rule_id = resolve_blocked_by(trace.blocked_by)
    scope = request_scope(request, f"{request.host} clients")
    description = f"rulelint why: {request.method} {request.path} trips managed rule {rule_id}"
    if rule_id == OWASP_ANOMALY_RULE:
        description += f"; rulelint: ignore[broad-skip] {OWASP_SCORE_ONLY}"
    api_rule = {
        "action": "skip",
        "action_parameters": {"rules": {ruleset_id: [rule_id]}},
        "expression": scope.expression,
        "description": description,
        "enabled": True,
    }
    model_rule = Rule(
        id=EXCEPTION_ID, action="skip", description=description, enabled=True,
        expression=Expression(text=scope.expression, origin=Origin(file=EXCEPTION_FILE)),
        skip=SkipParameters(rules={ruleset_id: [rule_id]}), action_parameters=api_rule["action_parameters"],
        origin=Origin(file=EXCEPTION_FILE), raw=api_rule,
    )
    placement = (
        f"in the {MANAGED} entry point ruleset {ruleset.name or ruleset.id or ''} ({where(ruleset.origin)}), "
        f"as a new rule just before the execute {rule_name(execute_rule)} ({where(execute_rule.origin)}): "
        "an exception only affects execute rules listed after it"
    ).replace("ruleset  (", "ruleset (")
    proposal = ProposedException(MANAGED, "managed-exception", api_rule, None, None, placement, notes=list(scope.notes))
    accept: dict[str, str] = {}
    if rule_id == OWASP_ANOMALY_RULE:
        # broad-skip reports any skip of the anomaly-score rule; for this one request it is the
        # narrowest exception known offline (the contributing rules are not).
        accept["broad-skip"] = OWASP_SCORE_ONLY
        proposal.notes.append(
            "this is the OWASP anomaly-score rule (949110): skipping it switches off all OWASP blocking for this request "
            "only; to keep OWASP scoring, skip instead the OWASP rules that add to the score (Security Events lists them)"
        )
    _terraform(proposal, ruleset, execute_rule, model_rule, replace=False)
    modified = _with_rule(zone, ruleset, position, model_rule)
    _prove(proposal, scope, request, modified, blocked_by=trace.blocked_by, blocked_in=trace.blocked_in,
           still_blocked=lambda t: t.verdict is not None and t.verdict.stage == MANAGED and t.verdict.outcome == BLOCKED,
           accept=accept)
    return proposal


# -- Super Bot Fight Mode ---------------------------------------------------------------------


def _sbfm_exception(zone: Zone, request: RequestDescription, trace: Trace) -> ProposedException | None:
    """A custom rule that skips phase ``http_request_sbfm`` for exactly this request: Super Bot
    Fight Mode can be skipped from custom rules (cloudflare-facts), and only that phase is
    skipped, so custom rules, rate limiting and managed rules still apply to the client."""
    rulesets = [r for r in entry_rulesets(zone, CUSTOM) if not r.account_level]
    ruleset = rulesets[-1] if rulesets else None
    scope = request_scope(request, f"{request.host} clients")
    description = (f"rulelint why: {request.method} {request.path} is not a bot to challenge; "
                   f"rulelint: ignore[broad-skip] {SBFM_PHASE_ONLY}")
    api_rule = {
        "action": "skip", "action_parameters": {"phases": [SBFM]}, "expression": scope.expression,
        "description": description, "enabled": True,
    }
    model_rule = Rule(
        id=EXCEPTION_ID, action="skip", description=description, enabled=True,
        expression=Expression(text=scope.expression, origin=Origin(file=EXCEPTION_FILE)),
        skip=SkipParameters(phases=[SBFM]), action_parameters=api_rule["action_parameters"],
        origin=Origin(file=EXCEPTION_FILE), raw=api_rule,
    )
    if ruleset is not None:
        placement = (f"as the first rule of the {CUSTOM} entry point ruleset {ruleset.name or ruleset.id or ''} "
                     f"({where(ruleset.origin)}): it only has to be reached, and a rule before it could stop the request")
        modified = _with_rule(zone, ruleset, 0, model_rule)
    else:
        placement = f"in the zone's {CUSTOM} entry point ruleset (this configuration has none: create it with this rule)"
        new_ruleset = Ruleset(phase=CUSTOM, kind="zone", name="default", rules=[model_rule], origin=Origin(file=EXCEPTION_FILE))
        modified = dataclasses.replace(zone, rulesets=[*zone.rulesets, new_ruleset])
    proposal = ProposedException(CUSTOM, "custom-skip", api_rule, None, None, placement.replace("ruleset  (", "ruleset ("),
                                 notes=list(scope.notes))
    version = (terraform_version(ruleset) if ruleset is not None else None) or "v5"
    where_ = ruleset.origin.address if ruleset is not None and ruleset.origin.address else f"the cloudflare_ruleset of phase {CUSTOM}"
    first = ruleset.rules[0] if ruleset is not None and ruleset.rules else None
    proposal.terraform_version = version
    proposal.terraform = (f"# provider {version}: in {where_}, insert "
                          + (f"before {rule_name(first)}" if first is not None else "as its first rule") + "\n"
                          + _hcl_rule(model_rule, version))
    proposal.notes.append(
        "Super Bot Fight Mode can only be skipped as a whole phase, so rulelint's broad-skip check reports any skip "
        "of it; the description carries the suppression marker with that reason"
    )
    _prove(proposal, scope, request, modified, blocked_by=trace.blocked_by,
           still_blocked=lambda t: t.verdict is not None and t.verdict.stage == SBFM,
           accept={"broad-skip": SBFM_PHASE_ONLY})
    return proposal


# -- custom rules -----------------------------------------------------------------------------


def _custom_change(zone: Zone, request: RequestDescription, trace: Trace) -> ProposedException | None:
    step = trace.steps[trace.verdict.step]
    ruleset, position, rule = _locate_rule(zone, CUSTOM, step.rule_id, step.ruleset_id)
    if rule is None or rule.expression is None:
        trace.notes.append("No exception is written: the blocking rule was not found in the configuration.")
        return None
    original = parse(rule.expression.text)
    if original.tree is None:
        return None
    scope = request_scope(request, f"{rule.description or request.host} clients")
    new_tree = narrowing.all_of([_grouped(original.tree), ast.Not(ast.Group(scope.tree))])
    text = print_expression(new_tree)
    api_rule = dict(rule.raw) if rule.raw else {"action": rule.action}
    api_rule["expression"] = text
    changed = dataclasses.replace(
        rule,
        expression=Expression(text=text, origin=Origin(file=EXCEPTION_FILE)),
        origin=Origin(file=EXCEPTION_FILE),
        id=EXCEPTION_ID,
    )
    placement = (
        f"replace the expression of {rule_name(rule)} ({where(rule.origin)}) in place: the rule keeps acting on every "
        "other request"
    )
    proposal = ProposedException(CUSTOM, "custom-rule-change", api_rule, None, None, placement, notes=list(scope.notes))
    _terraform(proposal, ruleset, rule, changed, replace=True)
    modified = _with_rule(zone, ruleset, position, changed, replace=True)
    _prove(proposal, scope, request, modified, blocked_by=None,
           still_blocked=lambda t: t.verdict is not None and t.verdict.rule_id == EXCEPTION_ID, matches=False,
           tree=parse(text).tree)
    return proposal


def _grouped(tree: ast.Node) -> ast.Node:
    return ast.Group(tree) if isinstance(tree, ast.Logical) and tree.op in ("or", "xor") else tree


# -- the proof --------------------------------------------------------------------------------


def _prove(proposal: ProposedException, scope: _Scope, request: RequestDescription, zone: Zone, *,
           blocked_by: str | None, still_blocked, blocked_in: str | None = None, matches: bool = True,
           tree: ast.Node | None = None, accept: dict[str, str] | None = None) -> None:
    """Record each proof step in ``proposal.proof``; a failed step is marked ``FAILED``.
    ``accept`` maps a check id to why its finding on this exception is expected (stated in the
    proof, never hidden)."""
    accept = accept or {}
    text = proposal.rule["expression"]
    parsed = parse(text)
    proof = proposal.proof
    proof.append("parses and type-checks" if parsed.ok else f"FAILED: does not parse: {parsed.diagnostics}")
    env = request.environment()
    env.fields = {**env.fields, **zone_fields(zone)}
    if scope.list_name is not None:
        env.lists = {**env.lists, scope.list_name: scope.list_items}
    result = evaluate(scope.tree, env)
    if result is True:
        proof.append("matches this request" + (f" (with ${scope.list_name} holding {request.ip})" if scope.list_name and request.ip else ""))
    elif scope.list_name is not None and not request.ip:
        proof.append(f"matches this request once ${scope.list_name} holds the client's address")
    else:
        proof.append(f"FAILED: does not match this request ({result})")
    if not matches and tree is not None:
        outcome = evaluate(tree, env)
        proof.append("the changed rule no longer matches this request" if outcome is False
                     else f"FAILED: the changed rule still matches this request ({outcome})")
    if scope.list_name is not None and request.ip:
        request = request.model_copy(update={"ip_lists": {**request.ip_lists, scope.list_name: scope.list_items}})
    retraced = walk(zone, request, blocked_by, blocked_in)
    if still_blocked(retraced):
        proof.append("FAILED: with it in place the request is still stopped at the same rule")
    else:
        proof.append("with it in place the request passes that rule (traced again)")
    found = [f for f in _findings(zone) if f.location.file == EXCEPTION_FILE]
    accepted = [f for f in found if f.check in accept]
    proof.extend(f"FAILED: rulelint {f.check}: {f.message}" for f in found if f.check not in accept)
    for finding in accepted:
        proof.append(f"rulelint {finding.check} reports it, accepted: {accept[finding.check]}")
    if not found:
        proof.append("rulelint's checks report nothing on it")
    elif len(accepted) == len(found):
        proof.append("rulelint's other checks report nothing on it")


def _findings(zone: Zone):
    from ..pipeline.engine import run_checks

    return run_checks(Configuration(zones=[zone]), suggestions=False, jobs=1)


def proven(proposal: ProposedException) -> bool:
    return not any(line.startswith("FAILED") for line in proposal.proof)


# -- placing it -------------------------------------------------------------------------------


def _locate_rule(zone: Zone, phase: str, rule_id: str | None, ruleset_id: str | None):
    """(ruleset, position, rule) of the rule a step names, searching the phase's rulesets and
    the custom rulesets they execute."""
    candidates = entry_rulesets(zone, phase) + [r for r in zone.rulesets if r.kind == "custom"]
    for ruleset in candidates:
        if ruleset_id is not None and ruleset_handle(ruleset) != ruleset_id:
            continue
        for position, rule in enumerate(ruleset.rules):
            if rule_id is not None and rule_handle(rule) == rule_id:
                return ruleset, position, rule
    return None, None, None


def _with_rule(zone: Zone, ruleset, position: int, rule: Rule, replace: bool = False) -> Zone:
    """A copy of ``zone`` with ``rule`` inserted before ``position`` of ``ruleset`` (or
    replacing the rule there); ``ruleset`` may be one of the zone's or a linked account one."""

    def placed(rulesets: list[Ruleset]) -> list[Ruleset]:
        out = []
        for candidate in rulesets:
            if candidate is ruleset:
                rules = list(candidate.rules)
                if replace:
                    rules[position] = rule
                else:
                    rules.insert(position, rule)
                candidate = dataclasses.replace(candidate, rules=rules)
            out.append(candidate)
        return out

    return dataclasses.replace(zone, rulesets=placed(zone.rulesets), account_rulesets=placed(zone.account_rulesets))


# -- Terraform --------------------------------------------------------------------------------


def terraform_version(ruleset) -> str | None:
    """"v4" or "v5" when ``ruleset`` was read from Terraform (v5 writes ``rules = [{…}]``, v4
    repeats ``rules { … }`` blocks), None for API JSON."""
    origin = ruleset.origin
    if not origin.address or not origin.file.endswith(".tf"):
        return None
    try:
        with open(origin.file, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return "v5"
    name = origin.address.split(".")[-1].split("[")[0]
    block = re.search(r'resource\s+"cloudflare_ruleset"\s+"' + re.escape(name) + r'"\s*\{(.*?)\n\}', text, re.S)
    body = block.group(1) if block else text
    return "v5" if re.search(r"\brules\s*=\s*\[", body) else "v4"


def _hcl_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${").replace("%{", "%%{")
    return f'"{escaped}"'


def _terraform(proposal: ProposedException, ruleset, anchor: Rule, rule: Rule, replace: bool) -> None:
    version = terraform_version(ruleset) or "v5"
    proposal.terraform_version = version
    where_ = ruleset.origin.address or "the cloudflare_ruleset of phase " + (ruleset.phase or "")
    if replace:
        proposal.terraform = (
            f"# in {where_}, {rule_name(anchor)}: replace its expression with\n"
            f"expression = {_hcl_string(rule.expression.text)}\n"
        )
        return
    body = _hcl_rule(rule, version)
    before = f"before the {'execute ' if anchor.action == 'execute' else ''}{rule_name(anchor)}" if anchor else "as its first rule"
    proposal.terraform = f"# provider {version}: in {where_}, insert {before}\n" + body


def _hcl_rule(rule: Rule, version: str) -> str:
    """The skip ``rule`` as a v4 ``rules { … }`` block or a v5 element of ``rules = [ … ]``."""
    params = rule.skip or SkipParameters()
    if params.rules:
        if version == "v4":  # v4: ruleset id -> comma-separated rule ids
            lines = [f'        "{rs}" = "{",".join(ids)}"' for rs, ids in params.rules.items()]
        else:
            lines = [f'        "{rs}" = [{", ".join(_hcl_string(i) for i in ids)}]' for rs, ids in params.rules.items()]
        inner = "      rules = {\n" + "\n".join(lines) + "\n      }\n"
    else:
        inner = f"      phases = [{', '.join(_hcl_string(p) for p in params.phases)}]\n"
    opening, parameters, closing = (
        ("  rules {\n", "    action_parameters {\n", "  }\n") if version == "v4"
        else ("  {\n", "    action_parameters = {\n", "  },\n")
    )
    return (
        opening
        + '    action = "skip"\n'
        + parameters + inner + "    }\n"
        + f"    expression  = {_hcl_string(rule.expression.text)}\n"
        + f"    description = {_hcl_string(rule.description)}\n"
        + "    enabled     = true\n"
        + closing
    )
