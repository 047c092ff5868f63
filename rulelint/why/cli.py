"""The ``why`` and ``events`` subcommands. ``rulelint.cli`` calls ``add_why_commands``; the
rest of this package is imported only when one of them runs, so ``rulelint check`` starts as
fast as before.

Exit codes: 0 the trace (or summary) was written; 2 a usage error — a bad URL, address or
header, no zone serving the host, an unreadable configuration or event file — reported as
one ``rulelint: error:`` line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_USAGE = 0, 2


class WhyUsageError(Exception):
    """A problem with how ``why``/``events`` was called (exit code 2)."""


def add_why_commands(subparsers) -> None:
    """Register ``why`` and ``events`` on the ``rulelint`` sub-command parser."""
    why = subparsers.add_parser(
        "why",
        help="trace a request through a zone: what blocks it, and the narrowest exception",
        description="Trace one request through the zone that serves its host, in Cloudflare's phase order; "
        "name the rule or feature that blocks or challenges it and write the narrowest exception. "
        "See docs/why.md.",
    )
    why.add_argument("configs", nargs="+", metavar="CONFIG", help="configuration files or folders (as for check)")
    why.add_argument("--url", help="the request URL, e.g. https://shop.example.com/admin/export?x=1")
    why.add_argument("--method", default=None, help="HTTP method (default GET)")
    why.add_argument("--ip", help="client address, or a CIDR range when only the range is known")
    why.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'", help="a request header (repeatable)")
    why.add_argument("--cookie", action="append", default=[], metavar="'NAME=VALUE; …'", help="request cookies (repeatable)")
    why.add_argument("--no-other-headers", action="store_true",
                     help="the headers given are all the request has (otherwise other headers are unknown)")
    why.add_argument("--country", metavar="CC", help="client country, two letters")
    why.add_argument("--asn", type=_int, metavar="N", help="client ASN")
    why.add_argument("--verified-bot", action="store_true", help="the client is a verified bot")
    why.add_argument("--bot-score", type=_int, metavar="N", help="bot score 1-99 (1: definitely automated)")
    why.add_argument("--ip-list", action="append", default=[], metavar="NAME=ADDR,…",
                     help="contents of a named IP list (otherwise conditions on it are unknown)")
    why.add_argument("--blocked-by", metavar="RULE_ID", help="the rule id Security Events names (managed rule id, 949110, or a zone rule)")
    why.add_argument("--event", metavar="FILE", help="take the request and acting rule from a Security Events export")
    why.add_argument("--ray-id", metavar="ID", help="with --event: the request to explain")
    why.add_argument("--format", choices=("text", "json"), default="text")
    why.set_defaults(handler=_run_why)

    events = subparsers.add_parser(
        "events",
        help="summarise a Security Events export per rule",
        description="Summarise a Security Events export (GraphQL firewallEventsAdaptive JSON or Logpush "
        "firewall_events NDJSON): per rule, what it blocked or challenged, top paths, methods, hosts and sources.",
    )
    events.add_argument("file", metavar="FILE")
    events.add_argument("--top", type=_int, default=3, metavar="N", help="how many values to list per column (default 3)")
    events.add_argument("--format", choices=("text", "json"), default="text")
    events.set_defaults(handler=_run_events)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _error(message: str) -> int:
    sys.stderr.write(f"rulelint: error: {message}\n")
    return EXIT_USAGE


def _run_why(args) -> int:
    try:
        return _why(args)
    except WhyUsageError as error:
        return _error(str(error))


def _run_events(args) -> int:
    import json

    from .events import EventsError, read_events, summarise, summary_json, summary_text

    try:
        events = read_events(args.file)
    except EventsError as error:
        return _error(str(error))
    summaries = summarise(events)
    if args.format == "json":
        sys.stdout.write(json.dumps({"version": 1, "events": len(events), "rules": summary_json(summaries, max(args.top, 1))},
                                    indent=2) + "\n")
    else:
        sys.stdout.write(summary_text(summaries, max(args.top, 1)))
    return EXIT_OK


def _why(args) -> int:
    from .exception import propose
    from .render import as_json, as_text
    from .request import RequestError, describe_request, parse_cookie, parse_header
    from .walk import select_zone, walk

    values, blocked_by, blocked_in, event = _request_values(args)
    try:
        headers = [*values.pop("headers", []), *(parse_header(h) for h in args.header)]
        cookies = [c for text in args.cookie for c in parse_cookie(text)]
        request = describe_request(**values, headers=tuple(headers), cookies=tuple(cookies),
                                   headers_complete=args.no_other_headers, ip_lists=_ip_lists(args.ip_list))
    except RequestError as error:
        raise WhyUsageError(str(error)) from None
    zones = _zones(args.configs)
    zone = select_zone(zones, request.host)
    if zone is None:
        names = ", ".join(sorted(z.label or "(unnamed)" for z in zones if z.account_scope is None)) or "none"
        raise WhyUsageError(f"no zone in the configuration serves {request.host} (zones: {names})")
    trace = walk(zone, request, blocked_by, blocked_in)
    if event is not None:
        trace.event = {"ray_id": event.ray_id, "action": event.action, "source": event.source,
                       "rule_id": event.rule_id, "ruleset_id": event.ruleset_id, "description": event.description}
    trace.exception = propose(zone, request, trace)
    sys.stdout.write(as_json(trace) if args.format == "json" else as_text(trace))
    return EXIT_OK


def _request_values(args):
    """(request values, blocked_by, blocked_in, the event): the request as options and the
    event file describe it (options win)."""
    values: dict = {}
    event = None
    blocked_by, blocked_in = args.blocked_by, None
    if args.event:
        from .events import EventsError, pick, read_events

        try:
            event = pick(read_events(args.event), args.ray_id)
        except EventsError as error:
            raise WhyUsageError(str(error)) from None
        values = {"url": event.url, "method": event.method, "ip": event.client_ip or None,
                  "country": event.country, "asn": event.asn}
        if event.user_agent is not None:
            values["headers"] = [("User-Agent", event.user_agent)]
        if event.source == "botfight":
            values["bot_score"] = 1  # Bot Fight Mode acted: Cloudflare took the client for a bot
        elif blocked_by is None and event.rule_id:
            blocked_by, blocked_in = event.rule_id, event.ruleset_id or None
    elif args.ray_id:
        raise WhyUsageError("--ray-id needs --event FILE")
    for key in ("url", "method", "ip", "country", "asn", "bot_score"):
        given = getattr(args, key)
        if given is not None:
            values[key] = given
    if args.verified_bot:
        values["verified_bot"] = True
    if not values.get("url"):
        raise WhyUsageError("give the request with --url URL (or --event FILE)")
    return values, blocked_by, blocked_in, event


def _ip_lists(items: list[str]) -> dict[str, tuple[str, ...]]:
    lists = {}
    for item in items:
        name, equals, addresses = item.partition("=")
        if not equals or not name.strip():
            raise WhyUsageError(f"--ip-list {item!r}: expected NAME=ADDRESS,ADDRESS")
        lists[name.strip().lstrip("$")] = tuple(a.strip() for a in addresses.split(",") if a.strip())
    return lists


def _zones(paths: list[str]):
    from ..findings import INVALID_INPUT
    from ..readers import read_paths

    read = read_paths(paths)
    problems = [f for f in read.findings if f.check == INVALID_INPUT]
    if not read.usable or not read.configuration.zones:
        detail = f": {problems[0].message}" if problems else ""
        raise WhyUsageError(f"no usable configuration in {', '.join(paths)}{detail}")
    return read.configuration.zones
