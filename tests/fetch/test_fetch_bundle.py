"""`rulelint fetch` over real HTTP against the recorded zone: the bundle holds what the API said."""

from __future__ import annotations

import json

from rulelint.fetch.command import main

from .cf_server import recorded_result
from .conftest import (ACCOUNT_ID, FIREWALL_MANAGED_ENTRYPOINT, TOKEN, ZONE_FILES, ZONE_ID, base_argv,
                       clean_env, fetch_args, run_module)

Z = f"/zones/{ZONE_ID}"


def rec(path: str):
    return recorded_result(ZONE_FILES, path)


def test_bundle_holds_exactly_the_recorded_zone(api, tmp_path, capsys):
    out = tmp_path / "bundle.json"
    code = main(fetch_args(*base_argv(api, out)), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN))
    assert code == 0
    bundle = json.loads(out.read_text())
    assert bundle["bundle_format"] == "rulelint.zone-bundle/1"
    assert bundle["generator"]["name"] == "rulelint"
    assert bundle["generated_at"].endswith("Z")
    assert list(bundle) == ["bundle_format", "generated_at", "generator", "account", "zones"]
    account = bundle["account"]
    assert account["id"] == ACCOUNT_ID
    assert account["rulesets"] == [rec(f"/accounts/{ACCOUNT_ID}/rulesets/e9b4f3e2a1c54d8b9f7e6d5c4b3a2918")]
    assert account["access_rules"] == rec(f"/accounts/{ACCOUNT_ID}/firewall/access_rules/rules")
    [zone] = bundle["zones"]
    assert zone["zone"] == {"id": ZONE_ID, "name": "example.com", "plan": "free", "status": "active"}
    listing = rec(f"{Z}/rulesets")
    assert zone["rulesets"] == {
        "entrypoints": {"http_request_firewall_managed": rec(f"{Z}/rulesets/{FIREWALL_MANAGED_ENTRYPOINT}")},
        "custom": [],
        "managed_index": [r for r in listing if r["kind"] == "managed"],
    }
    for key, path in [("page_rules", "/pagerules"), ("firewall_rules", "/firewall/rules"),
                      ("filters", "/filters"), ("access_rules", "/firewall/access_rules/rules"),
                      ("lockdowns", "/firewall/lockdowns"), ("ua_rules", "/firewall/ua_rules"),
                      ("bot_management", "/bot_management"), ("dns_records", "/dns_records")]:
        assert zone[key] == rec(Z + path), key
    settings = rec(f"{Z}/settings")
    assert zone["settings"] == {s["id"]: s for s in settings}
    assert zone["settings"]["security_level"]["value"] == next(s["value"] for s in settings if s["id"] == "security_level")
    # phases the list does not show are asked for, and recorded as absent (not as empty)
    assert zone["unreadable"] == [
        {"what": f"rulesets:{phase}", "status": 404, "error": "absent"}
        for phase in ("http_ratelimit", "http_request_firewall_custom", "http_request_sbfm")
    ]
    assert capsys.readouterr().err.strip() == f"rulelint fetch: wrote {out}: 1 zone(s), 21 request(s)"


def test_pagination_follows_pages_and_cursors(api, tmp_path):
    out = tmp_path / "bundle.json"
    assert main(fetch_args(*base_argv(api, out)), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN)) == 0
    assert [q for _, _, q in api.requests_to(f"{Z}/dns_records")] == ["page=1&per_page=100", "page=2&per_page=100"]
    assert [q for _, _, q in api.requests_to(f"{Z}/rulesets")] == ["", "cursor=2", "cursor=4"]
    zone = json.loads(out.read_text())["zones"][0]
    assert len(zone["dns_records"]) == 4  # 3 on page 1, 1 on page 2
    assert len(zone["rulesets"]["managed_index"]) == 5


