"""Baselines: accept today's findings, report only new ones.

A finding is identified by its check, its zone, a position-free locator of the object it is
about, and a hash of the expression it is about -- never by line numbers. The locator is the
rule's Cloudflare ref or id when the input has one, else its JSON pointer or Terraform address
with list indices removed, so a rule moved within its file keeps its identity while an edited
expression does not. Identical keys are counted, so two equal findings need two entries.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from ..atomic import write_text_atomically
from ..findings import Finding, finding_key

BASELINE_VERSION = 1


class BaselineError(ValueError):
    """The baseline file cannot be read (reported as a usage error)."""


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Record ``findings`` in ``path``; returns how many were recorded."""
    entries = sorted(
        (
            {
                "check": check,
                "zone": zone,
                "locator": where,
                "expression_hash": digest,
                "message": finding.message,
            }
            for finding in findings
            for check, zone, where, digest in [finding_key(finding)]
        ),
        key=lambda e: (e["check"], e["zone"], e["locator"], e["expression_hash"], e["message"]),
    )
    document = {"version": BASELINE_VERSION, "tool": "rulelint", "findings": entries}
    write_text_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return len(entries)


def read_baseline(path: str) -> Counter[tuple[str, str, str, str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"baseline {path} is not JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"baseline {path} is not a rulelint baseline (version {BASELINE_VERSION})")
    keys: Counter[tuple[str, str, str, str]] = Counter()
    for entry in document.get("findings") or []:
        try:
            keys[(entry["check"], entry["zone"], entry["locator"], entry["expression_hash"])] += 1
        except (KeyError, TypeError):
            raise BaselineError(f"baseline {path} has a malformed entry: {entry!r}") from None
    return keys


def new_findings(findings: list[Finding], baseline: Counter[tuple[str, str, str, str]]) -> list[Finding]:
    """The findings not accounted for by ``baseline``."""
    remaining = Counter(baseline)
    fresh = []
    for finding in findings:
        key = finding_key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh
