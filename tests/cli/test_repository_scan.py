"""A repository as people have it — Terraform with a local module, the site's own JSON,
node_modules, editor settings, a .gitignore'd folder — gives exactly the Cloudflare findings."""

from __future__ import annotations

import json

from .conftest import REPO

REPOSITORY = REPO / "fixtures" / "inputs" / "repository"


def _json(rulelint, *args):
    run = rulelint("check", str(REPOSITORY), "--format", "json", "--no-cache", *args)
    return run, json.loads(run.out)


def test_only_cloudflare_configuration_is_read(rulelint):
    run, document = _json(rulelint)
    files = {f["location"]["file"] for f in document["findings"]}
    assert files and all(name.startswith(str(REPOSITORY / "infra")) for name in files), files
    assert {f["rule"] for f in document["findings"]} <= {"broad-skip", "missing-ip-scope", "unresolved-terraform"}
    # package.json, tsconfig.json (with comments), renovate.json, schema.json: skipped, no finding;
    # node_modules/, .vscode/ and the .gitignore'd generated/ are not even entered.
    assert document["summary"]["skipped_files"] == 4
    assert document["summary"]["files"] == 2
    assert not any("generated" in f["location"]["file"] for f in document["findings"])
    assert run.code == 1


def test_verbose_lists_the_skipped_files(rulelint):
    run = rulelint("check", str(REPOSITORY), "-v", "-q")
    skipped = sorted(line.split("skipped ", 1)[1].split(":")[0] for line in run.err.splitlines() if "skipped " in line)
    assert [name.rsplit("/", 1)[1] for name in skipped] == ["package.json", "renovate.json", "schema.json", "tsconfig.json"]


def test_exclude_leaves_a_folder_out(rulelint):
    run, document = _json(rulelint, "--exclude", "infra")
    assert document["findings"] == [] and document["summary"]["files"] == 0
    assert run.code == 0
