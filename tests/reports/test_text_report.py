"""The text report: bounded excerpts of long lines, short headers, related locations, plain
text under NO_COLOR, the per-severity summary."""

from __future__ import annotations

import json

from rulelint.findings import Location, Related
from rulelint.reports.text import WINDOW, split_message

from .helpers import finding, report, written


def _minified_export(rules: int) -> tuple[str, list[int]]:
    """A one-line export of ``rules`` skip rules and the column of each rule's expression value."""
    body = json.dumps(
        {"result": [{"id": f"r{i:05d}", "action": "skip", "description": "x" * 200, "expression": "true"} for i in range(rules)]},
        separators=(",", ":"),
    )
    columns, start = [], 0
    while (found := body.find('"expression":"true"', start)) >= 0:
        columns.append(found + len('"expression":') + 1)
        start = found + 1
    return body, columns


def test_minified_export_prints_a_bounded_window_per_finding():
    text, columns = _minified_export(2000)
    assert len(columns) == 2000 and len(text) > 500_000
    findings = [finding(column=c, end_column=c + 6) for c in columns]
    out = written("text", report(findings, {"zone.json": text}))
    per_finding = len(out) / len(findings)
    assert per_finding < 2 * WINDOW + 200, per_finding  # header, window, caret, context: never the line
    assert "x" * 300 not in out


def test_long_line_excerpt_is_windowed_with_the_caret_under_the_span():
    line = '{"a":"' + "a" * 5000 + '","expression":"true","b":"' + "b" * 5000 + '"}'
    column = line.index('"true"') + 1
    out = written("text", report([finding(column=column, end_column=column + 6)], {"zone.json": line}))
    lines = out.splitlines()
    source = next(l for l in lines if l.startswith("1 | "))
    caret = next(l for l in lines if l.startswith("  | ") and "^" in l)
    excerpt = source[len("1 | ") :]
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert WINDOW <= len(excerpt) <= WINDOW + 2
    start = caret.index("^")
    assert caret.count("^") == 6
    assert source[start : start + 6] == '"true"'


def test_span_near_the_start_of_a_long_line_has_no_leading_ellipsis():
    line = '{"expression":"true",' + '"c":' + '"' + "c" * 1000 + '"}'
    out = written("text", report([finding(column=15, end_column=21)], {"zone.json": line}))
    source = next(l for l in out.splitlines() if l.startswith("1 | "))
    assert source == "1 | " + line[:WINDOW] + "…"


def test_excerpt_of_a_pretty_printed_file_reads_the_right_line():
    text = "\n".join(f'  "line {n}",' for n in range(1, 5001)) + "\n"
    findings = [finding(line=n, column=3, end_column=3 + len(f'"line {n}"')) for n in (1, 2500, 5000)]
    out = written("text", report(findings, {"zone.json": text}))
    for n in (1, 2500, 5000):
        assert f'{n} |   "line {n}",' in out


def test_excerpt_without_source_text_is_left_out():
    out = written("text", report([finding()], {}))
    assert " | " not in out and "zone.json:1:1: error broad-skip" in out


def test_long_message_header_is_its_first_clause_and_the_rest_follows():
    message = (
        'Skip rule "monitor: let it through, please" turns off all remaining custom rules, '
        "all managed rules (phase http_request_firewall_managed) and all rate limiting rules "
        "(phase http_ratelimit) for every request."
    )
    out = written("text", report([finding(message)], {}))
    lines = out.splitlines()
    assert lines[0] == 'zone.json:1:1: error broad-skip Skip rule "monitor: let it through, please" turns off all remaining custom rules,'
    assert lines[1].startswith("  all managed rules")
    rest = " ".join(line.strip() for line in lines[1:3])
    assert rest.endswith("for every request.")


def test_header_is_the_first_sentence_when_it_is_short_enough():
    first, rest = split_message("The rule skips everything. " + "Detail " * 30)
    assert first == "The rule skips everything."
    assert rest and all(len(line) <= 116 for line in rest)


def test_lines_after_a_newline_in_a_message_are_wrapped_too():
    first, rest = split_message("short\n" + "word " * 100)
    assert first == "short" and len(rest) > 3 and all(len(line) <= 116 for line in rest)


def test_short_message_is_the_header_unchanged():
    message = "x" * 120
    assert split_message(message) == (message, [])


def test_newline_and_escape_in_a_message_cannot_reach_the_terminal():
    out = written("text", report([finding("one\n\x1b[2Jtwo\rthree")], {}))
    assert "\x1b" not in out and "\r" not in out
    assert out.splitlines()[:2] == ["zone.json:1:1: error broad-skip one", "  \ufffd[2Jtwo\ufffdthree"]


def test_a_newline_in_a_file_or_zone_name_stays_on_its_line():
    out = written("text", report([finding(file="a\nb.json", zone="z\none")], {}))
    assert out.splitlines()[0] == "a\ufffdb.json:1:1: error broad-skip Skip rule turns off everything."
    assert "  = zone z\ufffdone" in out.splitlines()


def test_related_locations_get_a_line_each():
    related = (
        Related("the Zone Lockdown rule this Page Rule voids", Location("zone.json", 40, 5, pointer="/zones/0/lockdowns/0")),
        Related("the execute rule", Location(address="cloudflare_ruleset.waf.rules[0]")),
    )
    out = written("text", report([finding(related=related)], {}))
    assert "  related: zone.json:40:5 (/zones/0/lockdowns/0): the Zone Lockdown rule this Page Rule voids" in out
    assert "  related: cloudflare_ruleset.waf.rules[0]: the execute rule" in out


def test_summary_counts_each_check_per_severity():
    findings = [finding(severity="warning"), finding(severity="info"), finding(severity="info"), finding(check="invalid-input")]
    lines = written("text", report(findings, {})).splitlines()
    table = lines[lines.index(next(l for l in lines if l.startswith("check "))) :]
    assert table[0].split() == ["check", "error", "warning", "info"]
    assert table[1].split() == ["broad-skip", "-", "1", "2"]
    assert table[2].split() == ["invalid-input", "1", "-", "-"]
    assert table[-1] == "4 findings: 1 error, 1 warning, 2 info (1 file, 4 rules)."


def test_no_color_means_no_escape_codes_at_all(monkeypatch):
    import io

    from rulelint.reports import write

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    built = report([finding(suggestion=None)], {"zone.json": '{"expression": "true"}'})
    styled = io.StringIO()
    write("text", built, styled)
    assert "\x1b[1m" in styled.getvalue()  # FORCE_COLOR alone: bold and colours
    monkeypatch.setenv("NO_COLOR", "1")
    plain = io.StringIO()
    write("text", built, plain)
    assert "\x1b" not in plain.getvalue()
    assert plain.getvalue().startswith("zone.json:1:1: error broad-skip")


def test_a_check_missing_from_the_catalogue_still_renders():
    out = written("text", report([finding(check="brand-new-check", severity="warning")], {}, checks={}))
    assert "zone.json:1:1: warning brand-new-check Skip rule turns off everything." in out
