"""Folder scans read Cloudflare configuration only, once per file, and only regular files."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from rulelint.readers import read_paths

GOOD = '{"result": [{"id": "f", "expression": "ip.src eq 192.0.2.1", "paused": false}], "success": true}'
NOT_CLOUDFLARE = {
    "package.json": '{"name": "site", "version": "1.0.0", "scripts": {"build": "tsc"}, "dependencies": {}}',
    "tsconfig.json": '{\n  // comments are allowed here\n  "compilerOptions": {"strict": true,},\n}\n',
    "renovate.json": '{"$schema": "https://docs.renovatebot.com/renovate-schema.json", "extends": ["config:base"]}',
    "schema.json": '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {}}',
    "empty.json": "",
    "latin1.json": "caf\u00e9",
}


def _findings(result) -> list[tuple]:
    return [(f.check, f.severity, f.message, f.location.file, f.location.line) for f in result.findings]


def _repository(root: Path) -> Path:
    root.mkdir()
    (root / "zone.json").write_text(GOOD)
    for name, text in NOT_CLOUDFLARE.items():
        (root / name).write_bytes(text.encode("latin-1" if name == "latin1.json" else "utf-8"))
    (root / ".vscode").mkdir()
    (root / ".vscode" / "settings.json").write_text('{"editor.tabSize": 2,}')
    package = root / "node_modules" / "left-pad"
    package.mkdir(parents=True)
    (package / "package.json").write_text("{ not json")
    (package / "rules.json").write_text('{"phase": ')  # would be reported if it were read
    return root


def test_a_folder_scan_skips_what_is_not_cloudflare_configuration(tmp_path: Path) -> None:
    root = _repository(tmp_path / "repo")
    result = read_paths([str(root)])
    assert _findings(result) == []
    assert len(result.configuration.zones[0].filters) == 1
    assert result.configuration.files == [str(root / "zone.json")]
    assert result.skipped == [str(root / name) for name in sorted(NOT_CLOUDFLARE)]
    assert set(result.sources) == {str(root / "zone.json")}


def test_a_file_named_explicitly_is_reported(tmp_path: Path) -> None:
    root = _repository(tmp_path / "repo")
    result = read_paths([str(root / "package.json"), str(root / "empty.json")])
    assert [(check, file) for check, _, _, file, _ in _findings(result)] == [
        ("invalid-input", str(root / "package.json")), ("invalid-input", str(root / "empty.json"))
    ]
    assert result.skipped == []


def test_a_folder_and_a_file_inside_it_reports_the_file_named(tmp_path: Path) -> None:
    root = _repository(tmp_path / "repo")
    result = read_paths([str(root), str(root / "package.json")])
    assert [file for _, _, _, file, _ in _findings(result)] == [str(root / "package.json")]
    assert str(root / "package.json") not in result.skipped


def test_damaged_cloudflare_json_in_a_folder_is_still_reported(tmp_path: Path) -> None:
    (tmp_path / "rules.json").write_text('{"result": {"phase": "http_request_firewall_custom", "rules": [')
    result = read_paths([str(tmp_path)])
    assert [(check, file, line) for check, _, _, file, line in _findings(result)] == [
        ("invalid-input", str(tmp_path / "rules.json"), 1)
    ]


def test_gitignore_of_the_folder_and_of_the_work_tree_above(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / ".gitignore").write_text("infra/generated/\n")
    infra = repository / "infra"
    (infra / "generated").mkdir(parents=True)
    (infra / "generated" / "rules.json").write_text('{"phase": ')
    (infra / ".gitignore").write_text("*.local.json\n!keep.local.json\n")
    (infra / "mine.local.json").write_text('{"phase": ')
    (infra / "keep.local.json").write_text(GOOD)
    result = read_paths([str(infra)])
    assert _findings(result) == []
    assert result.configuration.files == [str(infra / "keep.local.json")]


def test_a_gitignore_outside_any_work_tree_above_the_folder_is_not_used(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("zone.json\n")
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "zone.json").write_text(GOOD)
    assert read_paths([str(folder)]).configuration.files == [str(folder / "zone.json")]


def test_exclude_patterns_are_relative_to_each_folder(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder / "legacy").mkdir(parents=True)
        (tmp_path / folder / "legacy" / "old.json").write_text('{"phase": ')
        (tmp_path / folder / "zone.json").write_text(GOOD)
    (tmp_path / "a" / "draft.json").write_text('{"phase": ')
    result = read_paths([str(tmp_path / "a"), str(tmp_path / "b")], exclude=["legacy/", "/draft.json"])
    assert _findings(result) == []
    assert result.configuration.files == [str(tmp_path / "a" / "zone.json"), str(tmp_path / "b" / "zone.json")]


def test_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "zone.json").write_text(GOOD)
    os.symlink(tmp_path / "zone.json", tmp_path / "link.json")
    result = read_paths([str(tmp_path), str(tmp_path / "zone.json"), str(tmp_path / "zone.json"),
                         str(tmp_path / "link.json")])
    assert len(result.configuration.zones[0].filters) == 1
    assert result.configuration.files == [str(tmp_path / "link.json")]  # the first name it was reached by


@pytest.fixture
def no_hang():
    """A read that blocks fails the test after 10 s instead of hanging the suite."""
    def fail(*_):
        raise AssertionError("reading blocked")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_fifo_named_explicitly_is_a_finding(tmp_path: Path, no_hang) -> None:
    fifo = tmp_path / "rules.json"
    os.mkfifo(fifo)
    (tmp_path / "zone.json").write_text(GOOD)
    result = read_paths([str(fifo), str(tmp_path / "zone.json")])
    assert _findings(result) == [
        ("invalid-input", "error", "not a regular file (a named pipe): rulelint reads files; skipped", str(fifo), None)
    ]
    assert len(result.configuration.zones[0].filters) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_fifo_in_a_folder_is_skipped(tmp_path: Path, no_hang) -> None:
    os.mkfifo(tmp_path / "rules.json")
    (tmp_path / "zone.json").write_text(GOOD)
    result = read_paths([str(tmp_path)])
    assert _findings(result) == []
    assert result.skipped == [str(tmp_path / "rules.json")]


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_terraform_files_found_beside_the_inputs_are_read_only_when_regular(tmp_path: Path, no_hang) -> None:
    """A FIFO named terraform.tfvars or as a called module's .tf is not waited on: the variable
    keeps its default, the module's regular files are read."""
    (tmp_path / "modules" / "waf").mkdir(parents=True)
    (tmp_path / "main.tf").write_text('variable "zone" {\n  default = "example.com"\n}\n'
                                      'module "waf" {\n  source = "./modules/waf"\n  zone = var.zone\n}\n')
    os.mkfifo(tmp_path / "terraform.tfvars")
    os.mkfifo(tmp_path / "modules" / "waf" / "a.tf")
    (tmp_path / "modules" / "waf" / "main.tf").write_text(
        'variable "zone" {}\nresource "cloudflare_ruleset" "waf" {\n  phase = "http_request_firewall_custom"\n'
        '  rules = [{ action = "block", expression = "http.host eq \\"${var.zone}\\"" }]\n}\n')
    result = read_paths([str(tmp_path / "main.tf")])
    assert _findings(result) == []
    (rule,) = result.configuration.zones[0].rulesets[0].rules
    assert rule.expression.text == 'http.host eq "example.com"'
    assert set(result.sources) == {str(tmp_path / "main.tf"), str(tmp_path / "modules" / "waf" / "main.tf")}


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_is_not_read(tmp_path: Path, no_hang) -> None:
    zero = tmp_path / "zero.json"
    os.symlink("/dev/zero", zero)
    explicit = read_paths([str(zero)], max_bytes=1024)
    assert _findings(explicit) == [
        ("invalid-input", "error", "not a regular file (a device): rulelint reads files; skipped", str(zero), None)
    ]
    assert read_paths([str(tmp_path)], max_bytes=1024).skipped == [str(zero)]


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n// still nothing\n/* later */\n"])
def test_an_empty_terraform_file_is_valid(tmp_path: Path, text: str) -> None:
    path = tmp_path / "main.tf"
    path.write_text(text)
    result = read_paths([str(path)])
    assert result.findings == [] and result.usable
    assert result.configuration.files == [str(path)]
