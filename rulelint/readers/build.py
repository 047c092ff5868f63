"""Build model objects from Cloudflare API-shaped nodes (one code path for every format).

Every reader presents its input as ``Node`` trees in the shape the Cloudflare API returns
(Terraform readers normalise first); these functions turn them into model objects, keeping
``raw`` verbatim and reporting unknown values as ``unknown-value`` findings.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..model import (
    AccessRule, BotManagement, CategoryOverride, DnsRecord, ExecuteParameters, Filter,
    FirewallRule, Lockdown, PageRule, PageRuleAction, Rule, RuleOverride, Ruleset, Setting,
    SkipParameters, UserAgentRule,
)
from . import vocabulary as vocab
from .nodes import JsonNode, Node
from .problems import INVALID_INPUT, Problems, kind_of, objects_in

_MAX_DEPTH = 32


def _str(node: Node | None, default: str | None = None) -> str | None:
    if node is None:
        return default
    value = node.value
    if value is None:
        return default
    return value if isinstance(value, str) else str(value)


def _bool(node: Node | None, default: bool | None = None) -> bool | None:
    if node is None or node.value is None:
        return default
    value = node.value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def _int(node: Node | None) -> int | None:
    if node is None:
        return None
    value = node.value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None  # NaN and Infinity load from JSON
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _str_list(node: Node | None) -> list[str]:
    if node is None:
        return []
    value = node.value
    if isinstance(value, list):
        return [item if isinstance(item, str) else str(item) for item in value if item is not None]
    if isinstance(value, str):
        return [value]
    return []


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(node: Node | None) -> dict:
    value = node.value if node is not None else None
    return value if isinstance(value, dict) else {}


def _expression(node: Node | None, context: str, problems: Problems, what: str = "expression"):
    if node is None:
        return None
    if node.unresolved is None and node.value is not None and not isinstance(node.value, str):
        problems.node(INVALID_INPUT, "error",
                      f"{what} must be a string, not {kind_of(node.value)}: not analysed", node)
        return None
    expression = node.expression(context)
    if expression is not None and expression.unresolved is not None:
        problems.node(
            "unresolved-interpolation", "info",
            f"expression uses {expression.unresolved}, which cannot be resolved without running "
            "Terraform: not analysed (lint the plan JSON to check it)",
            node,
        )
    return expression


def _check_value(node: Node | None, known: frozenset, what: str, problems: Problems, lower: bool = False) -> None:
    if node is None:
        return
    value = node.value
    if isinstance(value, str) and (value.lower() if lower else value) not in known:
        problems.unknown(node, what, value)


def _skip_parameters(node: Node | None, problems: Problems) -> SkipParameters:
    skip = SkipParameters.trusted()
    if node is None:
        return skip
    skip.ruleset = _str(node.get("ruleset"))
    skip.phases = _str_list(node.get("phases"))
    for phase in (node.get("phases").elements() if node.get("phases") is not None else []):
        _check_value(phase, vocab.PHASES, "phase", problems)
    skip.products = _str_list(node.get("products"))
    for product in (node.get("products").elements() if node.get("products") is not None else []):
        _check_value(product, vocab.SKIP_PRODUCTS, "skip product", problems, lower=True)
    skip.rulesets = _str_list(node.get("rulesets"))
    rules = _dict(node.get("rules"))
    for ruleset_id, ids in rules.items():
        if isinstance(ids, str):  # provider v4: comma-separated rule ids
            ids = [part.strip() for part in ids.split(",") if part.strip()]
        skip.rules[str(ruleset_id)] = [str(item) for item in ids] if isinstance(ids, list) else []
    return skip


def _override_enabled(entry: dict) -> bool | None:
    if isinstance(entry.get("enabled"), bool):
        return entry["enabled"]
    status = entry.get("status")  # older API/provider builds
    if status in ("enabled", "disabled"):
        return status == "enabled"
    return None


# ``id = cloudflare_ruleset.custom.id`` in Terraform: the executed ruleset, by address.
_RULESET_REFERENCE = re.compile(r"^(cloudflare_ruleset\.[A-Za-z0-9_-]+)\.id$")


def _execute_parameters(node: Node | None) -> ExecuteParameters:
    execute = ExecuteParameters.trusted()
    if node is None:
        return execute
    id_node = node.get("id")
    execute.id = _str(id_node)
    if id_node is not None and id_node.unresolved is not None:
        match = _RULESET_REFERENCE.match(id_node.unresolved)
        execute.ruleset_ref = match.group(1) if match else None
    overrides = _dict(node.get("overrides"))
    execute.enabled = _override_enabled(overrides)
    execute.action = overrides.get("action") if isinstance(overrides.get("action"), str) else None
    for entry in _list(overrides.get("rules")):
        if isinstance(entry, dict) and entry.get("id") is not None:
            execute.rules.append(RuleOverride.trusted(
                id=str(entry["id"]), enabled=_override_enabled(entry),
                action=entry.get("action") if isinstance(entry.get("action"), str) else None,
            ))
    for entry in _list(overrides.get("categories")):
        if isinstance(entry, dict) and entry.get("category") is not None:
            execute.categories.append(CategoryOverride.trusted(
                category=str(entry["category"]), enabled=_override_enabled(entry),
                action=entry.get("action") if isinstance(entry.get("action"), str) else None,
            ))
    return execute


# Where Cloudflare documents an expression that computes a value, and what it must produce:
# "string" (strictly Bytes) for URL rewrites and dynamic redirect targets, "value" (one
# scalar) for header values. Keyed by the last keys of its path inside action_parameters.
_STRING_EXPRESSIONS = frozenset({("uri", "path"), ("uri", "query"), ("from_value", "target_url")})
# exposed_credential_check.username_expression / password_expression (rule level): strings.
_CREDENTIAL_EXPRESSIONS = ("username_expression", "password_expression")


def value_context(path: tuple) -> str:
    """The parse context of the ``expression`` reached by ``path`` (keys inside
    action_parameters; None for list positions): "string" or "value"."""
    if path[-2:] in _STRING_EXPRESSIONS:
        return "string"
    return "value"


def _value_expressions(node: Node | None, problems: Problems) -> list:
    """Every ``expression`` inside action_parameters (rewrite/redirect values), in order."""
    found = []
    if node is None:
        return found
    if isinstance(node, JsonNode):
        return _json_value_expressions(node, problems)
    stack: list[tuple[tuple, Node, int]] = [((), node, 0)]
    while stack:
        path, current, depth = stack.pop()
        if path and path[-1] == "expression" and (isinstance(current.value, str) or current.unresolved):
            found.append(_expression(current, value_context(path[:-1]), problems))
            continue
        if depth > _MAX_DEPTH:
            continue
        if current.is_dict():
            stack.extend((path + (k,), child, depth + 1) for k, child in reversed(list(current.items())))
        elif current.is_list():
            stack.extend((path + (None,), child, depth + 1) for child in reversed(current.elements()))
    return found


def _json_value_expressions(node: JsonNode, problems: Problems) -> list:
    """``_value_expressions`` for JSON: walks the plain values, making nodes only for the
    containers on the way and the expressions found (same order and depth limit)."""
    found = []
    stack = [(node, _members(node.value), 0, ())]
    while stack:
        parent, members, depth, path = stack[-1]
        for key, value in members:
            if value.__class__ is str:
                if key == "expression":
                    found.append(_expression(parent._child(key, value), value_context(path), problems))
            elif isinstance(value, (dict, list)) and depth < _MAX_DEPTH:
                child_path = path + (key if key.__class__ is str else None,)
                stack.append((parent._child(key, value), _members(value), depth + 1, child_path))
                break
        else:
            stack.pop()
    return found


def _credential_expressions(node: Node | None, problems: Problems) -> list:
    """exposed_credential_check's username and password expressions (they compute strings)."""
    if node is None or not node.is_dict():
        return []
    found = []
    for key in _CREDENTIAL_EXPRESSIONS:
        child = node.get(key)
        if child is not None:
            expression = _expression(child, "string", problems)
            if expression is not None:
                found.append(expression)
    return found


