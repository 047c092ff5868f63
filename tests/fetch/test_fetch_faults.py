"""Injected faults on the local API: retries are bounded, waits honour Retry-After, and what
cannot be read is recorded as not readable — never as empty."""

from __future__ import annotations

import json

from rulelint.fetch.command import main

from .cf_server import recorded_result
from .conftest import FIREWALL_MANAGED_ENTRYPOINT, TOKEN, ZONE_FILES, ZONE_ID, base_argv, clean_env, fetch_args, run_module

Z = f"/zones/{ZONE_ID}"
ENV = clean_env(CLOUDFLARE_API_TOKEN=TOKEN)


def run(api, tmp_path, *extra):
    sleeps: list[float] = []
    out = tmp_path / "bundle.json"
    code = main(fetch_args(*base_argv(api, out, *extra)), environ=ENV, sleep=sleeps.append)
    bundle = json.loads(out.read_text()) if out.exists() else None
    return code, bundle, sleeps


def test_429_honours_retry_after(api, tmp_path):
    api.fault(f"{Z}/pagerules", status=429, headers={"Retry-After": "7"})
    code, bundle, sleeps = run(api, tmp_path)
    assert code == 0
    assert sleeps == [7.0]
    assert len(api.requests_to(f"{Z}/pagerules")) == 2
    assert bundle["zones"][0]["page_rules"] == recorded_result(ZONE_FILES, f"{Z}/pagerules")


def test_429_without_retry_after_backs_off_exponentially_with_jitter(api, tmp_path):
    api.fault(f"{Z}/pagerules", status=429, times=3)
    code, bundle, sleeps = run(api, tmp_path)
    assert code == 0
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        assert 0.25 * 2**attempt <= delay <= 0.5 * 2**attempt


def test_429_retries_are_bounded_and_recorded(api, tmp_path, capsys):
    api.fault(f"{Z}/pagerules", status=429, times=50)
    code, bundle, sleeps = run(api, tmp_path)
    assert code == 1
    assert len(api.requests_to(f"{Z}/pagerules")) == 5
    zone = bundle["zones"][0]
    assert zone["page_rules"] == []
    assert {"what": "page_rules", "status": 429, "error": "rate limited by Cloudflare after 5 attempts"} in zone["unreadable"]
    assert "warning: example.com: page_rules: rate limited by Cloudflare after 5 attempts" in capsys.readouterr().err


def test_a_retry_after_beyond_the_bound_fails_the_read_instead_of_sleeping(api, tmp_path):
    api.fault(f"{Z}/pagerules", status=429, headers={"Retry-After": "300"})
    code, bundle, sleeps = run(api, tmp_path)
    assert code == 1 and sleeps == []
    assert {"what": "page_rules", "status": 429,
            "error": "rate limited by Cloudflare; it asks to wait 300s"} in bundle["zones"][0]["unreadable"]


def test_500_then_success(api, tmp_path):
    api.fault(f"{Z}/firewall/rules", status=500)
    code, bundle, sleeps = run(api, tmp_path)
    assert code == 0 and len(sleeps) == 1
    assert bundle["zones"][0]["firewall_rules"] == recorded_result(ZONE_FILES, f"{Z}/firewall/rules")


def test_persistent_5xx_is_bounded(api, tmp_path):
    api.fault(f"{Z}/bot_management", status=503, times=50)
    code, bundle, _ = run(api, tmp_path)
    assert code == 1
    assert len(api.requests_to(f"{Z}/bot_management")) == 5
    zone = bundle["zones"][0]
    assert zone["bot_management"] is None
    assert {"what": "bot_management", "status": 503, "error": "HTTP 503 after 5 attempts"} in zone["unreadable"]


def test_a_response_slower_than_the_timeout_is_retried(api, tmp_path):
    api.fault(f"{Z}/bot_management", kind="slow", delay=1.5)
    code, bundle, sleeps = run(api, tmp_path, "--timeout", "0.4")
    assert code == 0 and len(sleeps) == 1
    assert bundle["zones"][0]["bot_management"] == recorded_result(ZONE_FILES, f"{Z}/bot_management")


def test_truncated_json_is_read_again(api, tmp_path):
    api.fault(f"{Z}/filters", kind="truncate")
    code, bundle, _ = run(api, tmp_path)
    assert code == 0
    assert len(api.requests_to(f"{Z}/filters")) == 2
    assert bundle["zones"][0]["filters"] == recorded_result(ZONE_FILES, f"{Z}/filters")


