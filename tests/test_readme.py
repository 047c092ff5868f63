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


def test_demo_shows_the_mistakes_the_readme_names_and_spares_the_stripe_exception():
    from rulelint.pipeline.engine import analyse

    findings = analyse([str(ROOT / "fixtures/demo/export.json")]).findings
    assert [(f.check, f.severity, f.location.line, f.location.column) for f in findings] == [
        ("ineffective-exception", "warning", 20, 38),  # skips products gone with the new WAF
        ("broad-skip", "error", 25, 32),  # skip of everything on `true`, from any address
        ("broad-skip", "error", 34, 32),  # path `contains`, no source scoping
        ("shadowed-rule", "warning", 34, 32),  # never runs: the skip of everything comes first
        ("deprecated-field", "warning", 42, 32),
        ("invalid-expression", "error", 42, 82),  # an expression Cloudflare would reject
        ("missing-ip-scope", "warning", 64, 225),  # one managed rule, exact path and method, any address
        ("page-rule-waf-off", "warning", 84, 23),  # Disable Security on *example.com/*
        ("zone-setting-off", "info", 91, 39),  # the legacy WAF setting, no effect after migration
        ("bot-fight-mode-api", "error", 93, 40),  # Bot Fight Mode with api.example.com
        ("no-rate-limit", "warning", 96, 9),  # api.example.com's DNS record: no rate limiting rule
    ]
    assert not any(f.location.rule_ref == "stripe_webhook_exception" for f in findings)


def test_demo_shows_no_duplicate_findings():
    """One finding per cause: no rule is reported twice for the same thing (broad-skip owns a
    broad exception that also lacks a source; missing-ip-scope stays silent on it)."""
    from rulelint.pipeline.engine import analyse

    findings = analyse([str(ROOT / "fixtures/demo/export.json")]).findings
    places = [(f.check, f.location.file, f.location.line, f.location.column) for f in findings]
    assert len(places) == len(set(places))
    exceptions = [(f.location.line, f.location.column) for f in findings if f.check in ("broad-skip", "missing-ip-scope")]
    assert len(exceptions) == len(set(exceptions))


def test_the_why_run_shows_real_output(capsys, monkeypatch):
    """The README's `rulelint why` block is what the command prints (its first lines)."""
    import shlex

    from rulelint.cli import main

    (block,) = _blocks("console")
    lines = block.splitlines()
    command_lines = [lines[0].removeprefix("$ ").rstrip("\\").strip(), lines[1].strip()]
    shown = [line for line in lines[2:] if line != "  …"]
    argv = shlex.split(" ".join(command_lines))
    assert argv[0] == "rulelint"
    monkeypatch.chdir(ROOT)
    main(argv[1:])
    printed = capsys.readouterr().out.splitlines()
    assert printed[: len(shown)] == shown
