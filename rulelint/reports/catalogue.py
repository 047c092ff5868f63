"""The doc page of a check id, for ``explain`` and SARIF rule help. The catalogue of ids itself
is built by the pipeline (``rulelint.pipeline.catalogue``) and handed to the reports."""

from __future__ import annotations

from pathlib import Path

from ..findings import META_CHECKS, META_IDS, CheckInfo  # noqa: F401 (re-exported)


def doc_path(check_id: str) -> Path:
    from ..resources import docs_dir

    return docs_dir() / "checks" / f"{check_id}.md"


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
