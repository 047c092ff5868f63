"""Issue 19, item 9: --timeout bounds a whole request (connect + every byte of the answer), so a
server that trickles its answer one byte at a time cannot keep a fetch running."""

from __future__ import annotations

import json
import time

import pytest

from rulelint.fetch.auth import Credentials
from rulelint.fetch.client import CloudflareClient
from rulelint.fetch.command import main
from rulelint.fetch.deadline import DeadlineBackend

from .conftest import TOKEN, ZONE_ID, base_argv, clean_env, fetch_args

Z = f"/zones/{ZONE_ID}"
TIMEOUT = 1.0
ATTEMPTS = 5


@pytest.mark.parametrize("part, path", [("bot_management", f"{Z}/bot_management"), ("page_rules", f"{Z}/pagerules")])
def test_a_trickling_answer_is_cut_at_the_timeout(api, tmp_path, capsys, part, path):
    api.fault(path, kind="trickle", delay=0.1, times=ATTEMPTS, limit=20)
    out = tmp_path / "bundle.json"
    started = time.monotonic()
    code = main(fetch_args(*base_argv(api, out, "--timeout", str(TIMEOUT))), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN),
                sleep=lambda s: None)
    elapsed = time.monotonic() - started
    # Five attempts of at most --timeout each, plus the rest of the zone: well under the 20 s
    # the server would trickle for (and under 2 s per attempt, which per-read timeouts give).
    assert elapsed < ATTEMPTS * TIMEOUT + 3, elapsed
    assert code == 1
    error = f"timed out (no complete answer within {TIMEOUT:g}s) after {ATTEMPTS} attempts"
    assert {"what": part, "status": None, "error": error} in json.loads(out.read_text())["zones"][0]["unreadable"]
    assert f"warning: example.com: {part}: {error}" in capsys.readouterr().err


def test_one_trickled_attempt_then_success(api, tmp_path):
    api.fault(f"{Z}/bot_management", kind="trickle", delay=0.1, limit=20)
    out = tmp_path / "bundle.json"
    code = main(fetch_args(*base_argv(api, out, "--timeout", str(TIMEOUT))), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN),
                sleep=lambda s: None)
    assert code == 0
    assert len(api.requests_to(f"{Z}/bot_management")) == 2


def test_a_slow_but_complete_trickle_within_the_timeout_is_read(api, tmp_path):
    """The deadline is not a per-byte limit: a short answer trickled within --timeout is kept."""
    api.fault(f"{Z}/bot_management", kind="trickle", delay=0.003, limit=20)  # ~600 bytes: about 2 s
    out = tmp_path / "bundle.json"
    code = main(fetch_args(*base_argv(api, out, "--timeout", "6")), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN),
                sleep=lambda s: None)
    assert code == 0, json.loads(out.read_text())["zones"][0]["unreadable"]
    assert len(api.requests_to(f"{Z}/bot_management")) == 1


def test_every_pool_of_the_client_is_bound_by_the_deadline():
    """The deadline reaches httpx through private attributes: this fails if they move."""
    with CloudflareClient(Credentials(token="RLTEST-UNIT"), "http://127.0.0.1:9/client/v4") as client:
        pool = client._http._transport._pool
        assert isinstance(pool._network_backend, DeadlineBackend)


def test_a_proxy_from_the_environment_is_bound_too(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with CloudflareClient(Credentials(token="RLTEST-UNIT"), "https://api.cloudflare.com/client/v4") as client:
        mounts = list(client._http._mounts.values())
        assert mounts
        assert all(isinstance(m._pool._network_backend, DeadlineBackend) for m in mounts)
