"""Terraform configurations (.tf, including cf-terraforming output) into the zone model.

Files are grouped by directory (one Terraform module each) so ``var.x`` defaults and
``locals`` resolve; resources are normalised to API shapes (``shapes``) and built like API
JSON, with the Terraform address (``cloudflare_ruleset.waf.rules[1]``) as locator. Each
resource is built as soon as its file is read, so a file's syntax tree and evaluated nodes are
let go before the next file is read; the built objects are filed into zones at the end, when
every zone's name is known.
"""

from __future__ import annotations

import os
import re

from ..findings import UNRESOLVED_TERRAFORM
from . import build, shapes
from ..model.sources import SourceFile, SourceFiles
from .collect import Collector
from .files import read_source
from .nodes import Node
from .problems import INVALID_INPUT, Problems
from .spilled_zones import SPILLED_TYPES, SpilledZones, add_to_zone

UNRESOLVED_TERRAFORM = UNRESOLVED_TERRAFORM

RESOURCE_TYPES = frozenset({
    "cloudflare_ruleset", "cloudflare_page_rule", "cloudflare_filter", "cloudflare_firewall_rule",
    "cloudflare_access_rule", "cloudflare_zone_lockdown", "cloudflare_user_agent_blocking_rule",
    "cloudflare_bot_management", "cloudflare_zone_settings_override", "cloudflare_zone_setting",
    "cloudflare_record", "cloudflare_dns_record", "cloudflare_zone",
})
_FILTER_REFERENCE = re.compile(r"^cloudflare_filter\.([\w-]+)\.id$")
_ZONE_REFERENCE = re.compile(r"^(?:data\.)?cloudflare_zones?\.([\w-]+)\.(?:id|zone_id)$")


class Resource:
    """One evaluated ``resource "type" "name"`` block (``module`` is the address prefix of the
    module instance it was read in, "" in the root module)."""

    def __init__(self, type_: str, name: str, node: Node, module: str = "") -> None:
        self.type = type_
        self.name = name
        self.node = node
        self.module = module

    @property
    def address(self) -> str:
        return f"{self.module}{self.type}.{self.name}"


# Zone data sources: their name resolves ``zone_id = data.cloudflare_zone.x.id``.
_ZONE_DATA = frozenset({"cloudflare_zone", "cloudflare_zones"})
# Module calls nested deeper than this are not followed (a module calling itself).
_MAX_MODULE_DEPTH = 8


class _Parsed:
    """The .tf files of one directory (one Terraform module), each with its syntax tree, or
    None for a file whose tree is made when its resources are read (``deferred``) and let go
    right after.

    A tree takes about a hundred times the bytes of its text, so only the trees the module's
    scope reads are held: those of files that declare a ``variable``, ``locals`` or ``module``
    block, and, for a module other modules call (``reused``: it may be read again), the trees
    of its other files while they fit ``_HELD_TREE_TEXT``. Memory then grows with the model
    read, not with the parse trees of the input.
    """

    def __init__(self, directory: str, files: list[tuple[SourceFile, object]], reused: bool = False) -> None:
        self.directory = directory
        self.files = files
        self.reused = reused
        self.broken: set[str] = set()  # files found not to be HCL (reported once, not read again)
        self.held: set[str] = set()  # files whose trees are held within ``_HELD_TREE_TEXT``

    @classmethod
    def deferred(cls, directory: str, sources: list[SourceFile], problems: Problems) -> "_Parsed":
        """The files of a root module: those that cannot declare anything (``_may_declare``)
        are not parsed yet; the others are, and keep their tree only when they
        do declare."""
        files: list[tuple[SourceFile, object]] = []
        for source in sources:
            if not _may_declare(source.text):
                files.append((source, None))
                continue
            for parsed, syntax in _parse([source], problems):
                files.append((parsed, syntax if _declares(syntax) else None))
        return cls(directory, files)

    def release(self) -> None:
        """Let every tree go (the module will not be read again)."""
        self.files = [(source, None) for source, _ in self.files]


