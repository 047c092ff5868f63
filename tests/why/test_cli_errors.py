"""Bad input to ``why`` and ``events`` is a usage error (exit 2) with one clear line, never a
traceback."""

from __future__ import annotations

import pytest

CONFIG = "fixtures/why/tiktok-export/zone.json"
URL = "https://shop.example.com/admin/x"


@pytest.mark.parametrize(
    "argv, message",
    [
        (("why", CONFIG, "--url", "ftp://shop.example.com/x"),
         "rulelint: error: --url: the URL must start with http:// or https://, not ftp://\n"),
        (("why", CONFIG, "--url", "https:///path-only"), "rulelint: error: --url: the URL has no host name\n"),
        (("why", CONFIG, "--url", "https://shop.example.com:99999/"),
         "rulelint: error: --url: the URL's port is not a number from 0 to 65535\n"),
        (("why", CONFIG, "--url", URL, "--ip", "203.0.113.300"),
         "rulelint: error: --ip: '203.0.113.300' is not an IP address or a CIDR range\n"),
        (("why", CONFIG, "--url", URL, "--method", "FETCH"),
         "rulelint: error: --method: unknown HTTP method 'FETCH' (expected one of CONNECT, DELETE, GET, HEAD, "
         "OPTIONS, PATCH, POST, PURGE, PUT, TRACE)\n"),
        (("why", CONFIG, "--url", URL, "--country", "Germany"),
         "rulelint: error: --country: 'Germany' is not a two-letter country code (ISO 3166-1 alpha-2)\n"),
        (("why", CONFIG, "--url", URL, "--bot-score", "0"),
         "rulelint: error: --bot-score: Input should be greater than or equal to 1\n"),
        (("why", CONFIG, "--url", URL, "--header", "no colon here"),
         "rulelint: error: --header 'no colon here': expected 'Name: value'\n"),
        (("why", CONFIG, "--url", URL, "--cookie", "novalue"),
         "rulelint: error: --cookie 'novalue': expected 'name=value'\n"),
        (("why", CONFIG), "rulelint: error: give the request with --url URL (or --event FILE)\n"),
        (("why", CONFIG, "--url", URL, "--ray-id", "abc"), "rulelint: error: --ray-id needs --event FILE\n"),
        (("why", "fixtures/why/api-bot-fight-mode/bundle.json", "--url", "https://www.example.org/"),
         "rulelint: error: no zone in the configuration serves www.example.org (zones: example.com)\n"),
        (("why", CONFIG, "--url", URL, "--event", "fixtures/why/missing.ndjson"),
         "rulelint: error: cannot read fixtures/why/missing.ndjson: No such file or directory\n"),
        (("why", CONFIG, "--url", URL, "--event", CONFIG),
         "rulelint: error: fixtures/why/tiktok-export/zone.json: event 1 is not a Security Events record "
         "(no client address, host or path)\n"),
        (("why", CONFIG, "--event", "fixtures/why/mautic-owasp/firewall_events.ndjson"),
         "rulelint: error: the file holds 3 requests: choose one with --ray-id (for example 8e1f2a3b4c5d6e7f)\n"),
        (("why", CONFIG, "--event", "fixtures/why/mautic-owasp/firewall_events.ndjson", "--ray-id", "ffff"),
         "rulelint: error: no event with Ray ID ffff in the file\n"),
        (("events", "fixtures/why/missing.ndjson"),
         "rulelint: error: cannot read fixtures/why/missing.ndjson: No such file or directory\n"),
        (("events", "fixtures/why/api-bot-fight-mode/bundle.json"),
         "rulelint: error: fixtures/why/api-bot-fight-mode/bundle.json: not a firewallEventsAdaptive response nor "
         "firewall_events NDJSON\n"),
    ],
)
def test_usage_errors_exit_2_with_one_line(rulelint, argv, message):
    run = rulelint(*argv)
    assert (run.code, run.out, run.err) == (2, "", message)


def test_unreadable_event_lines_name_the_line(rulelint, tmp_path):
    events = tmp_path / "events.ndjson"
    events.write_text('{"RayID": "1", "ClientIP": "192.0.2.1", "ClientRequestHost": "a.example.com"}\n{broken\n')
    run = rulelint("events", str(events))
    assert run.code == 2
    assert run.err == f"rulelint: error: {events}:2: not JSON (Expecting property name enclosed in double quotes)\n"


def test_a_missing_configuration_is_a_usage_error(rulelint):
    run = rulelint("why", "fixtures/why/does-not-exist.json", "--url", URL)
    assert (run.code, run.out) == (2, "")
    # the reason after the colon is the readers' own message
    assert run.err.startswith("rulelint: error: no usable configuration in fixtures/why/does-not-exist.json: ")
    assert run.err.count("\n") == 1