def _members(value):
    return iter(value.items()) if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else iter(())


def _known(node: Node, raw: dict, key: str, known: frozenset, what: str, problems: Problems) -> None:
    """Report ``raw[key]`` when it is a string outside ``known`` (node made only then)."""
    value = raw.get(key)
    if isinstance(value, str) and value not in known:
        problems.unknown(node.get(key), what, value)


def build_rule(node: Node, problems: Problems) -> Rule:
    raw = _dict(node)
    action = raw.get("action")
    action = action if isinstance(action, str) else ""
    if action:
        _known(node, raw, "action", vocab.RULE_ACTIONS, "rule action", problems)
    for key in raw:
        if key not in vocab.RULE_KEYS:
            problems.unknown(node.get(key), "rule field", key)
    parameters = node.get("action_parameters") if "action_parameters" in raw else None
    # Not an object (a string, a number…): reported, and the rule's skip/execute left unknown
    # (None) rather than read as "skips nothing".
    invalid_parameters = (parameters is not None and parameters.unresolved is None
                          and parameters.value is not None and not parameters.is_dict())
    if invalid_parameters:
        problems.node(INVALID_INPUT, "error",
                      f"action_parameters must be an object, not {kind_of(parameters.value)}: "
                      "what the rule does is not analysed", parameters)
        parameters = None
    logging = raw.get("logging")
    ratelimit = raw.get("ratelimit")
    description = raw.get("description")
    enabled = raw.get("enabled")
    expression_node = node.get("expression") if "expression" in raw else None
    expression = _expression(expression_node, "filter", problems, "rule expression") if expression_node is not None else None
    value_expressions = [e for e in _value_expressions(parameters, problems) if e is not None] if raw.get("action_parameters") else []
    if "exposed_credential_check" in raw:
        value_expressions.extend(_credential_expressions(node.get("exposed_credential_check"), problems))
    rule = Rule.trusted(
        id=_plain_str(raw.get("id")),
        ref=_plain_str(raw.get("ref")),
        description=description if isinstance(description, str) else "",
        action=action,
        enabled=enabled if isinstance(enabled, bool) else _bool(node.get("enabled"), True) if "enabled" in raw else True,
        expression=expression,
        skip=_skip_parameters(parameters, problems) if action == "skip" and not invalid_parameters else None,
        execute=_execute_parameters(parameters) if action == "execute" and not invalid_parameters else None,
        ratelimit=ratelimit if isinstance(ratelimit, dict) else None,
        logging_enabled=logging.get("enabled") if isinstance(logging, dict) and isinstance(logging.get("enabled"), bool) else None,
        value_expressions=value_expressions,
        action_parameters=parameters.value if parameters is not None and isinstance(parameters.value, dict) else {},
        origin=node.origin(),
        raw=raw,
        field_origins=_rule_field_origins(node, raw, parameters, expression_node, expression),
    )
    if isinstance(ratelimit, dict) and ratelimit.get("counting_expression") is not None:
        rule.counting_expression = _expression(node.get("ratelimit").get("counting_expression"), "filter", problems,
                                               "counting_expression")
    return rule


