"""The pre-commit hook, run by pre-commit itself: a temporary git repository uses this checkout
as its hook repository; a commit adding a broad skip is blocked, a clean one goes through.

pre-commit installs the hook repository with pip into its own virtualenv (only PyPI needed).
When the checkout has uncommitted changes, the test commits a snapshot of its working tree
(tracked and untracked, not ignored files) to a throwaway repository and uses that instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import FIXTURES, REPO

pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is not installed")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "rulelint tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "rulelint tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(*args: str, cwd, env) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _hook_repository(tmp_path, env) -> tuple[str, str]:
    """(repo, rev) for this checkout: itself at HEAD when clean, else a snapshot commit."""
    status = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, env=env)
    if status.returncode == 0 and not status.stdout.strip():
        return str(REPO), _git("rev-parse", "HEAD", cwd=REPO, env=env)
    snapshot = tmp_path / "hook-repo"
    snapshot.mkdir()
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, env=env, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git("init", "-q", cwd=snapshot, env=env)
    _git("add", "-A", cwd=snapshot, env=env)
    _git("commit", "-q", "-m", "snapshot", cwd=snapshot, env=env)
    return str(snapshot), _git("rev-parse", "HEAD", cwd=snapshot, env=env)


def test_hook_blocks_a_broad_skip_and_passes_a_clean_commit(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_ENV)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    env["NO_COLOR"] = "1"
    repo, rev = _hook_repository(tmp_path, env)

    work = tmp_path / "zones"
    work.mkdir()
    _git("init", "-q", cwd=work, env=env)
    config = {"repos": [{"repo": repo, "rev": rev, "hooks": [{"id": "rulelint"}]}]}
    (work / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=2))  # JSON is YAML
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, env=env, check=True,
                   capture_output=True)
    _git("add", ".pre-commit-config.yaml", cwd=work, env=env)
    _git("commit", "-q", "--no-verify", "-m", "config", cwd=work, env=env)

    # A repository's own JSON that is not Cloudflare configuration never blocks a commit.
    (work / "package.json").write_text(json.dumps({"name": "site", "version": "1.0.0", "dependencies": {}}))
    _git("add", "package.json", cwd=work, env=env)
    ok = subprocess.run(["git", "commit", "-m", "package"], cwd=work, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    shutil.copy(FIXTURES / "clean" / "zone.json", work / "clean.json")
    _git("add", "clean.json", cwd=work, env=env)
    ok = subprocess.run(["git", "commit", "-m", "clean rules"], cwd=work, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "rulelint" in ok.stdout + ok.stderr and "Passed" in ok.stdout + ok.stderr

    zone = json.loads((FIXTURES / "clean" / "zone.json").read_text())
    zone["result"]["rules"].append(
        {
            "id": "5c1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e",
            "ref": "skip_all",
            "action": "skip",
            "action_parameters": {"ruleset": "current"},
            "expression": "true",
            "description": "skip everything",
            "enabled": True,
        }
    )
    (work / "broad.json").write_text(json.dumps(zone, indent=2))
    _git("add", "broad.json", cwd=work, env=env)
    blocked = subprocess.run(["git", "commit", "-m", "broad skip"], cwd=work, env=env, capture_output=True, text=True)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "Failed" in output
    assert "broad.json:" in output and "error broad-skip" in output
    assert _git("log", "--format=%s", cwd=work, env=env).splitlines() == ["clean rules", "package", "config"]
    _git("reset", "-q", "HEAD", "broad.json", cwd=work, env=env)
    (work / "broad.json").unlink()

    # A risky Terraform file is blocked too, and the finding names its line.
    (work / "waf.tf").write_text(
        'resource "cloudflare_ruleset" "waf" {\n'
        '  zone_id = "0da42c8d2132a9ddaf714f9e7c920711"\n'
        '  name    = "custom"\n'
        '  kind    = "zone"\n'
        '  phase   = "http_request_firewall_custom"\n'
        '  rules = [{\n'
        '    action            = "skip"\n'
        '    action_parameters = { ruleset = "current" }\n'
        '    expression        = "true"\n'
        '    description       = "skip everything"\n'
        '  }]\n'
        '}\n'
    )
    _git("add", "waf.tf", cwd=work, env=env)
    blocked = subprocess.run(["git", "commit", "-m", "risky tf"], cwd=work, env=env, capture_output=True, text=True)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "waf.tf:9:" in output and "error broad-skip" in output