def test_zone_by_id_and_bundle_on_stdout(api, tmp_path, capsys):
    argv = ["--zone", ZONE_ID, "--api-url", api.base_url, "--account", ACCOUNT_ID]
    assert main(fetch_args(*argv), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN)) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["zones"][0]["zone"]["name"] == "example.com"
    assert api.requests_to(f"/zones/{ZONE_ID}")
    assert not api.requests_to("/zones")


def test_all_zones_lists_the_zones(api, tmp_path):
    out = tmp_path / "b.json"
    argv = ["--all-zones", "--api-url", api.base_url, "-o", str(out)]
    assert main(fetch_args(*argv), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN)) == 0
    assert [z["zone"]["id"] for z in json.loads(out.read_text())["zones"]] == [ZONE_ID]


def test_base_url_and_account_from_environment(api, tmp_path):
    out = tmp_path / "b.json"
    env = clean_env(CLOUDFLARE_API_TOKEN=TOKEN, CLOUDFLARE_BASE_URL=api.base_url, CLOUDFLARE_ACCOUNT_ID=ACCOUNT_ID)
    assert main(fetch_args("--zone", "example.com", "-o", str(out)), environ=env) == 0
    assert json.loads(out.read_text())["account"]["id"] == ACCOUNT_ID


def test_legacy_api_key_and_email(tmp_path, capsys):
    from .cf_server import CloudflareStub

    with CloudflareStub(ZONE_FILES, api_key="RLTEST-LEGACY-KEY", email="ops@example.com") as api:
        out = tmp_path / "b.json"
        env = clean_env(CLOUDFLARE_API_KEY="RLTEST-LEGACY-KEY", CLOUDFLARE_EMAIL="ops@example.com")
        assert main(fetch_args(*base_argv(api, out)), environ=env) == 0
    assert "legacy Global API Key" in capsys.readouterr().err
    assert json.loads(out.read_text())["zones"][0]["page_rules"] == rec(f"{Z}/pagerules")


def test_token_file(api, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    out = tmp_path / "b.json"
    assert main(fetch_args(*base_argv(api, out, "--token-file", str(token_file))), environ=clean_env()) == 0


def test_cli_subprocess_writes_the_same_bundle(api, tmp_path):
    out = tmp_path / "bundle.json"
    done = run_module(base_argv(api, out), clean_env(CLOUDFLARE_API_TOKEN=TOKEN))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    zone = json.loads(out.read_text())["zones"][0]
    assert zone["firewall_rules"] == rec(f"{Z}/firewall/rules")


def test_usage_errors_exit_2(api, tmp_path, capsys):
    env = clean_env(CLOUDFLARE_API_TOKEN=TOKEN)
    assert main(fetch_args("--api-url", api.base_url), environ=env) == 2
    assert "--zone NAME_OR_ID" in capsys.readouterr().err
    assert main(fetch_args("--zone", "example.com", "--api-url", api.base_url), environ=clean_env()) == 2
    assert "no Cloudflare credentials: set CLOUDFLARE_API_TOKEN" in capsys.readouterr().err
    assert main(fetch_args("--zone", "nope.example", "--api-url", api.base_url), environ=env) == 2
    assert "zone nope.example: not found, or not visible to this token" in capsys.readouterr().err
    assert main(fetch_args("--zone", "example.com", "--api-url", "ftp://x"), environ=env) == 2
    assert "must start with https://" in capsys.readouterr().err


def test_wrong_token_on_zone_lookup_is_an_auth_error(api, tmp_path, capsys):
    out = tmp_path / "b.json"
    assert main(fetch_args(*base_argv(api, out)), environ=clean_env(CLOUDFLARE_API_TOKEN="RLTEST-WRONG")) == 2
    err = capsys.readouterr().err
    assert "zone example.com: the API refused the credentials (HTTP 401); the token needs the permission Zone Read" in err
    assert not out.exists()


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, rulelint.fetch; print(sorted(m for m in ('httpx','rich','pydantic') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
