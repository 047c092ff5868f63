"""The GitHub Action: pinned actions, the inputs the README documents, one rulelint run whose
SARIF report becomes annotations, and a SARIF file even when rulelint wrote none."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from .conftest import FIXTURES, REPO

SCRIPT = REPO / "scripts" / "action_sarif.py"


def _action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def test_every_action_is_pinned_by_commit_with_its_release_named():
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    uses = re.findall(r"^\s*- uses:\s*(\S+)(.*)$", text, re.M)
    assert uses
    for target, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", target), target
        assert re.search(r"# v\d+\.\d+\.\d+", comment), target


def test_inputs_and_one_run():
    action = _action()
    assert {"paths", "fail-on", "config", "version", "sarif-file"} <= set(action["inputs"])
    runs = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    assert sum(line.count('"$venv/rulelint" check') for line in runs) == 1
    assert any("-m venv" in line for line in runs)  # rulelint in its own virtual environment


def _script(tmp_path, sarif, code: int, stderr: str = "", fail_on: str = "warning"):
    err = tmp_path / "err.txt"
    err.write_text(stderr)
    return subprocess.run([sys.executable, str(SCRIPT), str(sarif), str(code), str(err), fail_on],
                          capture_output=True, text=True, check=True)


def test_findings_become_annotations(tmp_path, rulelint):
    sarif = tmp_path / "out.sarif"
    run = rulelint("check", "mixed", "--format", "sarif", "-o", str(sarif))
    assert run.code == 1
    done = _script(tmp_path, sarif, 1)
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("file=fixtures/cli/mixed/zone.json,line=" in line and "title=rulelint broad-skip" in line for line in lines)


def test_a_run_that_wrote_no_report_leaves_a_sarif_with_the_error(tmp_path):
    sarif = tmp_path / "out.sarif"
    done = _script(tmp_path, sarif, 2, "rulelint: error: unknown check id: brod-skip (did you mean broad-skip?)\n")
    document = json.loads(sarif.read_text())
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    assert "did you mean broad-skip" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    assert done.stdout.startswith("::error title=rulelint::rulelint: error: unknown check id")
    schema_path = REPO.parent / "shared" / "spec" / "sarif-schema-2.1.0.json"
    if schema_path.exists():
        jsonschema.validate(document, json.loads(schema_path.read_text()))
