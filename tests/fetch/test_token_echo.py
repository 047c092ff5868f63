"""Issue 19, item 1: an API that echoes the credentials in its answer. The token (and anything
shaped like one) must appear nowhere: stdout, stderr, the bundle, the `check --zone` report."""

from __future__ import annotations

import json

import pytest

from rulelint.cli import main as cli_main
from rulelint.fetch.command import main

from .cf_server import CloudflareStub
from .conftest import ACCOUNT_ID, ZONE_FILES, ZONE_ID, base_argv, clean_env, fetch_args

Z = f"/zones/{ZONE_ID}"
#: Shaped like a Cloudflare API token (40 characters, mixed case, digits), not the one in use.
OTHER_TOKEN = "YQSn4xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T"
#: The token in use is token-shaped too, so the shape rule alone could not hide it.
TOKEN = "Rl7estSecretT0kenXyZ-abcdefghijklmnopq_9"
KEY = "0123456789abcdef0123456789abcdef01234"  # a Global API Key: 37 hex digits
EMAIL = "someone@example.com"


def failure(message: str) -> dict:
    return {"success": False, "result": None, "messages": [], "errors": [{"code": 6003, "message": message}]}


#: name → (fault path, fault arguments, credentials, text that must appear redacted in the bundle)
CASES = {
    "http-400": (f"{Z}/bot_management", dict(status=400, body=failure("Invalid request headers: "
                                                                       "Authorization: {authorization}"))),
    "success-false": (f"{Z}/bot_management", dict(status=200, body=failure("rejected header {authorization}"))),
    "bare-token": (f"{Z}/bot_management", dict(status=400, body=failure("token {authorization} is invalid"))),
    "in-messages": (f"{Z}/bot_management", dict(status=200, body={
        "success": True, "errors": [], "messages": [{"code": 1, "message": "{authorization}"}],
        "result": {"fight_mode": True, "note": "request had {authorization}"}})),
    "token-shape": (f"{Z}/bot_management", dict(status=400, body=failure(f"also seen: {OTHER_TOKEN}"))),
    "x-auth-key": (f"{Z}/bot_management", dict(status=403, body=failure("X-Auth-Key: {x-auth-key} not allowed"))),
}


def stub(name: str) -> CloudflareStub:
    if name == "x-auth-key":
        return CloudflareStub(ZONE_FILES, api_key=KEY, email=EMAIL)
    return CloudflareStub(ZONE_FILES, token=TOKEN)


def environment(name: str) -> dict[str, str]:
    if name == "x-auth-key":
        return clean_env(CLOUDFLARE_API_KEY=KEY, CLOUDFLARE_EMAIL=EMAIL)
    return clean_env(CLOUDFLARE_API_TOKEN=TOKEN)


def secrets_of(name: str) -> list[str]:
    return {"x-auth-key": [KEY], "token-shape": [TOKEN, OTHER_TOKEN]}.get(name, [TOKEN])


def assert_nowhere(secrets: list[str], *texts: str) -> None:
    for secret in secrets:
        for text in texts:
            assert secret not in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_echoed_credential_is_not_printed_nor_stored(name, tmp_path, capsys):
    path, fault = CASES[name]
    out = tmp_path / "bundle.json"
    with stub(name) as api:
        api.fault(path, kind="body", **fault)
        code = main(fetch_args(*base_argv(api, out, "--verbose")), environ=environment(name), sleep=lambda s: None)
    captured = capsys.readouterr()
    bundle = out.read_text()
    assert_nowhere(secrets_of(name), captured.out, captured.err, bundle)
    zone = json.loads(bundle)["zones"][0]
    if name == "in-messages":
        assert code == 0
        assert zone["bot_management"] == {"fight_mode": True, "note": "request had Bearer <redacted>"}
    else:
        assert code == 1
        [entry] = [u for u in zone["unreadable"] if u["what"] == "bot_management"]
        if name != "x-auth-key":  # a 403 is recorded with the permission it needs
            assert "<redacted>" in entry["error"]
            assert f"warning: example.com: bot_management: {entry['error']}" in captured.err


def test_the_exact_messages(tmp_path, capsys):
    path, fault = CASES["http-400"]
    out = tmp_path / "bundle.json"
    with stub("http-400") as api:
        api.fault(path, kind="body", **fault)
        main(fetch_args(*base_argv(api, out)), environ=environment("http-400"), sleep=lambda s: None)
    zone = json.loads(out.read_text())["zones"][0]
    assert {"what": "bot_management", "status": 400,
            "error": "HTTP 400: code 6003: Invalid request headers: Authorization: Bearer <redacted>"} \
        in zone["unreadable"]


def test_an_echo_on_the_zone_lookup(tmp_path, capsys):
    out = tmp_path / "bundle.json"
    with stub("http-400") as api:
        api.fault("/zones", kind="body", status=400, body=failure("bad header Authorization: {authorization}"))
        code = main(fetch_args(*base_argv(api, out)), environ=environment("http-400"), sleep=lambda s: None)
    captured = capsys.readouterr()
    assert code == 2 and not out.exists()
    assert_nowhere([TOKEN], captured.out, captured.err)
    assert ("error: zone example.com: HTTP 400: code 6003: bad header Authorization: Bearer <redacted>"
            in captured.err)


@pytest.mark.parametrize("report_format", ["text", "json", "sarif"])
@pytest.mark.parametrize("name", ["http-400", "success-false", "token-shape", "x-auth-key"])
def test_the_check_zone_report_holds_no_credential(name, report_format, tmp_path, capsys, monkeypatch):
    path, fault = CASES[name]
    for variable in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_ACCOUNT_ID",
                     "CLOUDFLARE_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment(name).items():
        if variable.startswith("CLOUDFLARE_"):
            monkeypatch.setenv(variable, value)
    monkeypatch.chdir(tmp_path)
    with stub(name) as api:
        api.fault(path, kind="body", **fault)
        code = cli_main(["check", "--zone", "example.com", "--api-url", api.base_url, "--account", ACCOUNT_ID,
                         "--format", report_format, "--no-cache"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert_nowhere(secrets_of(name), captured.out, captured.err)
    assert "unreadable-part" in captured.out
    if name != "x-auth-key":
        assert "<redacted>" in captured.out
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert_nowhere(secrets_of(name), file.read_text(errors="replace"))
