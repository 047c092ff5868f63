"""``terraform show -json`` output: a plan (``planned_values``/``resource_changes``) or state
(``values``), root and child modules.

Resources are read from the JSON (values are what Terraform will apply, interpolations
resolved). When the Terraform configuration sits beside the plan file, each object's origin
is moved to the ``.tf`` file and line that wrote it (matched by address and attribute path);
otherwise the origin is the plan file with its JSON pointer.
"""

from __future__ import annotations

import os
import re

from ..model.sources import SourceFiles
from .collect import Collector
from .files import read_source
from .nodes import JsonNode, Node
from .problems import INVALID_INPUT, Problems
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
    configuration = _configuration_directories(root, collector)
    resources: list[Resource] = []
    for resource in raw_resources:
        info = resource.value
        if not _cloudflare_resource(info):
            continue
        values = resource.get("values")
        if values is None or not values.is_dict():
            continue
        resources.append(_resource(info, values))
    for change, after in changes:
        info = change.value
        if not _cloudflare_resource(info):
            continue
        resources.append(_resource(info, after))
    if configuration:
        given = collector.terraform_inputs()
        located = _map_to_configuration(resources, configuration, given, collector.sources)
        shared = {pair for pair in located if pair[0] in given}
        if shared:
            collector.read_from_plan |= shared
            files = sorted({given[path] for path, _ in shared})
            problems.at(
                INVALID_INPUT, "info",
                f"the plan and the Terraform files it was made from ({', '.join(files)}) were both given: "
                f"each of the {len({address for _, address in shared})} resources they share is read once, "
                "from the plan (its values, at the .tf lines)",
                root.doc.name, 1, 1,
            )
    add_resources(resources, collector, problems)
    return True


def _cloudflare_resource(info) -> bool:
    """A managed Cloudflare resource rulelint reads (bad input is simply not one)."""
    return (isinstance(info, dict) and info.get("mode", "managed") == "managed"
            and isinstance(info.get("type"), str) and info["type"] in RESOURCE_TYPES)


def _resource(info: dict, values: JsonNode) -> Resource:
    name = info.get("name") if isinstance(info.get("name"), str) else ""
    address = info.get("address")
    if not isinstance(address, str) or not address:
        address = f"{info['type']}.{name}"
    node = values.readdressed(address)
    return Resource(info["type"], name, node)


def _configuration_directories(root: JsonNode, collector: Collector) -> dict[str, str]:
    """Module address prefix ("" for root, "module.child.") -> directory of its .tf files:
    the plan's own directory when it holds .tf files, else the directory of the given .tf
    files that declare the plan's root-module resources."""
    plan_file = root.doc.name
    base = None
    if not plan_file.startswith("<"):
        base = os.path.dirname(os.path.abspath(plan_file))
        try:
            if not any(name.endswith(".tf") for name in os.listdir(base)):
                base = None
        except OSError:
            base = None
    if base is None:
        base = _given_configuration(root, collector)
        if base is None:
            return {}
    directories = {"": base}
    configuration = root.value.get("configuration")
    root_module = configuration.get("root_module") if isinstance(configuration, dict) else None
    stack = [("", base, root_module if isinstance(root_module, dict) else {})]
    while stack:
        prefix, directory, module = stack.pop()
        calls = module.get("module_calls")
        for call_name, call in (calls.items() if isinstance(calls, dict) else ()):
            if not isinstance(call, dict):
                continue
            source = call.get("source")
            if not isinstance(source, str) or not source.startswith((".", "/")):
                continue  # registry or remote modules are not on disk here
            child_directory = os.path.normpath(os.path.join(directory, source))
            child_prefix = f"{prefix}module.{call_name}."
            directories[child_prefix] = child_directory
            child = call.get("module")
            stack.append((child_prefix, child_directory, child if isinstance(child, dict) else {}))
    return directories


_RESOURCE_BLOCK = re.compile(r'^\s*resource\s+"([\w-]+)"\s+"([\w-]+)"', re.MULTILINE)