_RULE_FIELDS = ("action", "action_parameters", "expression", "description", "enabled")


def _rule_field_origins(node: Node, raw: dict, parameters: Node | None, expression_node: Node | None,
                        expression) -> dict:
    if expression is not None and expression_node.key_start is None:
        # JSON: the expression's own origin is the value's (made once, shared).
        return node.field_origins(_RULE_FIELDS, {"expression": expression.origin})
    return node.field_origins(_RULE_FIELDS)


def _plain_str(value) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def build_ruleset(node: Node, problems: Problems, account_level: bool = False) -> Ruleset:
    _check_value(node.get("kind"), vocab.RULESET_KINDS, "ruleset kind", problems)
    _check_value(node.get("phase"), vocab.PHASES, "phase", problems)
    rules_node = node.get("rules")
    rules = [build_rule(rule, problems) for rule in objects_in(rules_node, "rules", problems)]
    raw = _dict(node)
    return Ruleset.trusted(
        id=_str(node.get("id")),
        name=_str(node.get("name"), "") or "",
        description=_str(node.get("description"), "") or "",
        kind=_str(node.get("kind")),
        phase=_str(node.get("phase")),
        rules=rules,
        account_level=account_level or raw.get("kind") == "root",
        rules_complete=rules_node is not None,
        origin=node.origin(),
        raw=raw,
    )


def build_page_rule(node: Node, problems: Problems) -> PageRule:
    targets = []
    for target in (node.get("targets").elements() if node.get("targets") is not None else []):
        constraint = _dict(target.get("constraint"))
        if isinstance(constraint.get("value"), str):
            targets.append(constraint["value"])
        elif isinstance(target.value, str):
            targets.append(target.value)
    actions = []
    for action in (node.get("actions").elements() if node.get("actions") is not None else []):
        action_id = _str(action.get("id"))
        if action_id is None:
            continue
        _check_value(action.get("id"), vocab.PAGE_RULE_ACTIONS, "page rule action", problems)
        value = action.get("value")
        actions.append(PageRuleAction.trusted(
            id=action_id, value=value.value if value is not None else None, origin=action.field_origin(),
        ))
    return PageRule.trusted(
        id=_str(node.get("id")),
        targets=targets,
        actions=actions,
        status=_str(node.get("status"), "active") or "active",
        priority=_int(node.get("priority")),
        origin=node.origin(),
        raw=_dict(node),
    )


def build_filter(node: Node, problems: Problems) -> Filter:
    return Filter.trusted(
        id=_str(node.get("id")),
        expression=_expression(node.get("expression"), "filter", problems, "filter expression"),
        paused=_bool(node.get("paused"), False),
        description=_str(node.get("description"), "") or "",
        origin=node.origin(),
        raw=_dict(node),
    )


