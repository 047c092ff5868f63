"""Locate the data that ships with rulelint (grammars/ and docs/) and read the check pages.

In a wheel they are the packages ``rulelint.grammars`` and ``rulelint.docs``; in a source
checkout they are the top-level folders of the repository. Callers never need to know which.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_ROOT.parent


def _folder(installed_name: str, checkout_name: str) -> Path:
    installed = _PACKAGE_ROOT / installed_name
    return installed if installed.is_dir() else _CHECKOUT_ROOT / checkout_name


def grammars_dir() -> Path:
    """The folder holding the field and function tables and the grammar notes."""
    return _folder("grammars", "grammars")


def docs_dir() -> Path:
    """The folder holding the documentation pages (``checks/<id>.md`` and ``findings/<id>.md``)."""
    return _folder("docs", "docs")


def doc_link(check_id: str) -> str:
    """The page of ``check_id`` relative to ``docs/``: ``checks/<id>.md`` for a check,
    ``findings/<id>.md`` for the ids reading and the pipeline report (``invalid-input``…)."""
    if not (docs_dir() / "checks" / f"{check_id}.md").is_file() and (docs_dir() / "findings" / f"{check_id}.md").is_file():
        return f"findings/{check_id}.md"
    return f"checks/{check_id}.md"


def doc_path(check_id: str) -> Path:
    return docs_dir() / doc_link(check_id)


def doc_page(check_id: str) -> str | None:
    """The Markdown doc page of ``check_id``, or None when it has none."""
    try:
        return doc_path(check_id).read_text(encoding="utf-8")
    except OSError:
        return None


def first_paragraph(markdown: str) -> str:
    """The first prose paragraph of a doc page's first section, on one line.

    The title, the severity line under it and code blocks are skipped.
    """
    lines = markdown.splitlines()
    sections = [i for i, line in enumerate(lines) if line.startswith("## ")]
    start = sections[0] + 1 if sections else 0
    paragraph: list[str] = []
    in_code = False
    for line in lines[start:]:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            if paragraph:
                break
            continue
        if in_code:
            continue
        if not stripped or stripped.startswith("#"):
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    return " ".join(paragraph)