def _given_configuration(root: JsonNode, collector: Collector) -> str | None:
    """The directory of given .tf files declaring most of the plan's root-module Cloudflare
    resources (a plan kept away from its configuration); None when none does."""
    given = collector.terraform_inputs()
    if not given:
        return None
    wanted = set()
    for key in ("planned_values", "values"):
        section = root.value.get(key)
        module = section.get("root_module") if isinstance(section, dict) else None
        for resource in (module.get("resources") or [] if isinstance(module, dict) else []):
            if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                wanted.add(resource["address"].split("[")[0])
    if not wanted:
        return None
    declared: dict[str, set[str]] = {}
    for path, name in given.items():
        source = collector.sources.get(name)
        text = source.text if source is not None else _disk_text(path) or ""
        found = {f"{kind}.{label}" for kind, label in _RESOURCE_BLOCK.findall(text)}
        declared.setdefault(os.path.dirname(path), set()).update(found)
    best = max(sorted(declared), key=lambda directory: len(declared[directory] & wanted))
    return best if declared[best] & wanted else None


def _map_to_configuration(resources: list[Resource], directories: dict[str, str],
                          given: dict[str, str], sources: SourceFiles) -> set[tuple[str, str]]:
    """Move each resource to the .tf position that wrote it; returns the (absolute .tf path,
    address in its module) of every resource moved. A .tf file given as input keeps the name
    it was given under."""
    parsed: dict[str, dict[str, Node]] = {}
    for prefix, directory in directories.items():
        files = []
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith(".tf"))
        except OSError:
            continue
        for name in names:
            path = os.path.abspath(os.path.join(directory, name))
            source = read_source(sources, given.get(path, os.path.join(directory, name)), path)
            if source is not None:
                files.append(source)
        quiet = Problems()  # the .tf files are only used for positions here
        parsed[prefix] = {r.address: r.node for r in parse_module(files, quiet)}
    located: set[tuple[str, str]] = set()
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
            located.add((os.path.abspath(tf_node.file), local))
    return located


def _disk_text(path: str) -> str | None:
    """A .tf file beside the plan (not among the inputs), only used for positions."""
    from .files import read_regular_text

    return read_regular_text(path)


def _overlay(plan: Node, tf: Node | None, fallback: Node | None = None, depth: int = 0) -> Node:
    """The plan's values with the positions of the matching .tf nodes (or the nearest
    enclosing one), addresses from the plan."""
    if depth > 64:
        return plan  # deeper than any Cloudflare object: left at its plan position
    where = tf or fallback
    if plan.is_dict():
        tf_children = tf if tf is not None and tf.is_dict() else None
        children = {}
        for key, child in plan.items():
            tf_child = tf_children.get(key) if tf_children is not None else None
            if tf_child is not None and tf_child.is_list() and tf_child.blocks and not child.is_list():
                tf_child = tf_child.elements()[0] if tf_child.elements() else None
            children[key] = _overlay(child, tf_child, where, depth + 1)
        node = Node(where.source, where.start, where.end, children, address=plan.address) if where else plan.with_children(children)
        return _keyed(node, tf)
    if plan.is_list():
        tf_elements = tf.elements() if tf is not None and tf.is_list() else []
        elements = []
        for index, child in enumerate(plan.elements()):
            tf_child = tf_elements[index] if index < len(tf_elements) else None
            if tf_child is None and tf is not None and tf.is_dict() and index == 0:
                tf_child = tf  # v4: one block in .tf, a one-element list in the plan
            elements.append(_overlay(child, tf_child, where, depth + 1))
        node = Node(where.source, where.start, where.end, elements, address=plan.address) if where else plan.with_children(elements)
        return _keyed(node, tf)
    value = plan.value
    if where is None:
        return plan
    node = Node(where.source, where.start, where.end, None, value, address=plan.address)
    if tf is not None and tf.unresolved is None and tf.value == value and isinstance(value, str):
        node.quoting, node.content_offset, node.heredoc_indent = tf.quoting, tf.content_offset, tf.heredoc_indent
    return _keyed(node, tf)


def _keyed(node: Node, tf: Node | None) -> Node:
    """Keep where the matching .tf attribute's name starts (only for an exact match)."""
    if tf is not None:
        node.key_start = tf.key_start
    return node
