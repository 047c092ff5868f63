"""The layout of a check's fixtures, in one place for the fixture tests and the meta-test.

``fixtures/checks/<check-id>/<case>/`` holds one configuration written in one or more input
formats (API JSON ``api.json``, Terraform ``v4.tf`` / ``v5.tf``, a plan in ``plan/`` and a
plan with the configuration it was made from in ``plan-with-config/``, a bundle):

- a case whose name ends in ``-ok`` must not fire: run with only its check selected, no input
  gives a finding. It has no golden file (its golden would be empty by definition);
- any other case must fire: run with only its check selected, every input gives at least one
  finding, exactly the ones in the golden file ``<input>.expected`` beside it.

Only the owning check runs, so a new check never changes another check's goldens.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from rulelint.pipeline.engine import analyse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "checks"
MUST_NOT_FIRE_SUFFIX = "-ok"
INPUT_SUFFIXES = (".json", ".tf")


@dataclass(frozen=True)
class Case:
    check_id: str
    path: Path  # fixtures/checks/<check-id>/<case>

    @property
    def must_fire(self) -> bool:
        return not self.path.name.endswith(MUST_NOT_FIRE_SUFFIX)

    @property
    def name(self) -> str:
        return f"{self.check_id}/{self.path.name}"

    def inputs(self) -> list[Path]:
        """Every input file of the case: in the case folder and in its ``plan*/`` folders."""
        found = [*self.path.glob("*"), *self.path.glob("plan*/*")]
        return sorted(p for p in found if p.is_file() and p.suffix in INPUT_SUFFIXES)


def cases(check_id: str | None = None) -> list[Case]:
    """Every case folder, or those of one check."""
    folders = [FIXTURES / check_id] if check_id else sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    return [
        Case(folder.name, case)
        for folder in folders
        if folder.is_dir()
        for case in sorted(folder.iterdir())
        if case.is_dir()
    ]


def golden_path(input_path: Path) -> Path:
    return input_path.with_name(input_path.name + ".expected")


def analysis_with_only(check_ids: list[str], paths: list[Path]):
    """The analysis of ``paths`` with only ``check_ids`` selected (input findings such as
    ``invalid-input`` obey the selection too). The one place these tests call the engine."""
    return analyse([str(path) for path in paths], select=check_ids)


def findings_of(check_id: str, input_path: Path, case_dir: Path) -> list[str]:
    """The findings of ``check_id`` alone on one input, one JSON line each (the golden format:
    check, severity, file:line:col relative to the case folder, message, suggestion)."""
    analysis = analysis_with_only([check_id], [input_path])
    return [_golden_line(finding, case_dir) for finding in analysis.findings]


def read_golden(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _golden_line(finding, case_dir: Path) -> str:
    loc = finding.location
    file = Path(loc.file).resolve().relative_to(case_dir.resolve()) if loc.file else None
    suggestion = dataclasses.asdict(finding.suggestion) if finding.suggestion else None
    return json.dumps(
        {
            "check": finding.check,
            "severity": finding.severity,
            "at": f"{file}:{loc.line}:{loc.column}",
            "message": finding.message,
            "suggestion": suggestion,
        },
        ensure_ascii=False,
    )
