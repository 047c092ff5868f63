"""`rulelint check` on a fetched bundle reports the same findings as on the equivalent API JSON
files (the recorded response bodies, one file each)."""

from __future__ import annotations

import json

from rulelint.fetch.command import main

from .cf_server import load_routes
from .conftest import ACCOUNT_ID, FIREWALL_MANAGED_ENTRYPOINT, TOKEN, ZONE_FILES, ZONE_ID, base_argv, clean_env, fetch_args

Z = f"/zones/{ZONE_ID}"
#: The recorded responses the fetched bundle is made of (the zone lookup and listings aside).
SOURCES = [f"{Z}/rulesets/{FIREWALL_MANAGED_ENTRYPOINT}", f"{Z}/pagerules", f"{Z}/firewall/rules", f"{Z}/filters",
           f"{Z}/firewall/access_rules/rules", f"{Z}/firewall/lockdowns", f"{Z}/firewall/ua_rules", f"{Z}/settings",
           f"{Z}/bot_management", f"{Z}/dns_records", f"/accounts/{ACCOUNT_ID}/rulesets/e9b4f3e2a1c54d8b9f7e6d5c4b3a2918"]

def comparable(findings):
    """Everything a finding says but where it is (positions differ between the two inputs).
    Only the bundle can say what was unreadable, so those findings are left out."""
    return sorted(
        (
            f.check,
            f.severity,
            f.message,
            f.suggestion.expression if f.suggestion else None,
            json.dumps(f.suggestion.action_parameters, sort_keys=True) if f.suggestion else None,
            f.suggestion.note if f.suggestion else None,
            f.location.rule_id,
        )
        for f in findings
        if f.check != "unreadable-part"
    )

def test_check_on_bundle_matches_check_on_json_files(api, tmp_path):
    from rulelint.pipeline.engine import analyse

    out = tmp_path / "bundle.json"
    assert main(fetch_args(*base_argv(api, out)), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN)) == 0
    files = tmp_path / "api"
    files.mkdir()
    routes = load_routes(ZONE_FILES)
    for number, path in enumerate(SOURCES):
        (files / f"{number:02d}{path.replace('/', '_')}.json").write_text(routes[("GET", path)][1])
    from_bundle = analyse([str(out)])
    from_files = analyse([str(files)])
    assert from_bundle.usable and from_files.usable
    assert comparable(from_bundle.findings) == comparable(from_files.findings)
    # The recorded zone's exceptions all come after its execute rules (they skip nothing), so
    # what it shows is its invalid expressions.
    assert {f.check for f in from_bundle.findings} >= {"invalid-expression"}
    # A bundle read alone is checked zone by zone (its zones are let go once checked): the model
    # to compare is read_paths'.
    from rulelint.readers import read_paths

    bundle_zones = read_paths([str(out)]).configuration.zones
    assert sum(len(r.rules) for z in bundle_zones for r in z.rulesets if r.kind != "managed") == \
        sum(len(r.rules) for z in from_files.configuration.zones for r in z.rulesets if r.kind != "managed")
    assert from_bundle.rule_count == from_files.rule_count

def test_unreadable_parts_reach_the_model(api, tmp_path):
    from rulelint.readers import read_paths

    api.fault(f"{Z}/rulesets/{FIREWALL_MANAGED_ENTRYPOINT}", status=403, times=50)
    out = tmp_path / "bundle.json"
    assert main(fetch_args(*base_argv(api, out)), environ=clean_env(CLOUDFLARE_API_TOKEN=TOKEN)) == 1
    [zone] = [z for z in read_paths([str(out)]).configuration.zones if z.account_scope is None]
    assert ("rulesets:http_request_firewall_managed", 403, "not readable: needs permission Zone WAF Read") in \
        [(u.what, u.status, u.error) for u in zone.unreadable]
    assert json.loads(out.read_text())["account"]["id"] == ACCOUNT_ID

def test_check_zone_fetches_and_checks_in_one_go(api, tmp_path):
    """`rulelint check --zone example.com` over real HTTP: findings, and no token anywhere."""
    import subprocess
    import sys
    from .conftest import REPO

    env = clean_env(CLOUDFLARE_API_TOKEN=TOKEN, CLOUDFLARE_ACCOUNT_ID=ACCOUNT_ID)
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-m", "rulelint", "check", "--zone", "example.com", "--api-url", api.base_url],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert "error invalid-expression unknown field ip.addr" in done.stdout, done.stderr
    assert done.returncode == 1, done.stderr
    assert TOKEN not in done.stdout + done.stderr
    # Findings point at the bundle rulelint keeps, and it says where that is.
    kept = tmp_path / ".rulelint_cache" / "cloudflare-example.com.json"
    assert kept.is_file() and TOKEN not in kept.read_text()
    assert "saved the fetched configuration in .rulelint_cache/cloudflare-example.com.json" in done.stderr
    assert ".rulelint_cache/cloudflare-example.com.json:" in done.stdout


def test_check_zone_saves_the_bundle_where_asked(api, tmp_path):
    import subprocess
    import sys
    from .conftest import REPO

    env = clean_env(CLOUDFLARE_API_TOKEN=TOKEN, CLOUDFLARE_ACCOUNT_ID=ACCOUNT_ID)
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-m", "rulelint", "check", "--zone", "example.com", "--api-url", api.base_url,
                           "--save-bundle", "zone.json", "--format", "json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    files = {f["location"]["file"] for f in json.loads(done.stdout)["findings"]}
    assert files == {"zone.json"}
    assert (tmp_path / "zone.json").is_file()
