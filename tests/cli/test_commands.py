"""``rulelint rules``, ``rulelint explain ID`` and the ``fetch`` wiring."""

from __future__ import annotations

import json

from rulelint.checks.registry import ALL_CHECKS


def test_rules_lists_every_check(rulelint):
    run = rulelint("rules")
    assert run.code == 0
    lines = run.out.splitlines()
    ids = [line.split()[0] for line in lines]
    assert ids[: len(ALL_CHECKS)] == [check.id for check in ALL_CHECKS]
    assert {"invalid-input", "unused-suppression", "suppression-without-reason"} <= set(ids)
    broad = next(line for line in lines if line.startswith("broad-skip "))
    assert broad.split(None, 2)[1:] == ["error", next(c.summary for c in ALL_CHECKS if c.id == "broad-skip")]
    listed = json.loads(rulelint("rules", "--format", "json").out)
    assert [entry["id"] for entry in listed] == ids


def test_explain_prints_the_doc_page(rulelint):
    from rulelint.resources import docs_dir

    run = rulelint("explain", "broad-skip")
    assert run.code == 0
    assert run.out == (docs_dir() / "checks" / "broad-skip.md").read_text(encoding="utf-8")


def test_explain_unknown_id(rulelint):
    run = rulelint("explain", "broad-skp")
    assert run.code == 2
    assert run.err == "rulelint: error: unknown check id 'broad-skp'; did you mean broad-skip?\n"


def test_fetch_command_runs_the_fetcher(rulelint, monkeypatch):
    import rulelint.fetch as fetch

    calls = []
    monkeypatch.setattr(fetch, "main", lambda args: calls.append((args.zone, args.output)) or 0)
    run = rulelint("fetch", "--zone", "example.com", "--output", "bundle.json")
    assert run.code == 0
    assert calls == [(["example.com"], "bundle.json")]


def test_fetch_failure_during_check_keeps_the_fetchers_exit_code(rulelint, monkeypatch):
    import rulelint.fetch as fetch

    def refuse(args):
        raise SystemExit(2)

    monkeypatch.setattr(fetch, "fetch_bundle", refuse)
    assert rulelint("check", "--zone", "example.com").code == 2


def test_missing_fetch_entry_points_are_a_clear_error(rulelint, monkeypatch):
    import rulelint.fetch as fetch

    monkeypatch.delattr(fetch, "fetch_bundle", raising=False)
    run = rulelint("check", "--zone", "example.com")
    assert run.code == 2
    assert run.err == "rulelint: error: live fetching is not available in this build (rulelint.fetch.fetch_bundle is missing)\n"


def test_check_zone_analyses_the_fetched_bundle(rulelint, monkeypatch):
    import rulelint.fetch as fetch

    from .conftest import FIXTURES

    bundle = json.loads((FIXTURES / "mixed" / "zone.json").read_text())
    seen = []
    monkeypatch.setattr(fetch, "fetch_bundle", lambda args: seen.append(args.zone) or bundle, raising=False)
    run = rulelint("check", "--zone", "example.com", "--format", "json")
    assert seen == [["example.com"]]
    document = json.loads(run.out)
    assert run.code == 1
    assert "broad-skip" in {f["rule"] for f in document["findings"]}
    assert {f["location"]["file"].rsplit("/", 1)[-1] for f in document["findings"]} == {"cloudflare-example.com.json"}
