"""``rulelint.check`` returns exactly the findings the command line's JSON report holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rulelint
from rulelint.cli import main

ROOT = Path(__file__).resolve().parents[2]
INPUTS = sorted(
    str(path) for path in (ROOT / "fixtures").rglob("*")
    if path.suffix in (".json", ".tf") and "golden" not in path.parts and path.is_file()
)


def _as_json(finding) -> dict:
    from rulelint.reports.json_report import finding_document

    return finding_document(finding)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_library_and_command_line_agree(path, capsys):
    main(["check", path, "--format", "json", "--no-cache"])
    from_cli = json.loads(capsys.readouterr().out)["findings"]
    from_library = [_as_json(f) for f in rulelint.check(path)]
    assert from_library == from_cli


def test_settings_are_keyword_arguments():
    demo = str(ROOT / "fixtures" / "demo" / "export.json")
    assert {f.check for f in rulelint.check(demo, select=["broad-skip"])} == {"broad-skip"}
    with pytest.raises(TypeError, match="unknown setting 'selct'"):
        rulelint.check(demo, selct=["broad-skip"])
