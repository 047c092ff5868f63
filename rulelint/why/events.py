"""Security Events exports: one record per (request, acting rule), read from the two shapes
Cloudflare hands out, and a summary per rule.

* GraphQL Analytics ``firewallEventsAdaptive`` (what the dashboard and the API return):
  ``{"data": {"viewer": {"zones": [{"firewallEventsAdaptive": [ {…}, … ]}]}}}``, or the bare
  list of events. Field names: ``rayName action source ruleId rulesetId description
  clientIP clientAsn clientCountryName clientRequestHTTPHost clientRequestHTTPMethodName
  clientRequestPath clientRequestQuery clientRequestScheme userAgent datetime``
  (developers.cloudflare.com/analytics/graphql-api/tutorials/querying-firewall-events/).
* Logpush ``firewall_events`` NDJSON, one JSON object a line: ``RayID Action Source RuleID
  Description ClientIP ClientASN ClientCountry ClientRequestHost ClientRequestMethod
  ClientRequestPath ClientRequestQuery ClientRequestScheme ClientRequestUserAgent Datetime
  MatchIndex`` (developers.cloudflare.com/logs/reference/log-fields/zone/firewall_events/).
  ``MatchIndex`` 0 is the last matching rule: the one that acted.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

ACTED = {
    "block": "blocked", "drop": "blocked", "connectionclose": "blocked",
    "challenge": "challenged", "jschallenge": "challenged", "managedchallenge": "challenged",
    "challengefailed": "challenged", "jschallengefailed": "challenged",
    "managed_challenge": "challenged", "js_challenge": "challenged",
}


class EventsError(ValueError):
    """The file is not a Security Events export rulelint can read (a usage error)."""


@dataclass(frozen=True)
class Event:
    ray_id: str
    action: str
    source: str
    rule_id: str
    ruleset_id: str
    description: str
    client_ip: str
    asn: int | None
    country: str | None
    host: str
    method: str
    path: str
    query: str
    scheme: str
    user_agent: str | None
    datetime: str
    match_index: int = 0

    @property
    def url(self) -> str:
        query = self.query if not self.query or self.query.startswith("?") else "?" + self.query
        return f"{self.scheme or 'https'}://{self.host}{self.path or '/'}{query}"


_GRAPHQL = {
    "ray_id": "rayName", "action": "action", "source": "source", "rule_id": "ruleId", "ruleset_id": "rulesetId",
    "description": "description", "client_ip": "clientIP", "asn": "clientAsn", "country": "clientCountryName",
    "host": "clientRequestHTTPHost", "method": "clientRequestHTTPMethodName", "path": "clientRequestPath",
    "query": "clientRequestQuery", "scheme": "clientRequestScheme", "user_agent": "userAgent",
    "datetime": "datetime", "match_index": "matchIndex",
}
_LOGPUSH = {
    "ray_id": "RayID", "action": "Action", "source": "Source", "rule_id": "RuleID", "ruleset_id": "RulesetID",
    "description": "Description", "client_ip": "ClientIP", "asn": "ClientASN", "country": "ClientCountry",
    "host": "ClientRequestHost", "method": "ClientRequestMethod", "path": "ClientRequestPath",
    "query": "ClientRequestQuery", "scheme": "ClientRequestScheme", "user_agent": "ClientRequestUserAgent",
    "datetime": "Datetime", "match_index": "MatchIndex",
}


def read_events(path: str) -> list[Event]:
    """Every event of the export at ``path`` (GraphQL JSON or Logpush NDJSON)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise EventsError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    records = _records(text, path)
    events = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise EventsError(f"{path}: event {number} is not an object")
        names = _LOGPUSH if "RayID" in record or "ClientIP" in record else _GRAPHQL
        if not any(record.get(names[key]) for key in ("client_ip", "host", "path")):
            raise EventsError(f"{path}: event {number} is not a Security Events record (no client address, host or path)")
        events.append(_event(record, names))
    if not events:
        raise EventsError(f"{path}: no Security Events in this file")
    return events


