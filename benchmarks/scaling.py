"""How each check's time grows from a 10,000-rule zone to a 100,000-rule zone.

Every check must be linear or n·log n in the number of rules: ten times the rules may take at
most 12 times as long (the margin is for n·log n and noise). This script writes two zones as
Cloudflare API JSON (Bot Fight Mode on, an ``api.`` host, and custom, rate limiting and
managed-phase rules, many on distinct API paths: the input that made ``bot-fight-mode-api``
quadratic; and a Disable Security Page Rule and a Zone Lockdown per hundred rules), reads each once, parses every expression once, then times each check alone on it
with a fresh ``CheckContext`` sharing that parser (so the time is the check's own, not the
parser's), best of ``--repeat`` runs. It exits 1 when a check's ratio is over the bound.

    python benchmarks/scaling.py                     # every check, 10k and 100k rules
    python benchmarks/scaling.py --check bot-fight-mode-api --small 4000 --factor 10

Not part of the test suite (it takes minutes at 100,000 rules).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

from rulelint.analysis.context import CheckContext
from rulelint.analysis.expressions import ExpressionParser
from rulelint.checks.registry import ALL_CHECKS
from rulelint.readers import read_paths

MAX_RATIO = 12.0
# Below this a check's time is mostly noise: ratios are taken against at least this many seconds.
NOISE_FLOOR_S = 0.05


def zone_export(rules: int) -> list[dict]:
    """API responses for one zone with ``rules`` rules across three phases."""
    custom, ratelimit, managed = [], [], []
    for i in range(rules):
        kind = i % 4
        if kind == 0:
            custom.append({
                "id": f"{i:032x}", "action": "block", "enabled": True, "description": f"api {i}",
                "expression": f'starts_with(http.request.uri.path, "/api/v{i}/") and not ip.src in $partners',
            })
        elif kind == 1:
            custom.append({
                "id": f"{i:032x}", "action": "skip", "enabled": True, "description": f"partner {i}",
                "action_parameters": {"phases": ["http_ratelimit"]},
                "expression": f'http.host eq "p{i}.example.com" and ip.src in {{192.0.2.{i % 250 + 1}}}',
            })
        elif kind == 2:
            ratelimit.append({
                "id": f"{i:032x}", "action": "block", "enabled": True, "description": f"limit {i}",
                "expression": f'http.request.uri.path eq "/graphql/{i}"',
                "ratelimit": {"characteristics": ["ip.src", "cf.colo.id"], "period": 60,
                              "requests_per_period": 100, "mitigation_timeout": 60},
            })
        else:
            managed.append({
                "id": f"{i:032x}", "action": "skip", "enabled": True, "description": f"exception {i}",
                "action_parameters": {"rules": {"efb7b8c949ac4650a09736fc376e9aee": ["5de7edfa648c4d6891dc3e7f84534ffa"]}},
                "expression": f'http.request.uri.path eq "/upload/{i}" and http.request.method eq "POST" and ip.src in $uploaders',
            })
    managed.append({
        "id": "f" * 32, "action": "execute", "enabled": True, "expression": "true",
        "action_parameters": {"id": "efb7b8c949ac4650a09736fc376e9aee"},
    })

    def ruleset(number: int, phase: str, items: list[dict]) -> dict:
        return {"success": True, "errors": [], "messages": [], "result": {
            "id": f"{number:032x}", "name": phase, "kind": "zone", "phase": phase, "rules": items}}

    # One Page Rule with Disable Security and one Zone Lockdown per hundred rules, each on a host
    # of its own: page-rule-waf-off compares each Page Rule with the lockdowns of its host.
    page_rules = [
        {"id": f"{i:032x}", "status": "active", "priority": 1,
         "targets": [{"target": "url", "constraint": {"operator": "matches", "value": f"h{i}.example.com/admin/*"}}],
         "actions": [{"id": "disable_security"}]}
        for i in range(rules // 100)
    ]
    lockdowns = [
        {"id": f"{i:032x}", "description": f"admin {i}", "paused": False, "urls": [f"h{i}.example.com/admin*"],
         "configurations": [{"target": "ip_range", "value": "192.0.2.0/24"}]}
        for i in range(rules // 100)
    ]
    return [
        {"success": True, "errors": [], "messages": [], "result": page_rules},
        {"success": True, "errors": [], "messages": [], "result": lockdowns},
        {"success": True, "errors": [], "messages": [], "result": {"fight_mode": True, "enable_js": True}},
        {"success": True, "errors": [], "messages": [], "result": [
            {"id": "d" * 32, "name": "api.example.com", "type": "A", "content": "192.0.2.10", "proxied": True, "ttl": 1}]},
        ruleset(1, "http_request_firewall_custom", custom),
        ruleset(2, "http_ratelimit", ratelimit),
        ruleset(3, "http_request_firewall_managed", managed),
    ]


def time_checks(rules: int, check_ids: list[str], folder: Path, repeat: int) -> dict[str, float]:
    """Each check's best CPU time of ``repeat`` runs on a zone of ``rules`` rules."""
    path = folder / f"zone-{rules}.json"
    path.write_text(json.dumps(zone_export(rules)), encoding="utf-8")
    configuration = read_paths([str(path)]).configuration
    (zone,) = configuration.zones
    parser = ExpressionParser()
    CheckContext(configuration, parser=parser).facts(zone).expressions  # parse everything once
    # As the engine does: the model and the parses live to the end of the run, so the collector
    # must not walk them again and again while a check allocates.
    gc.freeze()
    times: dict[str, float] = {}
    for check_class in ALL_CHECKS:
        if check_class.id not in check_ids:
            continue
        best = float("inf")
        for _ in range(repeat):
            ctx = CheckContext(configuration, parser=parser)  # nothing cached from the last run
            start = time.process_time()  # CPU time: the machine may be shared
            list(check_class().run(zone, ctx))
            best = min(best, time.process_time() - start)
        times[check_class.id] = best
    gc.unfreeze()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000, help="rules in the small zone")
    parser.add_argument("--factor", type=int, default=10, help="the large zone has this many times more")
    parser.add_argument("--check", action="append", help="time only this check (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per check; the best counts (noise)")
    args = parser.parse_args(argv)
    check_ids = args.check or [c.id for c in ALL_CHECKS]
    with tempfile.TemporaryDirectory() as folder:
        small = time_checks(args.small, check_ids, Path(folder), args.repeat)
        large = time_checks(args.small * args.factor, check_ids, Path(folder), args.repeat)
    bound = MAX_RATIO * args.factor / 10
    print(f"{'check':32} {args.small:>9,} rules {args.small * args.factor:>9,} rules  ratio")
    failed = []
    for check_id in check_ids:
        if check_id not in small:
            continue
        ratio = large[check_id] / max(small[check_id], NOISE_FLOOR_S)
        mark = "" if ratio <= bound else f"  over {bound:g}x"
        print(f"{check_id:32} {small[check_id]:>13.3f}s {large[check_id]:>13.3f}s  {ratio:5.1f}x{mark}")
        if ratio > bound:
            failed.append(check_id)
    if failed:
        print(f"not linear: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
