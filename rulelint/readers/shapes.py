"""Terraform resource attributes (HCL or plan/state JSON, provider v4 or v5) -> API shapes.

Provider v4 writes nested objects as repeated blocks (JSON: lists of one object), page rule
actions as one block of attributes, request headers as blocks with a ``name``; v5 writes
objects and maps like the API. These functions rebuild the API shape as ``Node`` trees that
keep every position, so the model is built by the same code for every format.
"""

from __future__ import annotations

from .nodes import Node

# Keys whose value is a real list in the API; any other list of one object is a v4 block.
PLURAL = frozenset({
    "rules", "categories", "configurations", "cache_ttl_by_status", "status_code_ttl", "targets",
    "characteristics", "body", "include", "exclude", "urls", "phases", "products", "rulesets",
    "actions_list", "headers",
})
# Page rule actions without a value: present (true) or absent.
FLAG_ACTIONS = frozenset({
    "always_use_https", "disable_apps", "disable_performance", "disable_security", "disable_zaraz",
    "disable_railgun",
})
# Terraform-only keys that are not part of the Cloudflare object.
_TERRAFORM_ONLY = frozenset({"zone_id", "account_id", "__labels__", "count", "for_each", "depends_on", "lifecycle", "provider"})


def normalise(node: Node, depth: int = 0) -> Node | None:
    """Unwrap v4 single blocks, drop nulls and empty collections (state JSON lists every
    attribute), turn v4 header blocks into the API's name-keyed map."""
    if node.unresolved is not None or depth > 64:
        return node  # deeper than any Cloudflare object: kept as it is
    if node.is_dict():
        children: dict[str, Node] = {}
        for key, child in node.items():
            if key == "__labels__":
                continue
            if child.is_list() and key not in PLURAL:
                elements = [e for e in child.elements() if e.unresolved is not None or e.value is not None]
                if elements and all(e.is_dict() for e in elements):
                    child = elements[0]
            if key == "headers" and child.is_list():
                child = _headers(child)
            normalised = normalise(child, depth + 1)
            if normalised is None:
                continue
            children[key] = normalised
        return node.with_children(children)
    if node.is_list():
        elements = [normalise(e, depth + 1) for e in node.elements()]
        elements = [e for e in elements if e is not None]
        if not elements:
            return None
        return node.with_children(elements)
    if node.value is None:
        return None
    return node


def _headers(node: Node) -> Node:
    headers: dict[str, Node] = {}
    for element in node.elements():
        name = element.get("name")
        if element.is_dict() and name is not None and isinstance(name.value, str):
            headers[name.value] = element.with_children({k: v for k, v in element.items() if k != "name"})
    return node.with_children(headers)


def ruleset(node: Node) -> Node:
    return node


def page_rule(node: Node) -> Node:
    """``target`` + ``actions {…}`` -> API ``targets`` + ``actions: [{id, value}]``."""
    children = {k: v for k, v in node.items() if k not in ("target", "actions")}
    target = node.get("target")
    if target is not None:
        constraint = target.with_children({"operator": target.with_scalar("matches"), "value": target})
        children["targets"] = target.with_children([
            target.with_children({"target": target.with_scalar("url"), "constraint": constraint})
        ])
    actions = node.get("actions")
    if actions is not None:
        entries = []
        for action_id, value in actions.items():
            flag = action_id in FLAG_ACTIONS
            if value.value is None or (flag and value.value is False):
                continue
            entry = {"id": value.with_scalar(action_id)}
            if action_id == "cache_ttl_by_status" and value.is_list():
                value = value.with_children({
                    str(item.value.get("codes")): item.get("ttl") for item in value.elements()
                    if item.is_dict() and item.get("ttl") is not None
                })
            if not flag:
                entry["value"] = value
            entries.append(value.with_children(entry))
        children["actions"] = actions.with_children(entries)
    return node.with_children(children)


def filter_(node: Node) -> Node:
    body = node.get("body")  # provider v5 (generated schema) wraps the fields in body = [{…}]
    if body is not None:
        first = body if body.is_dict() else (body.elements()[0] if body.elements() else None)
        if first is not None and first.is_dict():
            children = {k: v for k, v in node.items() if k != "body"}
            children.update(dict(first.items()))
            return node.with_children(children)
    return node


def access_rule(node: Node) -> Node:
    children = dict(node.items())
    scope = "account" if node.get("account_id") is not None and node.get("zone_id") is None else "zone"
    children.setdefault("scope", node.with_children({"type": node.with_scalar(scope)}))
    return node.with_children(children)


def zone_settings(node: Node) -> list[tuple[str, Node]]:
    """v4 ``settings {…}``: one (id, value node) per attribute."""
    settings = node.get("settings")
    if settings is None or not settings.is_dict():
        return []
    result = []
    for setting_id, value in settings.items():
        if setting_id == "security_header" and value.is_dict():
            value = value.with_children({"strict_transport_security": value})
        result.append((setting_id, value))
    return result


def strip_terraform(node: Node) -> Node:
    return node.with_children({k: v for k, v in node.items() if k not in _TERRAFORM_ONLY})


def qualified_record_name(written: str, zone_name: str | None) -> str:
    """A DNS record's name as the API returns it: its full name (``api.example.com``) when
    written relative to its zone (``api``, ``@``) and the zone's name is known."""
    if not zone_name:
        return written
    name = written.rstrip(".")
    zone = zone_name.rstrip(".")
    if name.lower() == zone.lower() or name.lower().endswith("." + zone.lower()):
        return written
    return zone if name in ("@", "") else f"{name}.{zone}"
