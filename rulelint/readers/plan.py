"""``terraform show -json`` output: a plan (``planned_values``/``resource_changes``) or state
(``values``), root and child modules.

Resources are read from the JSON (values are what Terraform will apply, interpolations
resolved). When the Terraform configuration sits beside the plan file, each object's origin
is moved to the ``.tf`` file and line that wrote it (matched by address and attribute path);
otherwise the origin is the plan file with its JSON pointer.
"""

from __future__ import annotations

import os

from .collect import Collector
from .nodes import JsonNode, Node
from .problems import Problems
from .terraform import RESOURCE_TYPES, Resource, add_resources, parse_module


def is_plan(value) -> bool:
    return isinstance(value, dict) and "format_version" in value and any(
        key in value for key in ("planned_values", "values", "resource_changes", "prior_state")
    )


def _module_resources(module: JsonNode, out: list) -> None:
    stack = [module]
    while stack:
        current = stack.pop()
        for resource in (current.get("resources").elements() if current.get("resources") is not None else []):
            out.append(resource)
        children = current.get("child_modules")
        if children is not None:
            stack.extend(reversed(children.elements()))


def read_plan(root: JsonNode, collector: Collector, problems: Problems) -> bool:
    raw_resources: list[JsonNode] = []
    values_key = None
    for key in ("planned_values", "values"):
        section = root.get(key)
        if section is not None and section.get("root_module") is not None:
            _module_resources(section.get("root_module"), raw_resources)
            values_key = "values"
            break
    changes = []
    if values_key is None and root.get("resource_changes") is not None:
        for change in root.get("resource_changes").elements():
            after = change.get("change").get("after") if change.get("change") is not None else None
            if after is not None and after.is_dict():
                changes.append((change, after))
    configuration = _configuration_directories(root)
    resources: list[Resource] = []
    for resource in raw_resources:
        info = resource.value
        if info.get("mode", "managed") != "managed" or info.get("type") not in RESOURCE_TYPES:
            continue
        values = resource.get("values")
        if values is None:
            continue
        resources.append(_resource(info, values))
    for change, after in changes:
        info = change.value
        if info.get("mode", "managed") != "managed" or info.get("type") not in RESOURCE_TYPES:
            continue
        resources.append(_resource(info, after))
    if configuration:
        _map_to_configuration(resources, configuration, problems)
    add_resources(resources, collector, problems)
    return True


def _resource(info: dict, values: JsonNode) -> Resource:
    address = info.get("address") or f"{info.get('type')}.{info.get('name')}"
    node = values.readdressed(address)
    return Resource(info["type"], info.get("name", ""), node)


def _configuration_directories(root: JsonNode) -> dict[str, str]:
    """Module address prefix ("" for root, "module.child.") -> directory of its .tf files."""
    plan_file = root.doc.name
    if plan_file.startswith("<"):
        return {}
    base = os.path.dirname(os.path.abspath(plan_file))
    if not any(name.endswith(".tf") for name in os.listdir(base)):
        return {}
    directories = {"": base}
    configuration = root.value.get("configuration")
    stack = [("", base, (configuration or {}).get("root_module") or {})]
    while stack:
        prefix, directory, module = stack.pop()
        for call_name, call in (module.get("module_calls") or {}).items():
            source = call.get("source") or ""
            if not source.startswith((".", "/")):
                continue  # registry or remote modules are not on disk here
            child_directory = os.path.normpath(os.path.join(directory, source))
            child_prefix = f"{prefix}module.{call_name}."
            directories[child_prefix] = child_directory
            stack.append((child_prefix, child_directory, call.get("module") or {}))
    return directories


def _map_to_configuration(resources: list[Resource], directories: dict[str, str], problems: Problems) -> None:
    from .. import sources

    parsed: dict[str, dict[str, Node]] = {}
    for prefix, directory in directories.items():
        files = []
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith(".tf"))
        except OSError:
            continue
        for name in names:
            path = os.path.join(directory, name)
            try:
                with open(path, encoding="utf-8-sig") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                continue
            sources.register(path, text)
            files.append((path, text))
        quiet = Problems()  # the .tf files are only used for positions here
        parsed[prefix] = {r.address: r.node for r in parse_module(files, quiet)}
    for resource in resources:
        address = resource.node.address or ""
        prefix, _, local = address.rpartition("module.")
        if prefix or address.startswith("module."):
            head, _, tail = address.partition(".cloudflare_")
            module_prefix = head + "."
            local = "cloudflare_" + tail
        else:
            module_prefix, local = "", address
        local = local.split("[")[0]
        tf_node = parsed.get(module_prefix, {}).get(local)
        if tf_node is not None:
            resource.node = _overlay(resource.node, tf_node)


def _overlay(plan: Node, tf: Node | None, fallback: Node | None = None) -> Node:
    """The plan's values with the positions of the matching .tf nodes (or the nearest
    enclosing one), addresses from the plan."""
    from .shapes import PLURAL  # noqa: F401

    where = tf or fallback
    if plan.is_dict():
        tf_children = tf if tf is not None and tf.is_dict() else None
        children = {}
        for key, child in plan.items():
            tf_child = tf_children.get(key) if tf_children is not None else None
            if tf_child is not None and tf_child.is_list() and tf_child.blocks and not child.is_list():
                tf_child = tf_child.elements()[0] if tf_child.elements() else None
            children[key] = _overlay(child, tf_child, where)
        node = Node(where.file, where.start, where.end, children, address=plan.address) if where else plan.with_children(children)
        return node
    if plan.is_list():
        tf_elements = tf.elements() if tf is not None and tf.is_list() else []
        elements = []
        for index, child in enumerate(plan.elements()):
            tf_child = tf_elements[index] if index < len(tf_elements) else None
            if tf_child is None and tf is not None and tf.is_dict() and index == 0:
                tf_child = tf  # v4: one block in .tf, a one-element list in the plan
            elements.append(_overlay(child, tf_child, where))
        return Node(where.file, where.start, where.end, elements, address=plan.address) if where else plan.with_children(elements)
    value = plan.value
    if where is None:
        return plan
    node = Node(where.file, where.start, where.end, None, value, address=plan.address)
    if tf is not None and tf.unresolved is None and tf.value == value and isinstance(value, str):
        node.quoting, node.content_offset, node.heredoc_indent = tf.quoting, tf.content_offset, tf.heredoc_indent
    return node
