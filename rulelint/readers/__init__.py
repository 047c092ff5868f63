"""Read every input (files, folders, standard input) into one ``Configuration``.

``read_paths`` is the one entry point: it finds the files (``discover``), recognises each by
its content (Cloudflare API JSON, rulelint bundle, Terraform HCL or JSON syntax,
``terraform show -json``), reports every input problem as a finding and carries on with the
other inputs. A file found in a folder that is not Cloudflare configuration (``package.json``,
``tsconfig.json``…) is skipped without a finding; named explicitly, it is a finding.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..findings import INVALID_INPUT
from ..model.sources import SourceFile, SourceFiles
from .discover import STDIN, STDIN_NAME, InputFile, find_inputs  # noqa: F401 (STDIN*: re-exported)
from .files import _NOT_REGULAR, DEFAULT_MAX_BYTES, _read, _too_large

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from .bundle_stream import ZoneStream
    from .spilled_zones import SpilledZones
    from ..model import Configuration

# Inputs larger than this are refused with one finding (a 100,000-rule export is ~60 MB).
MAX_BYTES = DEFAULT_MAX_BYTES  # the former name, kept for callers
TERRAFORM_JSON_SUFFIX = ".tf.json"


@dataclass
class ReadResult:
    configuration: "Configuration"
    findings: list["Finding"] = field(default_factory=list)
    usable: bool = True  # False only when nothing usable was read
    # The text of every input read, by the name findings report (``Location.file``).
    sources: SourceFiles = field(default_factory=SourceFiles)
    # Files found in folders and not read: not Cloudflare configuration, or not regular files.
    skipped: list[str] = field(default_factory=list)
    # With ``read_paths(stream=True)``, a bundle as the only input or a large Terraform input:
    # what fills the zones of the configuration that are still empty, one at a time, while they
    # are checked (``bundle_stream.ZoneStream``, ``spilled_zones.SpilledZones``).
    stream: "ZoneStream | SpilledZones | None" = None


def read_paths(paths: list[str], max_bytes: int = DEFAULT_MAX_BYTES,
               exclude: list[str] | tuple[str, ...] = (), stream: bool = False) -> ReadResult:
    """Read ``paths`` (files, directories searched for .json/.tf, or "-" for stdin).

    A file larger than ``max_bytes`` is not read: it becomes one ``invalid-input`` finding.
    ``exclude`` holds gitignore-style patterns, relative to each given folder, of what a
    folder scan leaves out. With ``stream``, a bundle read alone is read zone by zone, and what
    the zones of a large Terraform input own is kept compressed: such zones come back empty, to be
    filled by ``ReadResult.stream`` while they are checked.
    """
    import gc

    # Reading builds millions of small acyclic objects; the cyclic collector would rescan
    # the whole parsed input again and again (measured: 3x slower on 100,000 rules).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_paths(paths, max_bytes, exclude, stream)
    finally:
        if was_enabled:
            gc.enable()


# What reading one JSON input came to.
_READ, _UNUSABLE, _NOT_CLOUDFLARE, _HCL = "read", "unusable", "not Cloudflare", "hcl"


def _read_paths(paths: list[str], max_bytes: int, exclude, stream: bool) -> ReadResult:
    from .collect import Collector
    from .problems import Problems

    sources = SourceFiles()
    collector = Collector(sources)
    problems = Problems()
    inputs = find_inputs(paths, problems, exclude)
    skipped = inputs.skipped
    terraform = {os.path.abspath(item.path): item.name for item in inputs.files
                 if item.path is not None and item.name.endswith(".tf")}
    collector.terraform_inputs = lambda: terraform
    usable = False
    terraform_files: list[SourceFile] = []
    terraform_json: list = []
    zone_stream = None
    for item in inputs.files:
        if item.path is None:
            content = sys.stdin.buffer.read(max_bytes + 1)
        else:
            content = _read(item, problems, max_bytes)
            if content is _NOT_REGULAR:
                skipped.append(item.name)
                continue
        if content is None:
            continue
        kind, text = _text(item, content, problems, max_bytes)
        del content  # only the decoded text is kept (a 60 MB export is not held twice)
        if text is None:
            if kind == _NOT_CLOUDFLARE:
                skipped.append(item.name)
            continue
        source = sources.add(item.name, text)
        if kind == "terraform-json":
            document = _json_document(source, problems)
            if document is not None:
                terraform_json.append(document)
        elif kind == "json" and stream and len(inputs.files) == 1 and \
                (zone_stream := _open_stream(source, collector, problems)) is not None:
            collector.files.append(source.name)
            usable = True
        elif kind == "json":
            outcome = _read_json(source, collector, problems, by_name=item.name.endswith(".json"),
                                 explicit=item.explicit)
            if outcome == _HCL:  # looked like JSON, is not, but parses as HCL
                terraform_files.append(source)
            elif outcome == _NOT_CLOUDFLARE:
                del sources[item.name]
                skipped.append(item.name)
            else:
                usable |= outcome == _READ
        else:
            terraform_files.append(source)
    if terraform_files:
        from . import spilled_zones
        from .terraform import read_terraform

        spill = None
        if stream and zone_stream is None and \
                sum(len(source.text) for source in terraform_files) >= spilled_zones.SPILL_MIN_CHARS:
            spill = spilled_zones.SpilledZones()
        usable |= read_terraform(terraform_files, collector, problems, skip=collector.read_from_plan, spill=spill)
        if spill is not None:
            zone_stream = spill
    if terraform_json:
        from .tf_json import read_terraform_json

        usable |= read_terraform_json(terraform_json, collector, problems)
    return ReadResult(collector.configuration(), problems.findings, usable, sources, skipped, zone_stream)


def _open_stream(source: SourceFile, collector, problems):
    from .bundle_stream import open_stream

    return open_stream(source, collector, problems)


def _text(item: InputFile, content: bytes, problems, max_bytes: int) -> tuple[str, str | None]:
    """("json"|"terraform-json"|"hcl", decoded text), or (why, None) after reporting why the
    input is unusable (``_NOT_CLOUDFLARE``: a file found in a folder, skipped quietly)."""
    name = item.name
    if len(content) > max_bytes:
        problems.at(INVALID_INPUT, "error", _too_large(len(content), max_bytes), name)
        return _UNUSABLE, None
    terraform = name.endswith((".tf", TERRAFORM_JSON_SUFFIX))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not item.explicit and not terraform:
            return _NOT_CLOUDFLARE, None
        problems.at(INVALID_INPUT, "error",
                    f"not UTF-8 text (invalid byte at offset {error.start}); rulelint reads UTF-8 JSON or HCL", name)
        return _UNUSABLE, None
    if name.endswith(".tf"):
        return "hcl", text  # an empty module, or one of comments only, is valid Terraform
    stripped = text.lstrip()
    if not stripped:
        if not item.explicit:
            return _NOT_CLOUDFLARE, None
        problems.at(INVALID_INPUT, "error", "empty file: expected Cloudflare JSON or Terraform HCL", name, 1, 1)
        return _UNUSABLE, None
    if name.endswith(TERRAFORM_JSON_SUFFIX):
        return "terraform-json", text
    if name.endswith(".json"):
        return "json", text
    return ("json" if _LOOKS_LIKE_JSON.match(stripped) else "hcl"), text


# How a JSON document can start (an HCL file cannot start with these, bar an attribute named
# true/false/null); inputs named neither .json nor .tf are recognised by it.
_LOOKS_LIKE_JSON = re.compile(r'[{\["\-0-9]|(?:true|false|null)(?![\w-])')
# Keys only Cloudflare exports, bundles and Terraform plans write: a file found in a folder
# that is not valid JSON is reported when it holds one (a damaged export), else skipped.
_CLOUDFLARE_KEYS = re.compile(
    r'"(?:bundle_format|phase|expression|action_parameters|planned_values|resource_changes|'
    r'prior_state|terraform_version)"\s*:'
)


def _json_document(source: SourceFile, problems, explicit: bool = True, or_hcl: bool = False):
    """The parsed ``JsonDocument``, or None after reporting why it cannot be parsed (a file
    found in a folder that does not look like Cloudflare's is None without a report), or
    ``_HCL`` (without a report) when ``or_hcl`` and the text is not JSON but parses as HCL."""
    from .jsondoc import JSONDecodeError, JsonDocument

    name, text = source.name, source.text
    try:
        return JsonDocument(source)
    except JSONDecodeError as error:
        if or_hcl and _parses_as_hcl(text):
            return _HCL
        if not explicit and not _CLOUDFLARE_KEYS.search(text):
            return None
        if not text[error.pos:].strip():
            from .problems import end_of_text

            problems.at(INVALID_INPUT, "error",
                        "invalid JSON: unexpected end of file (an object, array or string is not closed)",
                        name, *end_of_text(text))
        else:
            problems.at(INVALID_INPUT, "error", f"invalid JSON: {error.msg}", name, error.lineno, error.colno)
    except RecursionError:
        problems.at(INVALID_INPUT, "error",
                    "JSON nested too deeply to be a Cloudflare export; skipped", name, 1, 1)
    except ValueError:  # an integer too long for Python to convert (over 4,300 digits)
        _too_long_number(source, problems)
    return None


def _read_json(source: SourceFile, collector, problems, by_name: bool = True, explicit: bool = True) -> str:
    """Read one JSON input: ``_READ``, ``_UNUSABLE`` (reported), ``_NOT_CLOUDFLARE`` (a file
    found in a folder, not reported) or ``_HCL`` (nothing reported: recognised by content only,
    ``by_name`` False, not JSON, but parses as HCL)."""
    from .jsondoc import pointer

    document = _json_document(source, problems, explicit, or_hcl=not by_name)
    if document is _HCL:
        return _HCL
    if document is None:
        return _UNUSABLE if explicit or _CLOUDFLARE_KEYS.search(source.text) else _NOT_CLOUDFLARE
    if not explicit and not _is_cloudflare_json(document.value):
        return _NOT_CLOUDFLARE
    collector.files.append(source.name)
    for duplicate in document.duplicates:
        path = document.find_path(duplicate.container)
        span = document.key_span(path + (duplicate.key,)) if path is not None else None
        line, column = source.line_column(span[0]) if span else (None, None)
        problems.at(INVALID_INPUT, "warning",
                    f"duplicate key {duplicate.key!r}: written more than once in one object; the last value is used",
                    source.name, line, column, pointer=pointer(path + (duplicate.key,)) if path is not None else None)
    return _READ if _dispatch_json(document, collector, problems) else _UNUSABLE


def _is_cloudflare_json(value) -> bool:
    """Whether a JSON value found in a folder is Cloudflare configuration: a bundle, a
    ``terraform show -json`` document, or API objects rulelint recognises (``read_api``)."""
    from .api_json import recognised
    from .bundle import is_bundle
    from .plan import is_plan

    return is_bundle(value) or is_plan(value) or recognised(value)


def _parses_as_hcl(text: str) -> bool:
    from .hcl_syntax import first_error, parse

    return first_error(parse(text)) is None


def _too_long_number(source: SourceFile, problems) -> None:
    name, text = source.name, source.text
    match = re.search(r"(?<![\w.\"])-?\d{4000,}", text)
    line, column = source.line_column(match.start()) if match else (1, 1)
    digits = len(match.group().lstrip("-")) if match else 0
    problems.at(INVALID_INPUT, "error",
                f"invalid JSON: a number of {digits} digits, too long to be a Cloudflare value; skipped",
                name, line, column)


def _dispatch_json(document, collector, problems) -> bool:
    from .api_json import EXPECTED, read_api
    from .bundle import is_bundle, read_bundle
    from .nodes import JsonNode
    from .plan import is_plan, read_plan

    root = JsonNode.root(document)
    value = document.value
    if not isinstance(value, (dict, list)):
        problems.at(INVALID_INPUT, "error",
                    f"not a Cloudflare export: the file holds a JSON {_SCALAR_WORDS[type(value)]}; "
                    f"expected one of {EXPECTED}", document.name, *_first_line_column(document.text))
        return False
    if is_bundle(value):
        return read_bundle(root, collector, problems)
    if is_plan(value):
        return read_plan(root, collector, problems)
    if read_api(root, collector, problems):
        return True
    problems.at(INVALID_INPUT, "error", f"not a Cloudflare export: expected one of {EXPECTED}",
                document.name, *_first_line_column(document.text))
    return False


_SCALAR_WORDS = {type(None): "null", bool: "boolean", int: "number", float: "number", str: "string"}


def _first_line_column(text: str) -> tuple[int, int]:
    stripped = len(text) - len(text.lstrip())
    line = text.count("\n", 0, stripped) + 1
    column = stripped - (text.rfind("\n", 0, stripped) + 1) + 1
    return line, column