# Characters of module text whose trees are held for the next instance of a module others call
# (about 50 MB of trees): a module read again past it is parsed again, not held.
_HELD_TREE_TEXT = 512 * 1024


def _may_declare(text: str) -> bool:
    """False when ``text`` cannot declare a variable, a local or a module call: none of those
    words starts a line. (A plain substring test first: far faster than the expression. A file
    that may declare but does not, ``module = …`` inside a resource, is parsed twice.)"""
    return ("variable" in text or "locals" in text or "module" in text) and _DECLARATION.search(text) is not None


_DECLARATION = re.compile(r"^[ \t]*(?:variable|locals|module)\b", re.M)


def _declares(syntax) -> bool:
    from .hcl import top_level_blocks

    return any(block_type in ("variable", "locals", "module") for block_type, _, _ in top_level_blocks(syntax))


def _parse(files: list[SourceFile], problems: Problems) -> list[tuple[SourceFile, object]]:
    """Parse each file; an ``invalid-input`` finding for each that is not HCL."""
    from .hcl_syntax import first_error, parse

    parsed = []
    for source in files:
        syntax = parse(source.text)
        error = first_error(syntax)
        if error is not None:
            message, offset = error
            problems.at(INVALID_INPUT, "error", f"invalid HCL: {message}", source.name, *source.line_column(offset))
            continue
        parsed.append((source, syntax))
    return parsed


_TOO_DEEP = "HCL nested too deeply to be a Cloudflare configuration; skipped"


def _declare(scope, parsed: list[tuple[SourceFile, object]]) -> None:
    """Make the module's variables and locals known to ``scope``."""
    from .hcl import block_attributes, top_level_blocks

    for source, syntax in parsed:
        if syntax is None:
            continue  # declares nothing (``_Parsed``)
        for block_type, labels, block in top_level_blocks(syntax):
            if block_type == "variable" and labels:
                default = block_attributes(block).get("default")
                if default is not None:
                    scope.variables[labels[0]] = (syntax, default)
                    scope.file_of[f"var.{labels[0]}"] = source
            elif block_type == "locals":
                for local_name, expression in block_attributes(block).items():
                    scope.locals[local_name] = (syntax, expression)
                    scope.file_of[f"local.{local_name}"] = source


def parse_module(files: list[SourceFile], problems: Problems,
                 skip: set[tuple[str, str]] | frozenset = frozenset()) -> list[Resource]:
    """Evaluate the Cloudflare resources of the .tf files of one directory, except those in
    ``skip`` ((absolute file path, address) pairs already read from a plan). Module calls are
    not followed (see ``read_terraform``)."""
    from .hcl import Scope

    parsed = _parse(files, problems)
    scope = Scope()
    _declare(scope, parsed)
    reader = _Reader(problems, skip, {}, SourceFiles())  # reads nothing: module calls are not followed
    resources = reader.instantiate(_Parsed("", parsed), scope, "", follow=False)
    reader.report(scope.notes)
    return [r for r in resources if not r.type.startswith("data.")]


