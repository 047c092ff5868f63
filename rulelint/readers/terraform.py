"""Terraform configurations (.tf, including cf-terraforming output) into the zone model.

Files are grouped by directory (one Terraform module each) so ``var.x`` defaults and
``locals`` resolve; resources are normalised to API shapes (``shapes``) and built like API
JSON, with the Terraform address (``cloudflare_ruleset.waf.rules[1]``) as locator.
"""

from __future__ import annotations

import os
import re

from . import build, shapes
from ..model.sources import SourceFile
from .collect import Collector
from .nodes import Node
from .problems import INVALID_INPUT, Problems

RESOURCE_TYPES = frozenset({
    "cloudflare_ruleset", "cloudflare_page_rule", "cloudflare_filter", "cloudflare_firewall_rule",
    "cloudflare_access_rule", "cloudflare_zone_lockdown", "cloudflare_user_agent_blocking_rule",
    "cloudflare_bot_management", "cloudflare_zone_settings_override", "cloudflare_zone_setting",
    "cloudflare_record", "cloudflare_dns_record", "cloudflare_zone",
})
_FILTER_REFERENCE = re.compile(r"^cloudflare_filter\.([\w-]+)\.id$")
_ZONE_REFERENCE = re.compile(r"^(?:data\.)?cloudflare_zones?\.([\w-]+)\.(?:id|zone_id)$")


class Resource:
    """One evaluated ``resource "type" "name"`` block."""

    def __init__(self, type_: str, name: str, node: Node) -> None:
        self.type = type_
        self.name = name
        self.node = node

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"


def parse_module(files: list[SourceFile], problems: Problems,
                 skip: set[tuple[str, str]] | frozenset = frozenset()) -> list[Resource]:
    """Evaluate the Cloudflare resources of the .tf files of one directory, except those in
    ``skip`` ((absolute file path, address) pairs already read from a plan)."""
    import hcl2  # imported here: only .tf input pays for Lark and python-hcl2
    from lark.exceptions import UnexpectedInput

    from .hcl import Evaluator, Scope, block_attributes, top_level_blocks

    scope = Scope()
    parsed = []
    for source in files:
        name, text = source.name, source.text
        try:
            tree = hcl2.parses_to_tree(text)
        except UnexpectedInput as error:
            message, line, column = _hcl_problem(error, text)
            problems.at(INVALID_INPUT, "error", f"invalid HCL: {message}", name, line, column)
            continue
        except Exception as error:  # the HCL library may raise anything on odd input
            problems.at(INVALID_INPUT, "error", f"invalid HCL: {error}", name, 1, 1)
            continue
        except RecursionError:
            problems.at(INVALID_INPUT, "error", "HCL nested too deeply; skipped", name, 1, 1)
            continue
        scope.texts[source] = text
        parsed.append((source, text, tree))
        for block_type, labels, block in top_level_blocks(tree):
            if block_type == "variable" and labels:
                default = block_attributes(block).get("default")
                if default is not None:
                    scope.variables[labels[0]] = default
                    scope.file_of[f"var.{labels[0]}"] = source
            elif block_type == "locals":
                for local_name, expression in block_attributes(block).items():
                    scope.locals[local_name] = expression
                    scope.file_of[f"local.{local_name}"] = source
    resources = []
    for source, text, tree in parsed:
        evaluator = Evaluator(source, text, scope)
        for block_type, labels, block in top_level_blocks(tree):
            if block_type != "resource" or len(labels) != 2:
                continue
            if labels[0] not in RESOURCE_TYPES:
                continue
            address = f"{labels[0]}.{labels[1]}"
            if skip and (os.path.abspath(source.name), address) in skip:
                continue
            node = evaluator.block(block, address)
            _report_dynamic(node, problems)
            resources.append(Resource(labels[0], labels[1], node))
    return resources


