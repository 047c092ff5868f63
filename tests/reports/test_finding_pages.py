"""The ids that reading and the pipeline report (invalid-input, internal-error…) have a page in
docs/findings, which `rulelint explain` prints and SARIF's helpUri names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulelint.findings import META_CHECKS
from rulelint.resources import doc_link, doc_page

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("info", META_CHECKS, ids=lambda info: info.id)
def test_every_reported_id_that_is_not_a_check_has_its_page(info):
    assert doc_link(info.id) == f"findings/{info.id}.md"
    page = doc_page(info.id)
    assert page is not None and page.startswith(f"# {info.id}\n\nSeverity: {info.severity}.\n")
    assert "## What it finds" in page and "## What to do" in page


def test_sarif_help_uri_of_an_input_finding_is_its_page(tmp_path):
    from rulelint.cli import main

    broken = tmp_path / "broken.json"
    broken.write_text('{"result": [', encoding="utf-8")
    out = tmp_path / "out.sarif"
    main(["check", str(broken), "--format", "sarif", "-o", str(out), "--no-cache"])
    rules = {rule["id"]: rule for rule in json.loads(out.read_text())["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["invalid-input"]["helpUri"].endswith("/blob/main/docs/findings/invalid-input.md")
    assert rules["broad-skip"]["helpUri"].endswith("/blob/main/docs/checks/broad-skip.md")
    assert (ROOT / "docs" / "findings" / "invalid-input.md").is_file()
