"""An interrupted or failed fetch never truncates or half-writes an existing export."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from rulelint.fetch import bundle as bundle_module
from rulelint.fetch.command import main

from .conftest import PYTHON, REPO, TOKEN, ZONE_ID, base_argv, clean_env, fetch_args

OLD = '{"bundle_format": "rulelint.zone-bundle/1", "old": true}\n'
ENV = clean_env(CLOUDFLARE_API_TOKEN=TOKEN)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "bundle.json")


def test_failed_fetch_leaves_the_existing_export(api, tmp_path):
    out = tmp_path / "bundle.json"
    out.write_text(OLD)
    api.fault("/zones", status=401, times=50)
    assert main(fetch_args(*base_argv(api, out)), environ=ENV) == 2
    assert out.read_text() == OLD
    assert leftovers(tmp_path) == []


def test_failed_write_leaves_the_existing_export(api, tmp_path, monkeypatch, capsys):
    out = tmp_path / "bundle.json"
    out.write_text(OLD)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle_module.os, "fsync", broken_fsync)
    assert main(fetch_args(*base_argv(api, out)), environ=ENV) == 2
    assert out.read_text() == OLD
    assert leftovers(tmp_path) == []
    assert f"cannot write {out}: No space left on device; the previous file is unchanged" in capsys.readouterr().err


def test_successful_fetch_replaces_the_export_and_keeps_its_mode(api, tmp_path):
    out = tmp_path / "bundle.json"
    out.write_text(OLD)
    os.chmod(out, 0o640)
    assert main(fetch_args(*base_argv(api, out)), environ=ENV) == 0
    assert json.loads(out.read_text())["zones"][0]["zone"]["id"] == ZONE_ID
    assert os.stat(out).st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, -signal.SIGTERM)])
def test_interrupted_fetch_leaves_the_existing_export(api, tmp_path, signum, code):
    out = tmp_path / "bundle.json"
    out.write_text(OLD)
    api.fault(f"/zones/{ZONE_ID}/bot_management", kind="slow", delay=6)
    child = subprocess.Popen([PYTHON, "-m", "rulelint.fetch", *base_argv(api, out, "--timeout", "30")],
                             cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not api.requests_to(f"/zones/{ZONE_ID}/bot_management") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert api.requests_to(f"/zones/{ZONE_ID}/bot_management"), "the fetch never reached the slow endpoint"
        child.send_signal(signum)
        _, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == code
    if signum == signal.SIGINT:
        assert f"interrupted; {out} left unchanged" in err
        assert "Traceback" not in err
    assert out.read_text() == OLD
    assert leftovers(tmp_path) == []