class _Reader:
    """Evaluates module instances: the root modules given, and the local modules they call
    (``source = "./modules/waf"``) with the arguments of the call."""

    def __init__(self, problems: Problems, skip, modules: dict[str, _Parsed], sources: SourceFiles,
                 take=lambda resource: resource) -> None:
        self.problems = problems
        # What is kept of each resource read: the resource itself, or what it is built into
        # (``_build_resource``: its nodes are then let go with its file's syntax tree).
        self.take = take
        self.skip = skip
        self.modules = modules  # absolute directory -> parsed files (given or loaded)
        self.sources = sources  # the run's files: a called module's files read from disk join them
        self.instantiated: set[str] = set()
        self.loaded_files: list[str] = []
        self.held_text = 0  # characters of the texts whose trees reused modules hold

    def instantiate(self, module: _Parsed, scope, prefix: str, follow: bool = True,
                    depth: int = 0) -> list:
        """What ``take`` keeps of each resource of one instance of ``module`` (none of a
        file nested too deeply to read)."""
        from .hcl import Evaluator, TooDeep, top_level_blocks

        self.instantiated.add(module.directory)
        resources: list = []
        files = []  # the module's files with the trees held after this instance
        for source, syntax in module.files:
            if source.name in module.broken:
                continue
            held = syntax is not None
            if syntax is None:
                parsed = _parse([source], self.problems)
                if not parsed:
                    module.broken.add(source.name)  # reported once: no other instance reads it
                    continue
                syntax = parsed[0][1]
            files.append((source, syntax if self._keeps(module, source, syntax, held) else None))
            evaluator = Evaluator(source, scope, syntax)
            found: list = []
            try:
                for block_type, labels, block in top_level_blocks(syntax):
                    if block_type == "resource" and len(labels) == 2 and labels[0] in RESOURCE_TYPES:
                        local = f"{labels[0]}.{labels[1]}"
                        if self.skip and (os.path.abspath(source.name), local) in self.skip:
                            continue
                        for node in _instances(evaluator, block, prefix + local):
                            self._check_resolved(labels[0], node, scope)
                            found.append(self.take(Resource(labels[0], labels[1], node, prefix)))
                    elif block_type == "data" and len(labels) == 2 and labels[0] in _ZONE_DATA:
                        node = evaluator.block(block, f"{prefix}data.{labels[0]}.{labels[1]}")
                        found.append(self.take(Resource("data." + labels[0], labels[1], node, prefix)))
                    elif block_type == "module" and labels and follow:
                        found.extend(self._call(evaluator, block, labels[0], scope, prefix, depth))
            except (TooDeep, RecursionError):
                self.problems.at(INVALID_INPUT, "error", _TOO_DEEP, source.name, 1, 1)
                continue
            resources.extend(found)
        module.files = files
        return resources

    def _keeps(self, module: _Parsed, source: SourceFile, syntax, held: bool) -> bool:
        """Whether ``module`` keeps the tree of ``source`` after this instance: a module read
        once keeps what it ``held`` (the trees its scope reads); a reused one the trees of the
        files that declare, and the others while the trees held fit ``_HELD_TREE_TEXT``."""
        if not module.reused:
            return held
        if source.name in module.held or _declares(syntax):
            return True
        if self.held_text + len(source.text) > _HELD_TREE_TEXT:
            return False
        self.held_text += len(source.text)
        module.held.add(source.name)
        return True

    def _call(self, evaluator, block, label: str, scope, prefix: str, depth: int) -> list:
        """The resources of ``module "label" {…}`` when its source is a local directory."""
        from .hcl import Scope, block_attributes

        address = f"{prefix}module.{label}"
        arguments = block_attributes(block)
        source_tree = arguments.get("source")
        module_source = evaluator.evaluate(source_tree, None) if source_tree is not None else None
        if module_source is None or not isinstance(module_source.value, str) \
                or not module_source.value.startswith(("./", "../")):
            return []  # a registry or git module: not Cloudflare configuration rulelint can read
        if depth >= _MAX_MODULE_DEPTH:
            where = evaluator.block(block, address)
            scope.notes.add(UNRESOLVED_TERRAFORM,
                            f"{address}: modules nested more than {_MAX_MODULE_DEPTH} deep are not followed: "
                            "its resources are not analysed (lint the plan JSON to check them)", where)
            return []
        caller = evaluator.source.name
        directory = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(caller)), module_source.value))
        child = self.modules.get(directory)
        if child is None and self.skip:
            return []  # a plan was given with this configuration: it holds the module's values
        if child is None:
            child = self._load(directory, os.path.dirname(caller), module_source.value)
        if child is None:
            where = evaluator.block(block, address)
            scope.notes.add(UNRESOLVED_TERRAFORM,
                            f"{address}: module source {module_source.value} holds no readable .tf file: "
                            "its resources are not analysed", where)
            return []
        resources = []
        for instance, where in _module_instances(evaluator, block, address, scope):
            child_scope = Scope(scope.notes)
            _declare(child_scope, child.files)
            for key, value in where.items():
                if key not in _MODULE_META:
                    child_scope.values[key] = value
            resources.extend(self.instantiate(child, child_scope, instance + ".", True, depth + 1))
        return resources

    def _load(self, directory: str, caller_directory: str, written: str) -> _Parsed | None:
        """The .tf files of a module directory that was not among the inputs, read from disk
        (named as the caller's ``source = written`` reaches them) into the run's files."""
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith(".tf"))
        except OSError:
            return None
        files = []
        for file_name in names:
            shown = os.path.normpath(os.path.join(caller_directory, written, file_name))
            source = read_source(self.sources, shown, os.path.join(directory, file_name), _MAX_FOUND_BYTES)
            if source is not None:
                files.append(source)
        parsed = _Parsed(directory, _parse(files, self.problems), reused=True)  # trees let go after its first instance
        if not parsed.files:
            return None
        self.modules[directory] = parsed
        self.loaded_files.extend(source.name for source, _ in parsed.files)
        return parsed

    def _check_resolved(self, resource_type: str, node: Node, scope) -> None:
        """One ``unresolved-terraform`` note where a ruleset's rules cannot be known."""
        if resource_type != "cloudflare_ruleset":
            return
        rules = node.get("rules")
        if rules is None:
            return
        unknown = [rules] if rules.unresolved is not None else [e for e in rules.elements() if e.unresolved is not None]
        for element in unknown:
            scope.notes.add(
                UNRESOLVED_TERRAFORM,
                f"{element.address} = {element.unresolved} cannot be resolved without running Terraform: "
                "those rules are not analysed (lint the plan JSON to check them)",
                element,
            )

    def report(self, notes) -> None:
        for check, message, node in notes.items.values():
            self.problems.node(check, "info", message, node)