def test_always_truncated_json_becomes_unreadable(api, tmp_path):
    api.fault(f"{Z}/filters", kind="truncate", times=50)
    code, bundle, _ = run(api, tmp_path)
    assert code == 1
    assert {"what": "filters", "status": 200, "error": "response is not a JSON object after 5 attempts"} \
        in bundle["zones"][0]["unreadable"]


def test_a_dropped_connection_is_retried(api, tmp_path):
    api.fault(f"{Z}/firewall/lockdowns", kind="drop")
    code, bundle, _ = run(api, tmp_path)
    assert code == 0
    assert bundle["zones"][0]["lockdowns"] == recorded_result(ZONE_FILES, f"{Z}/firewall/lockdowns")


def test_403_on_one_phase_is_recorded_with_the_permission(api, tmp_path, capsys):
    api.fault(f"{Z}/rulesets/{FIREWALL_MANAGED_ENTRYPOINT}", status=403, times=50)
    api.fault(f"{Z}/rulesets/phases/http_request_sbfm/entrypoint", status=403, times=50)
    code, bundle, sleeps = run(api, tmp_path)
    assert code == 1 and sleeps == []  # a 403 is not retried
    zone = bundle["zones"][0]
    assert "http_request_firewall_managed" not in zone["rulesets"]["entrypoints"]
    assert zone["unreadable"] == [
        {"what": "rulesets:http_ratelimit", "status": 404, "error": "absent"},
        {"what": "rulesets:http_request_firewall_custom", "status": 404, "error": "absent"},
        {"what": "rulesets:http_request_firewall_managed", "status": 403,
         "error": "not readable: needs permission Zone WAF Read"},
        {"what": "rulesets:http_request_sbfm", "status": 403, "error": "not readable: needs permission Bot Management Read"},
    ]
    err = capsys.readouterr().err
    assert "warning: example.com: rulesets:http_request_firewall_managed: not readable: needs permission Zone WAF Read" in err
    assert "2 part(s) not readable" in err


def test_403_on_account_rulesets(api, tmp_path):
    from .conftest import ACCOUNT_ID

    api.fault(f"/accounts/{ACCOUNT_ID}/rulesets", status=403, times=50)
    code, bundle, _ = run(api, tmp_path)
    assert code == 1
    assert bundle["account"]["rulesets"] == []
    assert {"what": "account:rulesets", "status": 403, "error": "not readable: needs permission Account Rulesets Read"} \
        in bundle["zones"][0]["unreadable"]


def test_403_on_legacy_section(api, tmp_path):
    api.fault(f"{Z}/firewall/rules", status=403, times=50)
    code, bundle, _ = run(api, tmp_path)
    assert code == 1
    assert {"what": "firewall_rules", "status": 403, "error": "not readable: needs permission Firewall Services Read"} \
        in bundle["zones"][0]["unreadable"]


def test_403_on_zone_lookup_is_an_auth_error(api, tmp_path, capsys):
    api.fault("/zones", status=403, times=50)
    code, bundle, _ = run(api, tmp_path)
    assert code == 2 and bundle is None
    assert ("error: zone example.com: the API refused the credentials (HTTP 403); "
            "the token needs the permission Zone Read") in capsys.readouterr().err


def test_unreachable_api_is_an_error(tmp_path, capsys):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "b.json"
    argv = ["--zone", "example.com", "--api-url", f"http://127.0.0.1:{port}/client/v4", "-o", str(out)]
    code = main(fetch_args(*argv), environ=ENV, sleep=lambda s: None)
    assert code == 2 and not out.exists()
    assert "zone example.com: connection failed (ConnectError) after 5 attempts" in capsys.readouterr().err


def test_real_sleep_for_retry_after_in_the_cli(api, tmp_path):
    """The child process really waits for Retry-After (1 s) and then gets the page rules."""
    api.fault(f"{Z}/pagerules", status=429, headers={"Retry-After": "1"})
    out = tmp_path / "bundle.json"
    done = run_module(base_argv(api, out), ENV)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["zones"][0]["page_rules"] == recorded_result(ZONE_FILES, f"{Z}/pagerules")
