"""Terraform's JSON syntax (``*.tf.json``, as CDK for Terraform writes it) into the same
``Resource`` nodes the HCL reader produces, so both are normalised and built alike.

``{"resource": {"cloudflare_ruleset": {"waf": {…}}}}`` is ``resource "cloudflare_ruleset"
"waf" {…}``; any level may also be an array of such objects. Strings are templates:
``"${var.zone_id}"`` takes a literal ``default`` (or a literal local) declared in Terraform
JSON files of the same folder, anything else interpolated stays unresolved, as in HCL.
"""

from __future__ import annotations

import os
import re

from .collect import Collector
from .nodes import JsonNode, Node
from .problems import INVALID_INPUT, Problems, kind_of

_MAX_DEPTH = 64
_INTERPOLATION = re.compile(r"(?<!\$)\$\{([^}]*)\}|(?<!%)%\{[^}]*\}")
_REFERENCE = re.compile(r"\s*(var|local)\.([A-Za-z_][\w-]*)\s*")
# Keys written as one object where the API (and HCL) has a list of blocks.
_BLOCK_LISTS = {(None, "rules"), ("overrides", "rules"), ("overrides", "categories")}


def read_terraform_json(documents: list, collector: Collector, problems: Problems) -> bool:
    """Read parsed ``*.tf.json`` documents (``JsonDocument``); False when none holds an object."""
    from .terraform import RESOURCE_TYPES, Resource, add_resources

    by_directory: dict[str, list[JsonNode]] = {}
    for document in documents:
        root = JsonNode.root(document)
        if not root.is_dict():
            problems.node(INVALID_INPUT, "error",
                          f"Terraform JSON must be an object, not {kind_of(root.value)}: not read", root)
            continue
        collector.files.append(document.name)
        by_directory.setdefault(os.path.dirname(os.path.abspath(document.name)), []).append(root)
    resources = []
    for directory in sorted(by_directory):
        roots = by_directory[directory]
        known = _literals(roots)
        for root in roots:
            for block in _each(root.get("resource")):
                for type_, by_name in block.items():
                    if type_ not in RESOURCE_TYPES:
                        continue
                    for names in _each(by_name):
                        for name, body in names.items():
                            for one in _each(body):
                                address = f"{type_}.{name}"
                                node = _convert(one.readdressed(address), known, None, 0)
                                resources.append(Resource(type_, name, node))
    add_resources(resources, collector, problems)
    return bool(by_directory)


def _each(node: JsonNode | None) -> list[JsonNode]:
    """The objects of a JSON-syntax block level: one object, or an array of objects."""
    if node is None:
        return []
    if node.is_dict():
        return [node]
    return [element for element in node.elements() if element.is_dict()]


def _literals(roots: list[JsonNode]) -> dict[str, JsonNode]:
    """``var.x`` (its default) and ``local.x`` -> their node, when a literal scalar."""
    known: dict[str, JsonNode] = {}
    for root in roots:
        for block in _each(root.get("variable")):
            for name, variable in block.items():
                default = variable.get("default") if variable.is_dict() else None
                if default is not None and _literal(default.value):
                    known[f"var.{name}"] = default
        for block in _each(root.get("locals")):
            for name, value in block.items():
                if _literal(value.value):
                    known[f"local.{name}"] = value
    return known


def _literal(value) -> bool:
    if isinstance(value, str):
        return _INTERPOLATION.search(value) is None
    return isinstance(value, (int, float, bool))


def _convert(node: JsonNode, known: dict[str, JsonNode], parent_key: str | None, depth: int) -> Node:
    """``node`` with templates evaluated (or marked unresolved); "//" comments dropped."""
    value = node.value
    if depth > _MAX_DEPTH:
        return node  # deeper than any Cloudflare object: kept as it is
    if isinstance(value, dict):
        children: dict[str, Node] = {}
        for key, child in node.items():
            if key == "//":
                continue
            converted = _convert(child, known, key, depth + 1)
            if (parent_key if depth else None, key) in _BLOCK_LISTS and converted.is_dict():
                converted = converted.with_children([converted])
            children[key] = converted
        return node.with_children(children)
    if isinstance(value, list):
        return node.with_children([_convert(child, known, parent_key, depth + 1) for child in node.elements()])
    if isinstance(value, str) and ("${" in value or "%{" in value):
        return _template(node, known)
    return node


def _template(node: JsonNode, known: dict[str, JsonNode]) -> Node:
    value = node.value
    whole = re.fullmatch(r"\$\{([^}]*)\}", value)
    if whole is not None:
        reference = _REFERENCE.fullmatch(whole.group(1))
        literal = known.get(f"{reference.group(1)}.{reference.group(2)}") if reference else None
        if literal is not None:
            return literal.readdressed(node.address)  # a resolved variable is where its value is
    unresolved = [match.group(0) for match in _INTERPOLATION.finditer(value)]
    text = value.replace("$${", "${").replace("%%{", "%{")
    copy = node.with_scalar(text)
    if unresolved:
        copy.unresolved = whole.group(1).strip() if whole is not None else ", ".join(unresolved)
    elif text == value:
        copy.quoting, copy.content_offset = node.quoting, node.content_offset
    return copy