# Arguments of a ``module`` block that are Terraform's, not the module's variables.
_MODULE_META = frozenset({"source", "version", "providers", "depends_on", "count", "for_each", "__labels__"})


def _module_instances(evaluator, block, address: str, scope) -> list[tuple[str, Node]]:
    """(address, evaluated arguments) of each instance of a ``module`` block: per key of a
    known ``count`` / ``for_each``; once, with an ``unresolved-terraform`` note, when unknown."""
    from .hcl import block_attributes, instance_keys

    attributes = block_attributes(block)
    for meta in ("for_each", "count"):
        if meta not in attributes:
            continue
        keys = instance_keys(evaluator, attributes[meta], meta)
        if keys is None:
            where = evaluator.block(block, address)
            written = evaluator.written(attributes[meta]).strip()
            scope.notes.add(UNRESOLVED_TERRAFORM,
                            f"{address}: {meta} = {written} cannot be resolved without running Terraform: "
                            "the module's resources are read once, as written", where)
            return [(address, where)]
        instances = []
        saved = evaluator.env
        try:
            for key, binding in keys:
                evaluator.env = {**saved, "each" if meta == "for_each" else "count": binding}
                instances.append((f"{address}[{key}]", evaluator.block(block, f"{address}[{key}]")))
        finally:
            evaluator.env = saved
        return instances
    return [(address, evaluator.block(block, address))]


def _instances(evaluator, block, address: str) -> list[Node]:
    """The instances of a resource block: one per key of a known ``for_each`` (addressed
    ``x["key"]``, ``each.key`` / ``each.value`` bound) or per index of a known ``count``
    (``x[0]``, ``count.index`` bound); the block once, as written, when neither is known."""
    from .hcl import block_attributes, instance_keys

    attributes = block_attributes(block)
    for meta in ("for_each", "count"):
        if meta not in attributes:
            continue
        keys = instance_keys(evaluator, attributes[meta], meta)
        if keys is None:
            break
        nodes = []
        saved = evaluator.env
        try:
            for key, binding in keys:
                evaluator.env = {**saved, "each" if meta == "for_each" else "count": binding}
                nodes.append(evaluator.block(block, f"{address}[{key}]"))
        finally:
            evaluator.env = saved
        return nodes
    return [evaluator.block(block, address)]


# A .tf or .tfvars file rulelint finds by itself (a module's, tfvars) is read up to this size.
_MAX_FOUND_BYTES = 16 * 1024 * 1024


