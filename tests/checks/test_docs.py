"""Every check's page ``docs/checks/<id>.md`` has the fixed headings, no empty section, and
examples that run: the configuration under ``## Example`` produces the check's finding, the one
under ``## Use instead`` does not (each run with only that check selected).

The fixed layout (``docs/contributing.md``)::

    # <id>
    Severity: ...
    ## What it finds
    ## Why it is risky
    ## Example          (a ```json API-JSON document or bundle, or ```hcl Terraform)
    ## Use instead      (the same kind of block)
    ## Options          (only, and always, when the check has options)
    ## References       (links to the Cloudflare documentation pages the check relies on)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from rulelint.checks.registry import ALL_CHECKS
from rulelint.findings import INVALID_INPUT

from .fixture_cases import ROOT, analysis_with_only

DOCS = ROOT / "docs" / "checks"
HEADINGS = ("What it finds", "Why it is risky", "Example", "Use instead", "References")
OPTIONS = "Options"
CLOUDFLARE_DOCS = "https://developers.cloudflare.com/"
# The input file a configuration block is written to, by its fence language.
CONFIG_FILES = {"json": "example.json", "hcl": "main.tf"}

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


@dataclass
class Page:
    title: str
    preamble: str  # the text between the title and the first section
    sections: dict[str, str]  # heading -> body, in page order


def parse_page(text: str) -> Page:
    lines = text.splitlines()
    title = lines[0] if lines else ""
    preamble: list[str] = []
    sections: dict[str, str] = {}
    current: list[str] | None = None
    for line in lines[1:]:
        if line.startswith("## "):
            current = []
            sections[line[3:].strip()] = current  # type: ignore[assignment]
        elif current is None:
            preamble.append(line)
        else:
            current.append(line)
    return Page(title, "\n".join(preamble).strip(), {name: "\n".join(body) + "\n" for name, body in sections.items()})


def expected_headings(check) -> list[str]:
    headings = list(HEADINGS)
    if check.options:
        headings.insert(headings.index("Use instead") + 1, OPTIONS)
    return headings


def config_block(body: str) -> tuple[str, str] | None:
    """The first ```json or ```hcl block of a section: (language, text)."""
    for language, text in _FENCE.findall(body):
        if language in CONFIG_FILES:
            return language, text
    return None


def page_problems(check, text: str) -> list[str]:
    """What is wrong with the layout of ``check``'s page (empty: nothing)."""
    page = parse_page(text)
    problems = []
    if page.title != f"# {check.id}":
        problems.append(f"the first line must be '# {check.id}'")
    if not page.preamble.startswith("Severity: ") or "\n\n" in page.preamble:
        problems.append("one 'Severity: ...' paragraph, and nothing else, must come before the first section")
    elif check.severity not in page.preamble:
        problems.append(f"the severity line must name the check's severity ({check.severity})")
    if list(page.sections) != expected_headings(check):
        problems.append(f"the sections must be exactly {expected_headings(check)}, got {list(page.sections)}")
    for name, body in page.sections.items():
        if not body.strip():
            problems.append(f"section '{name}' is empty")
    for name in ("Example", "Use instead"):
        if name in page.sections and config_block(page.sections[name]) is None:
            problems.append(f"section '{name}' has no ```json or ```hcl configuration")
    links = _LINK.findall(page.sections.get("References", ""))
    if not links or not all(link.startswith(CLOUDFLARE_DOCS) for link in links):
        problems.append(f"'References' must link Cloudflare documentation pages ({CLOUDFLARE_DOCS}...) only")
    for option in check.options:
        if f"`{option.key}`" not in page.sections.get(OPTIONS, ""):
            problems.append(f"option `{option.key}` is not described under '{OPTIONS}'")
    return problems


def run_block(check, section: str, tmp_path: Path):
    """The analysis of a section's configuration block, with only ``check`` (and
    ``invalid-input``, so an unreadable example cannot pass as clean) selected."""
    block = config_block(parse_page((DOCS / f"{check.id}.md").read_text(encoding="utf-8")).sections[section])
    assert block is not None, f"{check.id}.md: no configuration under '{section}'"
    language, text = block
    path = tmp_path / CONFIG_FILES[language]
    path.write_text(text, encoding="utf-8")
    analysis = analysis_with_only([check.id, INVALID_INPUT], [path])
    unreadable = [f.message for f in analysis.findings if f.check == INVALID_INPUT]
    assert unreadable == [], f"{check.id}.md: the configuration under '{section}' cannot be read"
    return analysis


CHECKS = pytest.mark.parametrize("check", ALL_CHECKS, ids=[c.id for c in ALL_CHECKS])


@CHECKS
def test_page_has_the_fixed_layout(check):
    path = DOCS / f"{check.id}.md"
    assert path.is_file(), f"no doc page {path.relative_to(ROOT)}"
    assert page_problems(check, path.read_text(encoding="utf-8")) == []


@CHECKS
def test_example_produces_the_finding(check, tmp_path: Path):
    analysis = run_block(check, "Example", tmp_path)
    assert [f for f in analysis.findings if f.check == check.id]


@CHECKS
def test_use_instead_produces_no_finding(check, tmp_path: Path):
    analysis = run_block(check, "Use instead", tmp_path)
    assert analysis.configuration.zones, "the configuration under 'Use instead' holds no zone"
    assert [f.message for f in analysis.findings if f.check == check.id] == []


# -- the layout test itself catches a stub ----------------------------------------------------

STUB = """# broad-skip

Severity: error.

## What it finds

A skip that is too wide.
"""


def test_a_stub_page_is_rejected():
    problems = page_problems(_check("broad-skip"), STUB)
    assert any("sections must be exactly" in p for p in problems)
    assert any("References" in p for p in problems)


def test_an_empty_section_and_a_missing_configuration_are_rejected():
    check = _check("invalid-expression")
    good = (DOCS / "invalid-expression.md").read_text(encoding="utf-8")
    no_reason = re.sub(r"(## Why it is risky\n).*?(\n## Example)", r"\1\2", good, flags=re.S)
    assert page_problems(check, no_reason) == ["section 'Why it is risky' is empty"]
    no_config = good.replace("```json", "```text", 1)
    assert page_problems(check, no_config) == ["section 'Example' has no ```json or ```hcl configuration"]


def test_an_undocumented_option_is_rejected():
    check = next(c for c in ALL_CHECKS if c.options)
    page = (DOCS / f"{check.id}.md").read_text(encoding="utf-8")
    key = check.options[0].key
    problems = page_problems(check, page.replace(f"`{key}`", "`renamed`"))
    assert problems == [f"option `{key}` is not described under '{OPTIONS}'"]


def _check(check_id: str):
    return next(c for c in ALL_CHECKS if c.id == check_id)
