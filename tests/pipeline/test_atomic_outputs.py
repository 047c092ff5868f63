"""Reports and baselines are written atomically — and only regular files are ever replaced."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from rulelint.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = str(ROOT / "fixtures" / "demo" / "export.json")


def test_a_failed_run_leaves_the_previous_report(tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    out.write_text("previous report\n")
    import rulelint.reports as reports

    def broken(*_args, **_kwargs):  # fails after the first pieces are written
        yield '{\n  "version": 1,'
        raise RuntimeError("renderer fault")

    monkeypatch.setattr(reports, "render_pieces", broken)
    with pytest.raises(RuntimeError):
        main(["check", DEMO, "--format", "json", "-o", str(out), "--no-cache"])
    assert out.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_a_named_pipe_stays_a_pipe(tmp_path):
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    code = main(["check", DEMO, "--format", "json", "-o", str(fifo), "--no-cache"])
    reader.join(10)
    assert code == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["findings"]


def test_a_symbolic_link_is_followed_not_replaced(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    main(["check", DEMO, "--format", "json", "-o", str(link), "--no-cache"])
    assert link.is_symlink() and json.loads(target.read_text())["findings"]


def test_the_baseline_is_written_atomically(tmp_path, monkeypatch):
    baseline = tmp_path / "baseline.json"
    baseline.write_text("previous baseline\n")
    import rulelint.pipeline.baseline as module

    monkeypatch.setattr(module.json, "dumps", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("fault")))
    with pytest.raises(RuntimeError):
        main(["check", DEMO, "--write-baseline", str(baseline), "--no-cache"])
    assert baseline.read_text() == "previous baseline\n"
