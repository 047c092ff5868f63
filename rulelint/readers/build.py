"""Build model objects from Cloudflare API-shaped nodes (one code path for every format).

Every reader presents its input as ``Node`` trees in the shape the Cloudflare API returns
(Terraform readers normalise first); these functions turn them into model objects, keeping
``raw`` verbatim and reporting unknown values as ``unknown-value`` findings.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..findings import UNRESOLVED_INTERPOLATION
from ..model import (
    AccessRule, BotManagement, CategoryOverride, DnsRecord, ExecuteParameters, Filter,
    FirewallRule, Lockdown, PageRule, PageRuleAction, Rule, RuleOverride, Ruleset, Setting,
    SkipParameters, UserAgentRule,
)
from . import vocabulary as vocab
from .nodes import JsonNode, Node
from .problems import INVALID_INPUT, Problems, expect_object, kind_of, objects_in

_MAX_DEPTH = 32


def _wrong_type(node: Node, what: str, expected: str, problems: Problems, effect: str = "ignored") -> None:
    """One ``invalid-input`` finding at a value whose JSON type cannot be used."""
    problems.node(INVALID_INPUT, "error", f"{what} must be {expected}, not {kind_of(node.value)}: {effect}", node)


def _checked(node: Node | None, problems: Problems | None) -> bool:
    """Whether a wrong type in ``node`` is reported: values written in JSON (API exports,
    bundles, plans) must have the API's types; Terraform converts numbers and booleans to the
    strings its schema wants, so HCL values are converted the same way, silently."""
    return problems is not None and isinstance(node, JsonNode)


def _str(node: Node | None, default: str | None = None, problems: Problems | None = None,
         what: str = "value", required: bool = False, number: bool = False) -> str | None:
    """The string in ``node``; ``default`` when absent or null (null reported when
    ``required``), and when of another type (reported when given ``problems``). A number
    is taken as written when ``number`` (identifiers)."""
    if node is None:
        return default
    value = node.value
    if value.__class__ is str:
        return value
    if value is None:
        if required and problems is not None and node.unresolved is None:
            _wrong_type(node, what, "a string", problems)
        return default
    if isinstance(value, (dict, list)) or (_checked(node, problems) and not (number and _is_number(value))):
        if problems is not None and node.unresolved is None:
            _wrong_type(node, what, "a string", problems)
        return default
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bool(node: Node | None, default: bool | None = None, problems: Problems | None = None,
          what: str = "value") -> bool | None:
    if node is None or node.value is None:
        return default
    value = node.value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if problems is not None and node.unresolved is None:
        _wrong_type(node, what, "a boolean", problems)
    return default


def _int(node: Node | None, problems: Problems | None = None, what: str = "value") -> int | None:
    if node is None or node.value is None:
        return None
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value):  # NaN and Infinity load from JSON
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    if problems is not None and node.unresolved is None:
        _wrong_type(node, what, "a number", problems)
    return None


def _str_list(node: Node | None, problems: Problems | None = None, what: str = "value") -> list[str]:
    """The strings of an array (one string counts as a one-item array); null items are
    dropped; other items and other values are reported (given ``problems``)."""
    if node is None:
        return []
    value = node.value
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        if all(item.__class__ is str for item in value):
            return list(value)
        strings = []
        for index, element in enumerate(node.elements()):
            item = _str(element, None, problems, f"{what}[{index}]")
            if item is not None:
                strings.append(item)
        return strings
    if value is not None and problems is not None and node.unresolved is None:
        _wrong_type(node, what, "an array of strings", problems)
    return []


def _dict(node: Node | None) -> dict:
    value = node.value if node is not None else None
    return value if isinstance(value, dict) else {}


def _expression(node: Node | None, context: str, problems: Problems, what: str = "expression"):
    if node is None:
        return None
    if node.unresolved is None and not isinstance(node.value, str):
        problems.node(INVALID_INPUT, "error",
                      f"{what} must be a string, not {kind_of(node.value)}: not analysed", node)
        return None
    expression = node.expression(context)
    if expression is not None and expression.unresolved is not None:
        problems.node(
            UNRESOLVED_INTERPOLATION, "info",
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
    skip.ruleset = _str(node.get("ruleset"), None, problems, "action_parameters.ruleset")
    phases = node.get("phases")
    skip.phases = _str_list(phases, problems, "action_parameters.phases")
    # Unknown phases and products are the invalid-rule check's to report (with the right name).
    skip.products = _str_list(node.get("products"), problems, "action_parameters.products")
    skip.rulesets = _str_list(node.get("rulesets"), problems, "action_parameters.rulesets")
    rules = node.get("rules")
    if expect_object(rules, "action_parameters.rules", problems):
        for ruleset_id, ids in rules.items():
            if isinstance(ids.value, str):  # provider v4: comma-separated rule ids
                skip.rules[ruleset_id] = [part.strip() for part in ids.value.split(",") if part.strip()]
            else:
                skip.rules[ruleset_id] = _str_list(ids, problems, f"action_parameters.rules.{ruleset_id}")
    return skip


def _override_enabled(node: Node, problems: Problems, what: str) -> bool | None:
    enabled = node.get("enabled")
    if enabled is not None and enabled.value is not None:
        return _bool(enabled, None, problems, f"{what}.enabled")
    status = node.get("status")  # older API/provider builds
    if status is not None and status.value in ("enabled", "disabled"):
        return status.value == "enabled"
    return None


# ``id = cloudflare_ruleset.custom.id`` in Terraform: the executed ruleset, by address.
_RULESET_REFERENCE = re.compile(r"^(cloudflare_ruleset\.[A-Za-z0-9_-]+)\.id$")


def _execute_parameters(node: Node | None, problems: Problems) -> ExecuteParameters:
    execute = ExecuteParameters.trusted()
    if node is None:
        return execute
    id_node = node.get("id")
    execute.id = _str(id_node, None, problems, "action_parameters.id", number=True)
    if id_node is not None and id_node.unresolved is not None:
        match = _RULESET_REFERENCE.match(id_node.unresolved)
        execute.ruleset_ref = match.group(1) if match else None
    overrides = node.get("overrides")
    if not expect_object(overrides, "action_parameters.overrides", problems):
        return execute
    what = "action_parameters.overrides"
    execute.enabled = _override_enabled(overrides, problems, what)
    execute.action = _str(overrides.get("action"), None, problems, f"{what}.action")
    for entry in objects_in(overrides.get("rules"), f"{what}.rules", problems):
        rule_id = _str(entry.get("id"), None, problems, f"{what}.rules id", number=True)
        if rule_id is not None:
            execute.rules.append(RuleOverride.trusted(
                id=rule_id, enabled=_override_enabled(entry, problems, f"{what}.rules"),
                action=_str(entry.get("action"), None, problems, f"{what}.rules action"),
            ))
    for entry in objects_in(overrides.get("categories"), f"{what}.categories", problems):
        category = _str(entry.get("category"), None, problems, f"{what}.categories category")
        if category is not None:
            execute.categories.append(CategoryOverride.trusted(
                category=category, enabled=_override_enabled(entry, problems, f"{what}.categories"),
                action=_str(entry.get("action"), None, problems, f"{what}.categories action"),
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


def build_rule(node: Node, problems: Problems) -> Rule:
    raw = _dict(node)
    action = raw.get("action")
    if action.__class__ is not str:
        action = _str(node.get("action"), "", problems, "rule action", required=True) if "action" in raw else ""
    # An unknown action is the invalid-rule check's to report (with the closest known one).
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
    if logging is not None and logging.__class__ is not dict:
        expect_object(node.get("logging"), "rule logging", problems)
    logging_enabled = logging.get("enabled") if logging.__class__ is dict else None
    if logging_enabled is not None and logging_enabled.__class__ is not bool:
        logging_enabled = _bool(node.get("logging").get("enabled"), None, problems, "rule logging.enabled")
    ratelimit = raw.get("ratelimit")
    if ratelimit is not None and ratelimit.__class__ is not dict:
        expect_object(node.get("ratelimit"), "rule ratelimit", problems)
    description = raw.get("description")
    if description is not None and description.__class__ is not str:
        description = _str(node.get("description"), "", problems, "rule description")
    enabled = raw.get("enabled")
    if enabled is not None and enabled.__class__ is not bool:
        enabled = _bool(node.get("enabled"), True, problems, "rule enabled")
    rule_id, ref = raw.get("id"), raw.get("ref")
    if rule_id is not None and rule_id.__class__ is not str:
        rule_id = _str(node.get("id"), None, problems, "rule id", number=True)
    if ref is not None and ref.__class__ is not str:
        ref = _str(node.get("ref"), None, problems, "rule ref", number=True)
    expression_node = node.get("expression") if "expression" in raw else None
    expression = _expression(expression_node, "filter", problems, "rule expression") if expression_node is not None else None
    value_expressions = [e for e in _value_expressions(parameters, problems) if e is not None] if raw.get("action_parameters") else []
    if "exposed_credential_check" in raw:
        value_expressions.extend(_credential_expressions(node.get("exposed_credential_check"), problems))
    rule = Rule.trusted(
        id=rule_id,
        ref=ref,
        description=description or "",
        action=action,
        enabled=True if enabled is None else enabled,
        expression=expression,
        skip=_skip_parameters(parameters, problems) if action == "skip" and not invalid_parameters else None,
        execute=_execute_parameters(parameters, problems) if action == "execute" and not invalid_parameters else None,
        ratelimit=ratelimit if isinstance(ratelimit, dict) else None,
        logging_enabled=logging_enabled,
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


def build_ruleset(node: Node, problems: Problems, account_level: bool = False) -> Ruleset:
    _check_value(node.get("kind"), vocab.RULESET_KINDS, "ruleset kind", problems)
    # An unknown phase is the invalid-rule check's to report (with the closest known one).
    rules_node = node.get("rules")
    rules = [build_rule(rule, problems) for rule in objects_in(rules_node, "rules", problems)]
    raw = _dict(node)
    return Ruleset.trusted(
        id=_str(node.get("id"), None, problems, "ruleset id", number=True),
        name=_str(node.get("name"), "", problems, "ruleset name") or "",
        description=_str(node.get("description"), "", problems, "ruleset description") or "",
        kind=_str(node.get("kind"), None, problems, "ruleset kind"),
        phase=_str(node.get("phase"), None, problems, "ruleset phase"),
        rules=rules,
        account_level=account_level or raw.get("kind") == "root",
        rules_complete=rules_node is not None,
        origin=node.origin(),
        raw=raw,
    )


def build_page_rule(node: Node, problems: Problems) -> PageRule:
    targets = []
    targets_node = node.get("targets")
    if targets_node is not None and not targets_node.is_list() and targets_node.unresolved is None:
        _wrong_type(targets_node, "page rule targets", "an array", problems, "the URLs it applies to are not analysed")
    for target in (targets_node.elements() if targets_node is not None else []):
        if isinstance(target.value, str):
            targets.append(target.value)
            continue
        constraint = target.get("constraint")
        if not expect_object(constraint, "page rule target constraint", problems):
            if constraint is None and target.unresolved is None:
                _wrong_type(target, "page rule target", "an object with a constraint", problems)
            continue
        value = _str(constraint.get("value"), None, problems, "page rule target constraint value", required=True)
        if value is not None:
            targets.append(value)
    actions = []
    for action in objects_in(node.get("actions"), "page rule actions", problems):
        action_id = _str(action.get("id"), None, problems, "page rule action id", required=True)
        if action_id is None:
            continue
        # An unknown setting is the invalid-rule check's to report (with the closest known one).
        value = action.get("value")
        actions.append(PageRuleAction.trusted(
            id=action_id, value=value.value if value is not None else None, origin=action.field_origin(),
        ))
    return PageRule.trusted(
        id=_str(node.get("id"), None, problems, "page rule id", number=True),
        targets=targets,
        actions=actions,
        status=_str(node.get("status"), "active", problems, "page rule status") or "active",
        priority=_int(node.get("priority"), problems, "page rule priority"),
        origin=node.origin(),
        raw=_dict(node),
    )


def build_filter(node: Node, problems: Problems) -> Filter:
    return Filter.trusted(
        id=_str(node.get("id"), None, problems, "filter id", number=True),
        expression=_expression(node.get("expression"), "filter", problems, "filter expression"),
        paused=_bool(node.get("paused"), False, problems, "filter paused"),
        description=_str(node.get("description"), "", problems, "filter description") or "",
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
    filter_id = _str(node.get("filter_id"), None, problems, "firewall rule filter_id", number=True)
    if expect_object(filter_node, "firewall rule filter", problems):
        filter_id = filter_id or _str(filter_node.get("id"), None, problems, "filter id", number=True)
        if filter_node.get("expression") is not None:
            embedded = build_filter(filter_node, problems)
    products = node.get("products")
    for product in (products.elements() if products is not None else []):
        _check_value(product, vocab.SKIP_PRODUCTS, "firewall rule product", problems, lower=True)
    return FirewallRule.trusted(
        id=_str(node.get("id"), None, problems, "firewall rule id", number=True),
        action=_str(action_node, "", problems, "firewall rule action") or "",
        filter=embedded,
        filter_id=filter_id,
        paused=_bool(node.get("paused"), False, problems, "firewall rule paused"),
        description=_str(node.get("description"), "", problems, "firewall rule description") or "",
        priority=_int(node.get("priority"), problems, "firewall rule priority"),
        products=_str_list(products, problems, "firewall rule products"),
        origin=node.origin(),
        raw=_dict(node),
    )


def build_access_rule(node: Node, problems: Problems) -> AccessRule:
    configuration = node.get("configuration")
    _check_value(node.get("mode"), vocab.ACCESS_MODES, "access rule mode", problems)
    if configuration is not None:
        _check_value(configuration.get("target"), vocab.ACCESS_TARGETS, "access rule target", problems)
    scope = node.get("scope")
    if not expect_object(scope, "access rule scope", problems):
        scope = None
    if not expect_object(configuration, "access rule configuration", problems):
        configuration = None
    return AccessRule.trusted(
        id=_str(node.get("id"), None, problems, "access rule id", number=True),
        mode=_str(node.get("mode"), "", problems, "access rule mode") or "",
        target=_str(configuration.get("target") if configuration else None, "", problems, "access rule target") or "",
        value=_str(configuration.get("value") if configuration else None, "", problems, "access rule value") or "",
        notes=_str(node.get("notes"), "", problems, "access rule notes") or "",
        scope=_str(scope.get("type"), None, problems, "access rule scope type") if scope is not None else None,
        origin=node.origin(),
        raw=_dict(node),
    )


def build_lockdown(node: Node, problems: Problems) -> Lockdown:
    configurations = node.get("configurations")
    return Lockdown.trusted(
        id=_str(node.get("id"), None, problems, "lockdown id", number=True),
        urls=_str_list(node.get("urls"), problems, "lockdown urls"),
        configurations=[item.value for item in objects_in(configurations, "lockdown configurations", problems)],
        paused=_bool(node.get("paused"), False, problems, "lockdown paused"),
        description=_str(node.get("description"), "", problems, "lockdown description") or "",
        origin=node.origin(),
        raw=_dict(node),
    )


def build_ua_rule(node: Node, problems: Problems) -> UserAgentRule:
    configuration = node.get("configuration")
    if not expect_object(configuration, "user agent rule configuration", problems):
        configuration = None
    _check_value(node.get("mode"), vocab.ACCESS_MODES, "user agent rule mode", problems)
    return UserAgentRule.trusted(
        id=_str(node.get("id"), None, problems, "user agent rule id", number=True),
        mode=_str(node.get("mode"), "", problems, "user agent rule mode") or "",
        value=_str(configuration.get("value") if configuration else None, "", problems, "user agent rule value") or "",
        paused=_bool(node.get("paused"), False, problems, "user agent rule paused"),
        description=_str(node.get("description"), "", problems, "user agent rule description") or "",
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
        fight_mode=_bool(node.get("fight_mode"), None, problems, "bot_management fight_mode"),
        sbfm_definitely_automated=_str(node.get("sbfm_definitely_automated"), None, problems,
                                       "bot_management sbfm_definitely_automated"),
        sbfm_likely_automated=_str(node.get("sbfm_likely_automated"), None, problems,
                                   "bot_management sbfm_likely_automated"),
        sbfm_verified_bots=_str(node.get("sbfm_verified_bots"), None, problems, "bot_management sbfm_verified_bots"),
        sbfm_static_resource_protection=_bool(node.get("sbfm_static_resource_protection"), None, problems,
                                              "bot_management sbfm_static_resource_protection"),
        enable_js=_bool(node.get("enable_js"), None, problems, "bot_management enable_js"),
        origin=node.origin(),
        raw=_dict(node),
        field_origins=node.field_origins(list(_dict(node))),
    )


def build_dns_record(node: Node, problems: Problems) -> DnsRecord:
    content = node.get("content")
    if content is None:
        content = node.get("value")  # provider v4 cloudflare_record
    return DnsRecord.trusted(
        id=_str(node.get("id"), None, problems, "DNS record id", number=True),
        name=_str(node.get("name"), "", problems, "DNS record name") or "",
        type=_str(node.get("type"), "", problems, "DNS record type") or "",
        content=_str(content, None, problems, "DNS record content"),
        proxied=_bool(node.get("proxied"), None, problems, "DNS record proxied"),
        origin=node.origin(),
    )
