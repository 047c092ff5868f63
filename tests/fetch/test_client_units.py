"""Unit tests on top of the real-socket tests: rate budget, Retry-After parsing, pagination and
the settings fallback, with httpx.MockTransport."""

from __future__ import annotations

import json

import httpx
import pytest

from rulelint.fetch.auth import Credentials, CredentialsError, resolve_credentials
from rulelint.fetch.client import ApiError, CloudflareClient, RateLimiter, retry_after_seconds
from rulelint.fetch.collect import ZoneReader
from rulelint.fetch import endpoints as ep

CREDS = Credentials(token="RLTEST-UNIT", source="test")


def client_for(handler, **kwargs) -> CloudflareClient:
    return CloudflareClient(CREDS, "https://api.test/client/v4", transport=httpx.MockTransport(handler),
                            sleep=lambda s: None, **kwargs)


def ok(result, **extra):
    return httpx.Response(200, json={"success": True, "errors": [], "messages": [], "result": result, **extra})


def test_rate_limiter_keeps_to_its_window():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(limit=3, window=10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.acquire()
    assert slept == []
    now[0] = 4.0
    limiter.acquire()  # the 4th request waits until the first leaves the window
    assert slept == [6.0] and now[0] == 10.0


def test_default_budget_is_under_cloudflares_limit():
    limiter = RateLimiter()
    assert limiter.limit / limiter.window < 1200 / 300


@pytest.mark.parametrize("headers, seconds", [({"retry-after": "3"}, 3.0), ({"retry-after-ms": "1500"}, 1.5),
                                              ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
                                              ({"retry-after": "soon"}, None), ({}, None)])
def test_retry_after(headers, seconds):
    assert retry_after_seconds(httpx.Headers(headers)) == seconds


def test_page_pagination_without_result_info_stops_on_a_short_page():
    pages = {1: [1, 2], 2: [3, 4], 3: [5]}
    seen = []

    def handler(request):
        page = int(request.url.params["page"])
        seen.append(page)
        return ok([{"n": n} for n in pages.get(page, [])])

    with client_for(handler) as client:
        assert [item["n"] for item in client.get_all("/x", "page", per_page=2)] == [1, 2, 3, 4, 5]
    assert seen == [1, 2, 3]


def test_cursor_pagination_stops_on_a_repeated_cursor():
    def handler(request):
        return ok([{"at": request.url.params.get("cursor", "start")}], result_info={"cursor": "same"})

    with client_for(handler) as client:
        assert client.get_all("/x", "cursor") == [{"at": "start"}, {"at": "same"}]


def test_success_false_on_200_is_an_error():
    def handler(request):
        return httpx.Response(200, json={"success": False, "errors": [{"code": 1001, "message": "nope"}], "result": None})

    with client_for(handler) as client, pytest.raises(ApiError) as caught:
        client.get("/x")
    assert str(caught.value) == "GET /x: Cloudflare reported an error: code 1001: nope"


def test_bearer_and_legacy_headers_are_sent():
    sent = []

    def handler(request):
        sent.append({k: v for k, v in request.headers.items() if k.startswith(("authorization", "x-auth"))})
        return ok({})

    with client_for(handler) as client:
        client.get("/x")
    legacy = Credentials(api_key="K", email="e@x.org")
    with CloudflareClient(legacy, "https://api.test/client/v4", transport=httpx.MockTransport(handler)) as client:
        client.get("/x")
    assert sent == [{"authorization": "Bearer RLTEST-UNIT"}, {"x-auth-email": "e@x.org", "x-auth-key": "K"}]


def test_settings_fall_back_to_one_by_one_reads():
    def handler(request):
        path = request.url.path.removeprefix("/client/v4/zones/z")
        if path == "/settings":
            return httpx.Response(404, json={"success": False, "errors": [{"code": 7003, "message": "gone"}]})
        if path == "/settings/security_level":
            return ok({"id": "security_level", "value": "low", "editable": True, "modified_on": None})
        if path == "/settings/waf":
            return httpx.Response(403, json={"success": False, "errors": [{"code": 10000, "message": "Auth"}]})
        return httpx.Response(404, json={"success": False, "errors": []})

    with client_for(handler) as client:
        reader = ZoneReader(client, {"id": "z", "name": "example.com"})
        reader.read_section(next(s for s in ep.ZONE_SECTIONS if s.key == "settings"))
    assert reader.entry["settings"] == {"security_level": {"id": "security_level", "value": "low", "editable": True,
                                                           "modified_on": None}}
    assert reader.entry["unreadable"] == [{"what": "settings:waf", "status": 403,
                                           "error": "not readable: needs permission Zone Settings Read"}]


def test_custom_ruleset_executed_by_an_entrypoint_is_read():
    entry = {"id": "e1", "kind": "zone", "phase": "http_request_firewall_custom",
             "rules": [{"action": "execute", "action_parameters": {"id": "c1"}, "expression": "true"}]}
    custom = {"id": "c1", "kind": "custom", "phase": "http_request_firewall_custom", "rules": []}

    def handler(request):
        path = request.url.path.removeprefix("/client/v4/zones/z")
        table = {"/rulesets": [{"id": "e1", "kind": "zone", "phase": "http_request_firewall_custom"}],
                 "/rulesets/e1": entry, "/rulesets/c1": custom}
        if path in table:
            return ok(table[path])
        return httpx.Response(404, json={"success": False, "errors": []})

    with client_for(handler) as client:
        reader = ZoneReader(client, {"id": "z"})
        reader.read_rulesets()
    assert reader.entry["rulesets"]["entrypoints"] == {"http_request_firewall_custom": entry}
    assert reader.entry["rulesets"]["custom"] == [custom]


def test_credentials_resolution():
    assert resolve_credentials(None, {"CLOUDFLARE_API_TOKEN": "abc"}).headers() == {"Authorization": "Bearer abc"}
    with pytest.raises(CredentialsError, match="CLOUDFLARE_EMAIL is not"):
        resolve_credentials(None, {"CLOUDFLARE_API_KEY": "k"})
    with pytest.raises(CredentialsError, match="CLOUDFLARE_API_TOKEN does not hold a valid value"):
        resolve_credentials(None, {"CLOUDFLARE_API_TOKEN": "two words"})


def test_permission_names_cover_every_section():
    names = ep.all_permissions()
    assert {"Zone Read", "Zone WAF Read", "Page Rules Read", "Firewall Services Read", "Zone Settings Read",
            "Bot Management Read", "DNS Read", "Account Rulesets Read"} <= set(names)
    assert json.dumps(names)  # plain strings, for docs/fetch.md