def _tfvars(directory: str, shown_directory: str, problems: Problems, sources: SourceFiles) -> dict[str, Node]:
    """Variable values of a root module: ``terraform.tfvars`` then ``*.auto.tfvars`` (in
    lexical order, later files win), as Terraform reads them; each file read joins ``sources``."""
    from .hcl import Evaluator, Scope, TooDeep, attributes, file_body

    try:
        names = os.listdir(directory)
    except OSError:
        return {}
    ordered = (["terraform.tfvars"] if "terraform.tfvars" in names else []) + sorted(
        n for n in names if n.endswith(".auto.tfvars"))
    values: dict[str, Node] = {}
    for file_name in ordered:
        shown = os.path.join(shown_directory, file_name) if shown_directory else file_name
        source = read_source(sources, shown, os.path.join(directory, file_name), _MAX_FOUND_BYTES)
        if source is None:
            continue
        for _, syntax in _parse([source], problems):
            evaluator = Evaluator(source, Scope(), syntax)
            try:
                for key, expression in attributes(file_body(syntax)):
                    values[key] = evaluator.evaluate(expression, f"var.{key}")
            except (TooDeep, RecursionError):
                problems.at(INVALID_INPUT, "error", _TOO_DEEP, source.name, 1, 1)
    return values


def read_terraform(files: list[SourceFile], collector: Collector, problems: Problems,
                   skip: set[tuple[str, str]] | frozenset = frozenset(), spill: SpilledZones | None = None) -> bool:
    """Read .tf files (grouped by directory); False when none could be parsed. A directory a
    given module calls with ``source = "./…"`` is read as that module instance (with the call's
    arguments), not on its own. Resources in ``skip`` ((absolute path, address)) were read from
    a plan and are not read again. The module and tfvars files read from disk join
    ``collector.sources``. With ``spill``, what each zone owns is kept there, compressed, and
    its zone in the configuration stays empty until ``spill.fill``."""
    from .hcl import Notes, Scope

    by_directory: dict[str, list[SourceFile]] = {}
    for source in files:
        by_directory.setdefault(os.path.dirname(os.path.abspath(source.name)), []).append(source)
    before = len(problems.findings)
    modules = {directory: _Parsed.deferred(directory, by_directory[directory], problems)
               for directory in sorted(by_directory)}
    called = {target for module in modules.values() for target in _called_directories(module)}
    for directory in called & modules.keys():
        modules[directory].reused = True
    take = _build_resource if spill is None else (lambda resource: _packed(_build_resource(resource), spill))
    reader = _Reader(problems, skip, modules, collector.sources, take=take)
    notes = Notes()
    resources: list[_BuiltResource] = []
    roots = [d for d in sorted(modules) if d not in called]
    leftovers = [d for d in sorted(modules) if d in called]
    for directory in roots + leftovers:
        if directory in reader.instantiated:
            continue
        module = modules[directory]
        scope = Scope(notes)
        _declare(scope, module.files)
        if directory not in called and module.files:
            shown_directory = os.path.dirname(module.files[0][0].name)
            scope.values.update(_tfvars(directory, shown_directory, problems, collector.sources))
        resources.extend(reader.instantiate(module, scope, ""))
        if directory not in called:
            module.release()
    reader.report(notes)
    failed = {f.location.file for f in problems.findings[before:] if f.check == INVALID_INPUT and f.severity == "error"}
    usable = False
    for source in files:
        if source.name not in failed:
            collector.files.append(source.name)
            usable = True
    collector.files.extend(name for name in reader.loaded_files if name not in failed)
    _place(resources, collector, problems, spill)
    return usable


def _called_directories(module: _Parsed) -> set[str]:
    """Absolute directories this module calls with a literal local ``source``."""
    from .hcl import block_attributes, literal_string, top_level_blocks

    found = set()
    for source, syntax in module.files:
        if syntax is None:
            continue  # calls no module (``_Parsed``)
        for block_type, labels, block in top_level_blocks(syntax):
            if block_type != "module":
                continue
            value = literal_string(block_attributes(block).get("source"))
            if value and value.startswith(("./", "../")):
                found.add(os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(source.name)), value)))
    return found


