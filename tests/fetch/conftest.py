"""Shared pieces of the fetch tests: the recorded zone, the local API stub, ways to run fetch."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .cf_server import CloudflareStub

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
TOKEN = "RLTEST-SECRET-TOKEN-7f3a9c1e55d04b2a"
ZONE_ID = "0da42c8d2132a9ddaf714f9e7c920711"
ACCOUNT_ID = "f037e56e89293a057740de681ac9abbe"
FIREWALL_MANAGED_ENTRYPOINT = "4c971a697dd249939460f4520dcd7184"

#: One zone assembled from recordings of the same zone id; later files win for the same path
#: (the firewall_managed file's ruleset list replaces the zone file's).
ZONE_FILES = [
    "v4/cloudflare_record.yaml",
    "v5/cloudflare_dns_record.yaml",
    "v4/cloudflare_ruleset_zone.yaml",
    "v4/cloudflare_ruleset_zone_http_request_firewall_managed.yaml",
    "v4/cloudflare_page_rule.yaml",
    "v4/cloudflare_firewall_rule.yaml",
    "v4/cloudflare_filter.yaml",
    "v4/cloudflare_access_rule_zone.yaml",
    "v4/cloudflare_access_rule_account.yaml",
    "v4/cloudflare_zone_lockdown.yaml",
    "v4/cloudflare_user_agent_blocking_rule.yaml",
    "v4/cloudflare_zone_settings_override.yaml",
    "v4/cloudflare_bot_management.yaml",
    "v5/cloudflare_ruleset_empty_rules_to_rulesets.yaml",
]


@pytest.fixture
def api():
    """The recorded zone behind a real socket; lists split into pages of 3 and cursors of 2."""
    with CloudflareStub(ZONE_FILES, token=TOKEN, page_size=3, cursor_size=2) as stub:
        yield stub


def fetch_args(*argv: str) -> argparse.Namespace:
    from rulelint.fetch import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def base_argv(api: CloudflareStub, output: Path | str, *extra: str) -> list[str]:
    return ["--zone", "example.com", "--api-url", api.base_url, "--account", ACCOUNT_ID,
            "-o", str(output), "--timeout", "5", *extra]


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    env.pop("CI", None)
    env.update(values)
    return env


def run_module(argv: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m rulelint.fetch …` in a child process (the same code `rulelint fetch` calls)."""
    return subprocess.run([PYTHON, "-m", "rulelint.fetch", *argv], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)