def _hcl_problem(error, text: str) -> tuple[str, int | None, int | None]:
    """(message, line, column) for a Lark parse error, in words a Terraform user knows (no
    parser token names), never placed after the end of the file."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF

    from .problems import end_of_text

    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedEOF) or (token is not None and token.type == "$END"):
        line, column = end_of_text(text)
        return "unexpected end of file (a block, string or expression is not finished)", line, column
    line, column = getattr(error, "line", None), getattr(error, "column", None)
    if isinstance(error, UnexpectedCharacters):
        return f"unexpected character {error.char!r}", line, column
    if token is not None:
        written = str(token).split("\n")[0].strip()
        if not written:
            return "unexpected end of line", line, column
        if len(written) > 40:
            written = written[:40] + "…"
        return f"unexpected {written!r}", line, column
    return "not valid HCL", line, column



def _report_dynamic(node: Node, problems: Problems) -> None:
    dynamic = node.get("dynamic")
    if dynamic is not None:
        for block in dynamic.elements():
            labels = block.value.get("__labels__") or ["?"] if block.is_dict() else ["?"]
            problems.node("unresolved-interpolation", "info",
                          f"dynamic \"{labels[0]}\" block is generated by Terraform: not analysed "
                          "(lint the plan JSON to check it)", block)


def read_terraform(files: list[SourceFile], collector: Collector, problems: Problems,
                   skip: set[tuple[str, str]] | frozenset = frozenset()) -> bool:
    """Read .tf files (grouped by directory); False when none could be parsed. Resources in
    ``skip`` ((absolute path, address)) were read from a plan and are not read again."""
    by_directory: dict[str, list[SourceFile]] = {}
    for source in files:
        by_directory.setdefault(os.path.dirname(os.path.abspath(source.name)), []).append(source)
    usable = False
    for directory in sorted(by_directory):
        module_files = by_directory[directory]
        before = len(problems.findings)
        resources = parse_module(module_files, problems, skip)
        failed = {f.location.file for f in problems.findings[before:] if f.check == INVALID_INPUT and f.severity == "error"}
        for source in module_files:
            if source.name not in failed:
                collector.files.append(source.name)
                usable = True
        add_resources(resources, collector, problems)
    return usable


def add_resources(resources: list[Resource], collector: Collector, problems: Problems) -> None:
    """File normalised resources into zones (by their ``zone_id``)."""
    zone_names = {}
    for resource in resources:
        if resource.type == "cloudflare_zone":
            name = resource.node.get("zone") or resource.node.get("name")
            if name is not None and isinstance(name.value, str):
                zone_names[resource.name] = name.value
    filters: dict[str, Node] = {}
    for resource in resources:
        if resource.type == "cloudflare_filter":
            filters[resource.name] = resource
    built_filters = {}
    for resource in resources:
        node = shapes.normalise(resource.node) or resource.node.with_children({})
        zone = _zone(node, zone_names, collector)
        kind = resource.type
        if kind == "cloudflare_ruleset":
            ruleset = build.build_ruleset(node, problems, account_level=node.get("account_id") is not None and node.get("zone_id") is None)
            if ruleset.account_level:
                account_id = node.get("account_id").value if node.get("account_id") is not None else None
                collector.account(account_id if isinstance(account_id, str) else None).rulesets.append(ruleset)
            else:
                zone.rulesets.append(ruleset)
        elif kind == "cloudflare_page_rule":
            zone.page_rules.append(build.build_page_rule(shapes.page_rule(node), problems))
        elif kind == "cloudflare_filter":
            built = build.build_filter(shapes.filter_(node), problems)
            built_filters[resource.name] = built
            zone.filters.append(built)
        elif kind == "cloudflare_firewall_rule":
            zone.firewall_rules.append(_firewall_rule(node, problems))
        elif kind == "cloudflare_access_rule":
            rule = build.build_access_rule(shapes.access_rule(node), problems)
            if rule.scope == "account":
                account_id = node.get("account_id").value
                collector.account(account_id if isinstance(account_id, str) else None).access_rules.append(rule)
            else:
                zone.access_rules.append(rule)
        elif kind == "cloudflare_zone_lockdown":
            zone.lockdowns.append(build.build_lockdown(node, problems))
        elif kind == "cloudflare_user_agent_blocking_rule":
            zone.ua_rules.append(build.build_ua_rule(node, problems))
        elif kind == "cloudflare_bot_management":
            zone.bot_management = build.build_bot_management(shapes.strip_terraform(node), problems)
        elif kind == "cloudflare_zone_settings_override":
            for setting_id, value in shapes.zone_settings(node):
                setting = build.build_setting(value.with_children({"value": value}), setting_id) if value.is_dict() else build.build_setting(value, setting_id)
                zone.settings[setting_id] = setting
        elif kind == "cloudflare_zone_setting":
            setting_id = node.get("setting_id")
            if setting_id is not None and isinstance(setting_id.value, str):
                setting = build.build_setting(node, setting_id.value)
                if setting is not None:
                    zone.settings[setting.id] = setting
        elif kind in ("cloudflare_record", "cloudflare_dns_record"):
            zone.dns_records.append(build.build_dns_record(node, problems))
    # Resolve filter_id = cloudflare_filter.<name>.id to the filter written in the same module.
    for zone_obj in _zones_of(collector):
        for rule in zone_obj.firewall_rules:
            reference = rule.raw.get("__filter_reference__")
            if reference and rule.filter is None:
                match = _FILTER_REFERENCE.match(reference)
                if match and match.group(1) in built_filters:
                    rule.filter = built_filters[match.group(1)]
                    rule.filter_id = rule.filter.id or f"cloudflare_filter.{match.group(1)}"
            rule.raw.pop("__filter_reference__", None)


def _zones_of(collector: Collector):
    zones = list(collector._zones.values())
    if collector._implicit is not None:
        zones.append(collector._implicit)
    return zones


def _firewall_rule(node: Node, problems: Problems):
    filter_id = node.get("filter_id")
    reference = None
    if filter_id is not None and filter_id.unresolved:
        reference = filter_id.unresolved
        node = node.with_children({k: v for k, v in node.items() if k != "filter_id"})
    filter_node = node.get("filter")
    if filter_node is not None and filter_node.is_dict() and filter_node.get("id") is not None and filter_node.get("id").unresolved:
        reference = filter_node.get("id").unresolved
    rule = build.build_firewall_rule(node, problems)
    if reference:
        rule.raw["__filter_reference__"] = reference
    return rule


def _zone(node: Node, zone_names: dict[str, str], collector: Collector):
    zone_id = node.get("zone_id")
    if zone_id is None:
        return collector.zone()
    if zone_id.unresolved is None and isinstance(zone_id.value, str):
        return collector.zone(zone_id.value)
    reference = zone_id.unresolved or ""
    match = _ZONE_REFERENCE.match(reference)
    if match and match.group(1) in zone_names:
        return collector.zone(None, zone_names[match.group(1)])
    return collector.zone(None, reference or None)
