"""The API token never appears in stdout, stderr, logs, the bundle or any file fetch writes —
on success, under faults, on auth failures, with --verbose, with a bad token file, on exceptions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulelint.fetch import collect
from rulelint.fetch.auth import Credentials
from rulelint.fetch.command import main

from .cf_server import CloudflareStub
from .conftest import (FIREWALL_MANAGED_ENTRYPOINT, REPO, TOKEN, ZONE_FILES, ZONE_ID, base_argv, clean_env,
                       fetch_args, run_module)

Z = f"/zones/{ZONE_ID}"


def scan(folder: Path, *texts: str, secret: str = TOKEN) -> None:
    for text in texts:
        assert secret not in text
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "token":
            assert secret.encode() not in path.read_bytes(), path


def faulty(api: CloudflareStub) -> None:
    api.fault(f"{Z}/pagerules", status=429, headers={"Retry-After": "0"})
    api.fault(f"{Z}/firewall/rules", status=500)
    api.fault(f"{Z}/filters", kind="truncate")
    api.fault(f"{Z}/rulesets/{FIREWALL_MANAGED_ENTRYPOINT}", status=403, times=50)
    api.fault(f"{Z}/bot_management", status=502, times=50)


SCENARIOS = ["success", "faults", "verbose-faults", "zone-401", "zone-403", "token-file", "token-file-invalid",
             "token-file-two-lines", "stdout", "unreachable"]


def prepare(name: str, api: CloudflareStub, tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    out = tmp_path / "bundle.json"
    env = clean_env(CLOUDFLARE_API_TOKEN=TOKEN)
    argv = base_argv(api, out)
    if name in ("faults", "verbose-faults"):
        faulty(api)
        if name == "verbose-faults":
            argv.append("--verbose")
    elif name == "zone-401":
        api.token = "RLTEST-SOMETHING-ELSE"
        argv.append("-v")
    elif name == "zone-403":
        api.fault("/zones", status=403, times=50)
        argv.append("-v")
    elif name.startswith("token-file"):
        token_file = tmp_path / "token"
        token_file.write_text({"token-file": TOKEN + "\n", "token-file-invalid": f"{TOKEN} trailing words\n",
                               "token-file-two-lines": f"{TOKEN}\n{TOKEN}\n"}[name])
        env = clean_env()
        argv += ["--token-file", str(token_file), "--verbose"]
    elif name == "stdout":
        argv = ["--zone", "example.com", "--api-url", api.base_url, "--verbose"]
    elif name == "unreachable":
        argv = ["--zone", "example.com", "--api-url", "http://127.0.0.1:9/client/v4", "-o", str(out), "-v",
                "--timeout", "0.5"]
    return argv, env


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_token_in_main(name, tmp_path, capsys):
    with CloudflareStub(ZONE_FILES, token=TOKEN, page_size=3) as api:
        argv, env = prepare(name, api, tmp_path)
        main(fetch_args(*argv), environ=env, sleep=lambda s: None)
    captured = capsys.readouterr()
    scan(tmp_path, captured.out, captured.err)
    assert captured.err  # something was said


@pytest.mark.parametrize("name", ["success", "verbose-faults", "zone-401", "token-file-invalid", "stdout"])
def test_no_token_in_the_cli(name, tmp_path):
    with CloudflareStub(ZONE_FILES, token=TOKEN, page_size=3) as api:
        argv, env = prepare(name, api, tmp_path)
        if name == "verbose-faults":  # real sleeps in the child: keep the retries short
            api.faults = [f for f in api.faults if f.kind != "status" or f.status == 403]
        done = run_module(argv, env)
    scan(tmp_path, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr


def test_cli_exit_codes_for_token_cases(tmp_path):
    with CloudflareStub(ZONE_FILES, token=TOKEN) as api:
        for name, code in [("token-file-invalid", 2), ("zone-401", 2), ("success", 0)]:
            argv, env = prepare(name, api, tmp_path)
            api.token = "RLTEST-SOMETHING-ELSE" if name == "zone-401" else TOKEN
            done = run_module(argv, env)
            assert done.returncode == code, (name, done.stderr)
            if name == "token-file-invalid":
                assert "does not hold a valid value (expected one line without spaces)" in done.stderr


def test_exception_messages_are_redacted(tmp_path, capsys, monkeypatch):
    """An unexpected exception that happens to quote the token is shown redacted, no traceback."""

    def explode(self, section):
        raise RuntimeError(f"boom with Authorization: Bearer {TOKEN}")

    monkeypatch.setattr(collect.ZoneReader, "read_section", explode)
    with CloudflareStub(ZONE_FILES, token=TOKEN) as api:
        out = tmp_path / "bundle.json"
        code = main(fetch_args(*base_argv(api, out, "--verbose")), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN))
    captured = capsys.readouterr()
    assert code == 2
    assert "internal error: RuntimeError: boom with Authorization: Bearer <redacted>" in captured.err
    assert "Traceback" not in captured.err
    scan(tmp_path, captured.out, captured.err)


def test_credentials_and_client_repr_are_redacted():
    from rulelint.fetch.client import CloudflareClient

    credentials = Credentials(token=TOKEN, source="CLOUDFLARE_API_TOKEN")
    assert TOKEN not in repr(credentials) and TOKEN not in str(credentials)
    assert TOKEN not in repr(Credentials(api_key=TOKEN, email="a@b.c"))
    with CloudflareClient(credentials, "http://127.0.0.1:9/client/v4") as client:
        assert TOKEN not in repr(client)
        assert TOKEN not in repr(vars(client).get("_http"))


def test_verbose_log_names_requests_without_credentials(tmp_path, capsys):
    with CloudflareStub(ZONE_FILES, token=TOKEN) as api:
        main(fetch_args(*base_argv(api, tmp_path / "b.json", "--verbose")), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN))
    err = capsys.readouterr().err
    assert f"rulelint fetch: GET {Z}/bot_management -> 200" in err
    assert "credentials from CLOUDFLARE_API_TOKEN" in err
    assert "Bearer" not in err and TOKEN not in err


def test_no_token_via_the_rulelint_command(tmp_path):
    """`rulelint fetch` behaves like `python -m rulelint.fetch`: the token appears nowhere."""
    import subprocess
    with CloudflareStub(ZONE_FILES, token=TOKEN) as api:
        argv, env = prepare("verbose-faults", api, tmp_path)
        api.faults = [f for f in api.faults if f.kind != "status" or f.status == 403]
        done = subprocess.run([os.sys.executable, "-m", "rulelint", "fetch", *argv], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    scan(tmp_path, done.stdout, done.stderr)