def build_firewall_rule(node: Node, problems: Problems) -> FirewallRule:
    action_node = node.get("action")
    if action_node is not None and action_node.is_dict():  # provider v5: action = { mode = ... }
        action_node = action_node.get("mode")
    _check_value(action_node, vocab.FIREWALL_ACTIONS, "firewall rule action", problems)
    filter_node = node.get("filter")
    embedded = None
    filter_id = _str(node.get("filter_id"))
    if filter_node is not None and filter_node.is_dict():
        filter_id = filter_id or _str(filter_node.get("id"))
        if filter_node.get("expression") is not None:
            embedded = build_filter(filter_node, problems)
    for product in (node.get("products").elements() if node.get("products") is not None else []):
        _check_value(product, vocab.SKIP_PRODUCTS, "firewall rule product", problems, lower=True)
    return FirewallRule.trusted(
        id=_str(node.get("id")),
        action=_str(action_node, "") or "",
        filter=embedded,
        filter_id=filter_id,
        paused=_bool(node.get("paused"), False),
        description=_str(node.get("description"), "") or "",
        priority=_int(node.get("priority")),
        products=_str_list(node.get("products")),
        origin=node.origin(),
        raw=_dict(node),
    )


def build_access_rule(node: Node, problems: Problems) -> AccessRule:
    configuration = node.get("configuration")
    _check_value(node.get("mode"), vocab.ACCESS_MODES, "access rule mode", problems)
    if configuration is not None:
        _check_value(configuration.get("target"), vocab.ACCESS_TARGETS, "access rule target", problems)
    scope = _dict(node.get("scope"))
    return AccessRule.trusted(
        id=_str(node.get("id")),
        mode=_str(node.get("mode"), "") or "",
        target=_str(configuration.get("target") if configuration else None, "") or "",
        value=_str(configuration.get("value") if configuration else None, "") or "",
        notes=_str(node.get("notes"), "") or "",
        scope=scope.get("type") if isinstance(scope.get("type"), str) else None,
        origin=node.origin(),
        raw=_dict(node),
    )


def build_lockdown(node: Node, problems: Problems) -> Lockdown:
    configurations = node.get("configurations")
    return Lockdown.trusted(
        id=_str(node.get("id")),
        urls=_str_list(node.get("urls")),
        configurations=[item for item in _list(configurations.value if configurations is not None else None) if isinstance(item, dict)],
        paused=_bool(node.get("paused"), False),
        description=_str(node.get("description"), "") or "",
        origin=node.origin(),
        raw=_dict(node),
    )


def build_ua_rule(node: Node, problems: Problems) -> UserAgentRule:
    configuration = _dict(node.get("configuration"))
    _check_value(node.get("mode"), vocab.ACCESS_MODES, "user agent rule mode", problems)
    return UserAgentRule.trusted(
        id=_str(node.get("id")),
        mode=_str(node.get("mode"), "") or "",
        value=str(configuration.get("value") or ""),
        paused=_bool(node.get("paused"), False),
        description=_str(node.get("description"), "") or "",
        origin=node.origin(),
        raw=_dict(node),
    )


def build_setting(node: Node, setting_id: str | None = None) -> Setting | None:
    """A zone setting: ``{id, value, …}`` or, keyed by id, ``{value, …}`` or a bare value."""
    written = node  # where the value is written
    if node.is_dict() and ("value" in (node.value or {}) or setting_id is None):
        setting_id = setting_id or _str(node.get("id"))
        value_node = node.get("value")
        if value_node is None:
            value_node = node.get("enabled")
        value: Any = value_node.value if value_node is not None else None
        if value_node is not None:
            written = value_node
    else:
        value = node.value
    if not setting_id:
        return None
    return Setting.trusted(id=setting_id, value=value, origin=written.field_origin())


def build_bot_management(node: Node, problems: Problems) -> BotManagement:
    return BotManagement.trusted(
        fight_mode=_bool(node.get("fight_mode")),
        sbfm_definitely_automated=_str(node.get("sbfm_definitely_automated")),
        sbfm_likely_automated=_str(node.get("sbfm_likely_automated")),
        sbfm_verified_bots=_str(node.get("sbfm_verified_bots")),
        sbfm_static_resource_protection=_bool(node.get("sbfm_static_resource_protection")),
        enable_js=_bool(node.get("enable_js")),
        origin=node.origin(),
        raw=_dict(node),
        field_origins=node.field_origins(list(_dict(node))),
    )


def build_dns_record(node: Node, problems: Problems) -> DnsRecord:
    content = node.get("content")
    if content is None:
        content = node.get("value")  # provider v4 cloudflare_record
    return DnsRecord.trusted(
        id=_str(node.get("id")),
        name=_str(node.get("name"), "") or "",
        type=_str(node.get("type"), "") or "",
        content=_str(content),
        proxied=_bool(node.get("proxied")),
        origin=node.origin(),
    )
