"""Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or no usable input."""

from __future__ import annotations

import json

from .conftest import FIXTURES, run_process


def test_clean_input_exits_0(rulelint):
    run = rulelint("check", "clean")
    assert run.code == 0
    assert run.out == "No findings (1 file, 1 rule).\n"


def test_findings_exit_1(rulelint):
    assert rulelint("check", "mixed").code == 1


def test_fail_on_error_ignores_warnings(rulelint, tmp_path):
    zone = json.loads((FIXTURES / "mixed" / "zone.json").read_text())
    zone["zones"][0]["rulesets"]["entrypoints"] = {}  # keep only the Page Rule (a warning)
    (tmp_path / "zone.json").write_text(json.dumps(zone))
    run = rulelint("check", "zone.json", "--format", "json", cwd=tmp_path)
    severities = {f["severity"] for f in json.loads(run.out)["findings"]}
    assert severities == {"warning"} and run.code == 1
    assert rulelint("check", "zone.json", "--fail-on", "error", cwd=tmp_path).code == 0
    assert rulelint("check", "zone.json", "--fail-on", "info", cwd=tmp_path).code == 1


def test_fail_on_info_counts_info_findings(rulelint, tmp_path):
    # a rule field Cloudflare does not document is an info finding (unknown-value), nothing more
    (tmp_path / "zone.json").write_text(
        '{"result": {"kind": "zone", "phase": "http_request_firewall_custom", "rules": '
        '[{"action": "block", "expression": "ip.src eq 192.0.2.1", "shiny": 1}]}}'
    )
    run = rulelint("check", "zone.json", "--select", "unknown-value", cwd=tmp_path)
    assert run.code == 0 and "unknown-value" in run.out, run.out
    assert rulelint("check", "zone.json", "--select", "unknown-value", "--fail-on", "info", cwd=tmp_path).code == 1


def test_broken_file_among_good_ones_is_a_finding_not_exit_2(rulelint):
    run = rulelint("check", "clean/zone.json", "mixed/broken.json", "--format", "json")
    assert run.code == 1
    findings = json.loads(run.out)["findings"]
    assert [(f["rule"], f["location"]["file"], f["location"]["line"]) for f in findings] == [
        ("invalid-input", "mixed/broken.json", 2)
    ]


def test_only_a_broken_file_is_no_usable_input(rulelint):
    run = rulelint("check", "mixed/broken.json")
    assert run.code == 2
    assert "mixed/broken.json:2:35: error invalid-input" in run.out
    assert "no usable input" in run.err


def test_folder_without_cloudflare_configuration_has_nothing_to_check(rulelint, tmp_path):
    """A repository with no Cloudflare configuration yet (as a pre-commit hook sees it) is not
    a failure to read: exit 0, and standard error says there was nothing to check."""
    (tmp_path / "notes.txt").write_text("nothing here")
    (tmp_path / "package.json").write_text('{"name": "site"}')
    run = rulelint("check", str(tmp_path))
    assert run.code == 0
    assert run.err == "rulelint: nothing to check: no Cloudflare configuration in the given folders (1 file skipped)\n"


def test_an_unreadable_file_named_explicitly_is_no_usable_input(rulelint, tmp_path):
    (tmp_path / "package.json").write_text('{"name": "site"}')
    assert rulelint("check", str(tmp_path / "package.json")).code == 2


def test_missing_path_is_a_usage_error(rulelint):
    run = rulelint("check", "no/such/file.json")
    assert run.code == 2
    assert run.err == "rulelint: error: no such file or folder: no/such/file.json\n"


def test_bad_option_is_a_usage_error(rulelint):
    run = rulelint("check", "clean", "--format", "yaml")
    assert run.code == 2 and "invalid choice: 'yaml'" in run.err


def test_unknown_check_id_is_a_usage_error(rulelint):
    run = rulelint("check", "clean", "--select", "broad-skips")
    assert run.code == 2
    assert "unknown check id: broad-skips (did you mean broad-skip?)" in run.err


def test_no_paths_is_a_usage_error(rulelint):
    run = rulelint("check")
    assert run.code == 2 and "nothing to check" in run.err


def test_standard_input_in_a_real_process():
    text = (FIXTURES / "mixed" / "zone.json").read_text()
    run = run_process("check", "-", "--format", "json", stdin=text)
    assert run.code == 1, run.err
    document = json.loads(run.out)
    assert {f["location"]["file"] for f in document["findings"]} == {"<stdin>"}
    assert "broad-skip" in {f["rule"] for f in document["findings"]}
    clean = run_process("check", "-", stdin=(FIXTURES / "clean" / "zone.json").read_text())
    assert clean.code == 0 and clean.out.startswith("No findings")


def test_stdin_and_files_form_one_analysis():
    run = run_process("check", "-", "mixed/broken.json", "--format", "json",
                      stdin=(FIXTURES / "clean" / "zone.json").read_text())
    document = json.loads(run.out)
    assert run.code == 1
    assert document["summary"]["files"] == 2
    assert document["summary"]["rules"] == 1


def test_quiet_prints_findings_without_summary(rulelint):
    run = rulelint("check", "mixed", "--quiet")
    assert "findings:" not in run.out and "severity" not in run.out
    assert run.out.startswith("mixed/broken.json:2:35: error invalid-input")


def test_no_suggestions_hides_and_skips_replacements(rulelint):
    run = rulelint("check", "mixed", "--no-suggestions", "--format", "json")
    assert all(f["suggestion"] is None for f in json.loads(run.out)["findings"])
    assert "help: narrower" not in rulelint("check", "mixed", "--no-suggestions").out


def test_statistics(rulelint):
    run = rulelint("check", "mixed", "--statistics", "--format", "json")
    rows = json.loads(run.out)
    assert {"rule": "invalid-input", "severity": "error", "count": 1} in rows
    assert rulelint("check", "mixed", "--statistics", "--format", "sarif").code == 2


def test_module_entry_point_version():
    run = run_process("--version")
    assert run.code == 0 and run.out.startswith("rulelint ")