def add_resources(resources: list[Resource], collector: Collector, problems: Problems) -> None:
    """File normalised resources into zones (by their ``zone_id``)."""
    _place([_build_resource(resource) for resource in resources], collector, problems)


class _BuiltResource:
    """One resource built into model objects, waiting to be filed into its zone or account.

    Resources are built as soon as they are evaluated, so the evaluated nodes of a module are
    let go file by file (they take several times the memory of the model built from them);
    filing waits for ``_place``, once every zone's name is known. ``findings`` are the
    building's, reported by ``_place`` in the same order as the resources.
    """

    __slots__ = ("kind", "name", "module", "objects", "zone_reference", "account_id", "zone_name", "record_name",
                 "findings", "packed", "weight")

    def __init__(self, kind: str, name: str, module: str) -> None:
        self.kind = kind
        self.name = name
        self.module = module
        self.objects: list = []  # the model objects (a zone setting: (id, Setting) pairs)
        self.zone_reference: tuple[str, str] | None = None  # ("id", zone id) or ("reference", text)
        self.account_id: str | None = None  # of an account-level ruleset or access rule
        self.zone_name: str | None = None  # a cloudflare_zone resource's or data source's name
        self.record_name: str | None = None  # a DNS record's name as written (``_place`` qualifies it)
        self.findings: list | None = None
        self.packed: bytes | None = None  # ``objects`` packed by ``SpilledZones`` (then empty)
        self.weight = 0  # rules packed


def _packed(entry: _BuiltResource, spill: SpilledZones) -> _BuiltResource:
    """``entry`` with the objects it adds to its zone packed by ``spill`` (those of an account
    stay as they are: accounts are linked to zones before any zone is checked; so do those
    naming no zone: that zone may be merged into another, ``_place``)."""
    if entry.kind in SPILLED_TYPES and entry.objects and entry.zone_reference is not None and not any(
            getattr(item, "account_level", False) or getattr(item, "scope", None) == "account"
            for item in entry.objects):
        entry.weight = sum(len(getattr(item, "rules", ())) or 1 for item in entry.objects)
        entry.packed = spill.pack(entry.objects)
        entry.objects = []
    return entry


def _build_resource(resource: Resource) -> _BuiltResource:
    """``resource`` built into model objects (nothing for a data source but its zone name)."""
    entry = _BuiltResource(resource.type, resource.name, resource.module)
    if resource.type in ("cloudflare_zone", "data.cloudflare_zone", "data.cloudflare_zones"):
        entry.zone_name = _zone_name(resource.node)
    if resource.type.startswith("data."):
        return entry
    problems = Problems()
    node = shapes.normalise(resource.node) or resource.node.with_children({})
    entry.zone_reference = _zone_reference(node)
    kind = resource.type
    objects = entry.objects
    if kind == "cloudflare_ruleset":
        ruleset = build.build_ruleset(node, problems, account_level=node.get("account_id") is not None and node.get("zone_id") is None)
        if ruleset.account_level:
            account_id = node.get("account_id").value if node.get("account_id") is not None else None
            entry.account_id = account_id if isinstance(account_id, str) else None
        objects.append(ruleset)
    elif kind == "cloudflare_page_rule":
        objects.append(build.build_page_rule(shapes.page_rule(node), problems))
    elif kind == "cloudflare_filter":
        objects.append(build.build_filter(shapes.filter_(node), problems))
    elif kind == "cloudflare_firewall_rule":
        objects.append(_firewall_rule(node, problems))
    elif kind == "cloudflare_access_rule":
        rule = build.build_access_rule(shapes.access_rule(node), problems)
        if rule.scope == "account":
            account_id = node.get("account_id").value
            entry.account_id = account_id if isinstance(account_id, str) else None
        objects.append(rule)
    elif kind == "cloudflare_zone_lockdown":
        objects.append(build.build_lockdown(node, problems))
    elif kind == "cloudflare_user_agent_blocking_rule":
        objects.append(build.build_ua_rule(node, problems))
    elif kind == "cloudflare_bot_management":
        objects.append(build.build_bot_management(shapes.strip_terraform(node), problems))
    elif kind == "cloudflare_zone_settings_override":
        for setting_id, value in shapes.zone_settings(node):
            setting = build.build_setting(value.with_children({"value": value}), setting_id) if value.is_dict() else build.build_setting(value, setting_id)
            objects.append((setting_id, setting))
    elif kind == "cloudflare_zone_setting":
        setting_id = node.get("setting_id")
        if setting_id is not None and isinstance(setting_id.value, str):
            setting = build.build_setting(node, setting_id.value)
            if setting is not None:
                objects.append((setting.id, setting))
    elif kind in ("cloudflare_record", "cloudflare_dns_record"):
        name = node.get("name")
        record = build.build_dns_record(node, problems)
        if name is not None and name.unresolved is None and isinstance(name.value, str):
            entry.record_name = name.value
        objects.append(record)
    entry.findings = problems.findings or None
    return entry


