#!/usr/bin/env python3
"""Start a new check: ``python scripts/new_check.py ID [--severity LEVEL] [--summary TEXT]``.

Writes the four places a check lives in (docs/contributing.md explains each):

1. ``rulelint/checks/<id_with_underscores>.py``: the check class, whose ``run`` yields nothing yet;
2. ``fixtures/checks/<id>/must-fire/api.json`` and ``fixtures/checks/<id>/must-not-fire-ok/api.json``:
   a configuration it must report and one it must not (edit both);
3. ``docs/checks/<id>.md``: the doc page with the fixed headings, to fill in;
4. ``rulelint/checks/registry.py``: one import and one entry at the end of ``ALL_CHECKS``.

It refuses an id that is not kebab-case or that is taken (a module, fixture folder, doc page
or a name in the package already holds it), and writes nothing unless it can write all four.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

KEBAB_CASE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
SEVERITIES = ("error", "warning", "info")
REGISTRY = Path("rulelint/checks/registry.py")
_CHECK_IMPORT = re.compile(r"from \.(\w+) import (\w+)$")
_TUPLE_START = re.compile(r"ALL_CHECKS\b.*=\s*\($")

CHECK_MODULE = '''"""{id}: {summary}

TODO: say what the check finds, what it relies on (see ``rulelint.checks.base`` for the context
a check gets) and why. See docs/checks/{id}.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .base import Check, CheckContext

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Zone


class {class_name}(Check):
    id = "{id}"
    severity = "{severity}"
    summary = "{summary}"

    def run(self, zone: Zone, ctx: CheckContext) -> Iterable[Finding]:
        # TODO: yield self.finding(severity, message, ctx.location(...)) for each problem.
        yield from ()
'''

# A zone with one custom rule, in Cloudflare API JSON: replace it with the smallest
# configuration that shows the case (other formats may sit beside it: v4.tf, v5.tf, plan/).
FIXTURE = '''{{
  "result": {{
    "id": "00000000000000000000000000000001",
    "kind": "zone",
    "phase": "http_request_firewall_custom",
    "rules": [
      {{
        "id": "00000000000000000000000000000002",
        "description": "TODO: a rule {check_id} must {verdict}",
        "action": "log",
        "expression": "http.host eq \\"example.com\\"",
        "enabled": true
      }}
    ]
  }}
}}
'''

DOC_PAGE = '''# {id}

Severity: {severity}.

## What it finds

TODO: what the check reports, with a sample message.

## Why it is risky

TODO: what can go wrong, from the Cloudflare documentation listed under References.

## Example

TODO: a configuration the check reports (it is run by tests/checks/test_docs.py).

```json
{fires}```

## Use instead

TODO: the configuration to write instead (the check must not report it).

```json
{clean}```

## References

- TODO: [the Cloudflare documentation page](https://developers.cloudflare.com/) this check relies on
'''


class Refused(Exception):
    """The id cannot be scaffolded; the message says why."""


def class_name(check_id: str) -> str:
    return "".join(word.capitalize() for word in check_id.split("-"))


def module_name(check_id: str) -> str:
    return check_id.replace("-", "_")


def planned_files(root: Path, check_id: str, severity: str, summary: str) -> dict[Path, str]:
    """The new files, by path, with their text."""
    fixtures = root / "fixtures" / "checks" / check_id
    return {
        root / "rulelint" / "checks" / f"{module_name(check_id)}.py": CHECK_MODULE.format(
            id=check_id, class_name=class_name(check_id), severity=severity, summary=summary
        ),
        fixtures / "must-fire" / "api.json": FIXTURE.format(check_id=check_id, verdict="report"),
        fixtures / "must-not-fire-ok" / "api.json": FIXTURE.format(check_id=check_id, verdict="not report"),
        root / "docs" / "checks" / f"{check_id}.md": DOC_PAGE.format(
            id=check_id,
            severity=severity,
            fires=FIXTURE.format(check_id=check_id, verdict="report"),
            clean=FIXTURE.format(check_id=check_id, verdict="not report"),
        ),
    }


def registered(registry_text: str, check_id: str) -> str:
    """The registry with the new check's import (in alphabetical order among the check
    imports) and its entry (at the end of ``ALL_CHECKS``)."""
    lines = registry_text.splitlines(keepends=True)
    imports = [i for i, line in enumerate(lines) if _CHECK_IMPORT.match(line.rstrip("\n"))]
    start = next((i for i, line in enumerate(lines) if _TUPLE_START.search(line.rstrip())), None)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == ")"), None) if start is not None else None
    if not imports or end is None:
        raise Refused(f"{REGISTRY} does not have the expected shape (check imports, then ALL_CHECKS = ( ... ))")
    new_import = f"from .{module_name(check_id)} import {class_name(check_id)}\n"
    position = next((i for i in imports if lines[i] > new_import), imports[-1] + 1)
    lines.insert(end, f"    {class_name(check_id)},\n")
    lines.insert(position, new_import)
    return "".join(lines)


def taken_by(root: Path, check_id: str) -> str | None:
    """What already holds ``check_id``, if anything."""
    places = [
        root / "rulelint" / "checks" / f"{module_name(check_id)}.py",
        root / "fixtures" / "checks" / check_id,
        root / "docs" / "checks" / f"{check_id}.md",
    ]
    for place in places:
        if place.exists():
            return str(place.relative_to(root))
    bound = re.compile(rf"^\s*\w+\s*(:[^=]+)?=\s*[\"']{re.escape(check_id)}[\"']\s*$", re.M)
    for source in sorted((root / "rulelint").rglob("*.py")):
        if bound.search(source.read_text(encoding="utf-8")):
            return str(source.relative_to(root))
    return None


def scaffold(root: Path, check_id: str, severity: str = "warning", summary: str | None = None) -> list[Path]:
    """Write the new check's four places under ``root``; the paths written, registry last."""
    if not KEBAB_CASE.fullmatch(check_id):
        raise Refused(f"{check_id!r} is not a kebab-case id (lower-case words joined by '-', e.g. skip-without-logging)")
    if severity not in SEVERITIES:
        raise Refused(f"severity must be one of {', '.join(SEVERITIES)}")
    holder = taken_by(root, check_id)
    if holder:
        raise Refused(f"the id {check_id} is taken: {holder}")
    summary = summary or f"TODO: one line for `rulelint rules` about {check_id}."
    if '"' in summary or "\\" in summary or "\n" in summary:
        raise Refused("the summary must be one line without quotes or backslashes")
    registry = root / REGISTRY
    new_registry = registered(registry.read_text(encoding="utf-8"), check_id)
    files = planned_files(root, check_id, severity, summary)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    registry.write_text(new_registry, encoding="utf-8")
    return [*files, registry]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the stub check, fixtures, doc page and registry line of a new check.")
    parser.add_argument("check_id", metavar="ID", help="kebab-case id, e.g. skip-without-logging")
    parser.add_argument("--severity", default="warning", choices=SEVERITIES, help="the most severe level it reports")
    parser.add_argument("--summary", help="one line for `rulelint rules`")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the repository to write into (default: the one this script is in)")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.root.resolve(), args.check_id, args.severity, args.summary)
    except Refused as refusal:
        print(f"new_check: {refusal}", file=sys.stderr)
        return 2
    for path in written:
        print(path.relative_to(args.root.resolve()))
    print(
        f"Next: write the check, edit both fixtures and the doc page, then run\n"
        f"  RULELINT_UPDATE_GOLDEN=1 pytest tests/checks/test_fixtures.py -k {args.check_id}\n"
        f"and read the golden files it wrote (see docs/contributing.md).",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
