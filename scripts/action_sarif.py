"""The GitHub Action's step after `rulelint check --format sarif`: print the results as workflow
annotations, and make sure a SARIF file exists even when rulelint wrote none (a usage error),
holding the error as a tool execution notification so code scanning shows why the run failed.

Usage: action_sarif.py SARIF_FILE EXIT_CODE STDERR_FILE FAIL_ON
"""

from __future__ import annotations

import json
import os
import sys

LEVELS = {"error": "error", "warning": "warning", "note": "notice", "none": "notice"}
RANK = {"note": 0, "none": 0, "warning": 1, "error": 2}
FAIL_RANK = {"info": 0, "warning": 1, "error": 2}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def failed_run(code: int, stderr: str) -> dict:
    message = stderr.strip() or f"rulelint exited with code {code} and wrote no report"
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rulelint", "informationUri": "https://github.com/rulelint/rulelint", "rules": []}},
            "invocations": [{
                "executionSuccessful": False,
                "exitCode": code,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": message}}],
            }],
            "results": [],
        }],
    }


def main(sarif_path: str, code: int, stderr_path: str, fail_on: str) -> None:
    try:
        with open(stderr_path, encoding="utf-8", errors="replace") as handle:
            stderr = handle.read()
    except OSError:
        stderr = ""
    if not os.path.isfile(sarif_path):
        with open(sarif_path, "w", encoding="utf-8") as handle:
            json.dump(failed_run(code, stderr), handle, indent=2)
        print(f"::error title=rulelint::{escape_data(stderr.strip() or f'rulelint exited with code {code}')}")
        return
    with open(sarif_path, encoding="utf-8") as handle:
        document = json.load(handle)
    for run in document.get("runs", []):
        for result in run.get("results", []):
            if result.get("suppressions"):
                continue
            level = result.get("level", "warning")
            if RANK.get(level, 1) < FAIL_RANK.get(fail_on, 1):
                level = "note"
            location = (result.get("locations") or [{}])[0].get("physicalLocation", {})
            uri = location.get("artifactLocation", {}).get("uri", "")
            region = location.get("region", {})
            properties = [f"file={escape_property(uri)}"] if uri else []
            for key, name in (("startLine", "line"), ("startColumn", "col"), ("endLine", "endLine"), ("endColumn", "endColumn")):
                if key in region:
                    properties.append(f"{name}={region[key]}")
            properties.append(f"title={escape_property('rulelint ' + result.get('ruleId', ''))}")
            text = result.get("message", {}).get("text", "")
            print(f"::{LEVELS.get(level, 'warning')} {','.join(properties)}::{escape_data(text)}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])