def _place(entries: list[_BuiltResource], collector: Collector, problems: Problems,
           spill: SpilledZones | None = None) -> None:
    """File built resources into zones and accounts, in the order they were read, and report
    what building them found; packed ones go to ``spill`` (those of the zone that names no
    zone are unpacked: that zone may be merged into another)."""
    zone_names = {}
    for entry in entries:
        if entry.zone_name is not None:
            zone_names[(entry.module, entry.kind.startswith("data."), entry.name)] = entry.zone_name
    built_filters = {}
    for entry in entries:
        kind = entry.kind
        if kind.startswith("data."):
            continue
        if entry.findings:
            problems.findings.extend(entry.findings)
        zone = _zone(entry.zone_reference, zone_names, collector, entry.module)
        if entry.packed is not None:
            if zone is not collector.implicit_zone():
                spill.file(zone, kind, entry.record_name, entry.packed, entry.weight)
                continue
            entry.objects = spill.unpack(entry.packed)
        for model_object in entry.objects:
            if kind == "cloudflare_ruleset" and model_object.account_level:
                collector.account(entry.account_id).rulesets.append(model_object)
            elif kind == "cloudflare_access_rule" and model_object.scope == "account":
                collector.account(entry.account_id).access_rules.append(model_object)
            else:
                if kind == "cloudflare_filter":
                    built_filters[entry.name] = model_object
                add_to_zone(zone, kind, model_object, entry.record_name)
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


def _zone_reference(node: Node) -> tuple[str, str] | None:
    """How a resource names its zone: ("id", zone id) when written, else ("reference",
    the unresolved text, "" when not known); None without ``zone_id``."""
    zone_id = node.get("zone_id")
    if zone_id is None:
        return None
    if zone_id.unresolved is None and isinstance(zone_id.value, str):
        return ("id", zone_id.value)
    return ("reference", zone_id.unresolved or "")


def _zone(reference: tuple[str, str] | None, zone_names: dict, collector: Collector, module: str = ""):
    if reference is None:
        return collector.zone()
    kind, text = reference
    if kind == "id":
        return collector.zone(text)
    match = _ZONE_REFERENCE.match(text)
    if match:
        key = (module, text.startswith("data."), match.group(1))
        if key in zone_names:
            return collector.zone(None, zone_names[key])
    return collector.zone(None, text or None)


def _zone_name(node: Node) -> str | None:
    """The zone name a ``cloudflare_zone`` resource or data source is about (v4 ``zone`` or
    ``name``, v5 ``name`` or ``filter { name }``)."""
    filter_node = node.get("filter")
    filter_name = filter_node.get("name") if filter_node is not None else None
    for candidate in (node.get("zone"), node.get("name"), filter_name):
        if candidate is not None and candidate.is_list() and candidate.elements():
            candidate = candidate.elements()[0]  # v4 filter block
        if candidate is not None and candidate.unresolved is None and isinstance(candidate.value, str):
            return candidate.value
    if filter_node is not None and filter_node.is_list() and filter_node.elements():
        name = filter_node.elements()[0].get("name")
        if name is not None and name.unresolved is None and isinstance(name.value, str):
            return name.value
    return None