def _records(text: str, path: str) -> list:
    stripped = text.strip()
    if not stripped:
        raise EventsError(f"{path}: the file is empty")
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError:
        document = None
    if document is None:  # NDJSON: one object a line
        out = []
        for number, line in enumerate(stripped.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise EventsError(f"{path}:{number}: not JSON ({error.msg})") from None
        return out
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if "RayID" in document or "ClientIP" in document:
            return [document]
        if document.get("errors"):
            raise EventsError(f"{path}: the GraphQL response holds errors: {json.dumps(document['errors'])[:200]}")
        zones = (((document.get("data") or {}).get("viewer") or {}).get("zones")) or []
        out = []
        for zone in zones if isinstance(zones, list) else []:
            if isinstance(zone, dict):
                out.extend(zone.get("firewallEventsAdaptive") or [])
        if out or "data" in document:
            return out
    raise EventsError(f"{path}: not a firewallEventsAdaptive response nor firewall_events NDJSON")


def _event(record: dict, names: dict[str, str]) -> Event:
    def text(key: str) -> str:
        value = record.get(names[key])
        return "" if value is None else str(value)

    asn_text = text("asn").upper().removeprefix("AS")
    try:
        match_index = int(text("match_index") or 0)
    except ValueError:
        match_index = 0
    return Event(
        ray_id=text("ray_id"), action=text("action").lower(), source=text("source").lower(),
        rule_id=text("rule_id"), ruleset_id=text("ruleset_id"), description=text("description"),
        client_ip=text("client_ip"), asn=int(asn_text) if asn_text.isdigit() else None,
        country=text("country").upper() or None, host=text("host").lower(), method=text("method").upper() or "GET",
        path=text("path") or "/", query=text("query"), scheme=text("scheme").lower() or "https",
        user_agent=record.get(names["user_agent"]), datetime=text("datetime"), match_index=match_index,
    )


def pick(events: list[Event], ray_id: str | None) -> Event:
    """The event to explain: the acting record (MatchIndex 0) of ``ray_id``, or of the only
    request in the file."""
    if ray_id is not None:
        chosen = [e for e in events if e.ray_id.lower() == ray_id.lower()]
        if not chosen:
            raise EventsError(f"no event with Ray ID {ray_id} in the file")
    else:
        rays = {e.ray_id for e in events}
        if len(rays) > 1:
            raise EventsError(f"the file holds {len(rays)} requests: choose one with --ray-id "
                              f"(for example {sorted(rays)[0]})")
        chosen = events
    return min(chosen, key=lambda e: e.match_index)


# -- the summary ------------------------------------------------------------------------------


@dataclass
class RuleSummary:
    rule_id: str
    source: str
    description: str
    actions: Counter = field(default_factory=Counter)  # "blocked" / "challenged" / other actions
    paths: Counter = field(default_factory=Counter)
    methods: Counter = field(default_factory=Counter)
    hosts: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.actions.values())


def summarise(events: list[Event]) -> list[RuleSummary]:
    """Per acting rule, most events first: what it did and to which paths, methods, hosts and
    client addresses."""
    by_rule: dict[tuple[str, str], RuleSummary] = {}
    for event in events:
        key = (event.source, event.rule_id)
        summary = by_rule.get(key)
        if summary is None:
            summary = by_rule[key] = RuleSummary(event.rule_id, event.source, event.description)
        summary.actions[ACTED.get(event.action, event.action or "unknown")] += 1
        summary.paths[event.path] += 1
        summary.methods[event.method] += 1
        summary.hosts[event.host] += 1
        summary.sources[event.client_ip] += 1
    return sorted(by_rule.values(), key=lambda s: (-s.total, s.source, s.rule_id))


def summary_text(summaries: list[RuleSummary], top: int = 3) -> str:
    lines = []
    for s in summaries:
        acted = ", ".join(f"{count} {action}" for action, count in sorted(s.actions.items(), key=lambda i: (-i[1], i[0])))
        title = f"{s.source} rule {s.rule_id or '(no id)'}" + (f' "{s.description}"' if s.description else "")
        lines.append(f"{title}: {s.total} event{'s' if s.total != 1 else ''} ({acted})")
        for label, counter in (("paths", s.paths), ("methods", s.methods), ("hosts", s.hosts), ("sources", s.sources)):
            shown = ", ".join(f"{value} ({count})" for value, count in _top(counter, top))
            more = len(counter) - min(top, len(counter))
            lines.append(f"  {label:<8} {shown}" + (f", … {more} more" if more > 0 else ""))
    return "\n".join(lines) + "\n"


def summary_json(summaries: list[RuleSummary], top: int = 10) -> list[dict]:
    return [
        {
            "rule_id": s.rule_id, "source": s.source, "description": s.description, "events": s.total,
            "actions": dict(s.actions),
            **{label: [{"value": v, "count": c} for v, c in _top(counter, top)]
               for label, counter in (("paths", s.paths), ("methods", s.methods), ("hosts", s.hosts),
                                      ("sources", s.sources))},
        }
        for s in summaries
    ]


def _top(counter: Counter, count: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:count]
