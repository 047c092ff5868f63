"""The README's promises hold: its Python example prints what it says, and CI runs its test command."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_example_prints_what_the_readme_shows():
    (example,) = _blocks("python")
    (expected,) = _blocks("text")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "README.md", "exec"), {})
    assert out.getvalue() == expected


def test_ci_runs_the_readme_test_command_word_for_word():
    install_and_demo, install_and_test = _blocks("sh")[:2]
    assert "rulelint check fixtures/demo/export.json" in install_and_demo
    assert (ROOT / "fixtures/demo/export.json").is_file()
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert install_and_test.strip() in ci.splitlines()
