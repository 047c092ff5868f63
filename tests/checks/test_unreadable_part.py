"""unreadable-part on hand-written bundles: the permission comes from the entry's text when
rulelint fetch wrote it, otherwise from what was being read; a 404 ("absent") is no finding."""

from __future__ import annotations

import json

from rulelint.pipeline.engine import analyse


def _bundle(tmp_path, entries):
    document = {
        "bundle_format": "rulelint.zone-bundle/1",
        "zones": [{"zone": {"id": "0da42c8d2132a9ddaf714f9e7c920711", "name": "example.com"}, "unreadable": entries}],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document, indent=1))
    return path


def _unreadable(path):
    return [f for f in analyse([str(path)]).findings if f.check == "unreadable-part"]


def test_permission_is_derived_from_the_part_when_the_error_does_not_name_it(tmp_path):
    path = _bundle(tmp_path, [
        {"what": "rulesets:http_request_sbfm", "status": 403, "error": "Authentication error"},
        {"what": "settings:waf", "status": 401, "error": ""},
        {"what": "account:rulesets:http_request_firewall_custom", "status": 403, "error": "Forbidden"},
    ])
    messages = [f.message for f in _unreadable(path)]
    assert messages == [
        "The phase http_request_sbfm of zone example.com could not be read (HTTP 403) and went "
        "unchecked; give the API token the permission Bot Management Read and fetch again.",
        "The zone setting waf of zone example.com could not be read (HTTP 401) and went unchecked; "
        "give the API token the permission Zone Settings Read and fetch again.",
        "The account's phase http_request_firewall_custom of zone example.com could not be read "
        "(HTTP 403) and went unchecked; give the API token the permission Account Rulesets Read "
        "and fetch again.",
    ]


def test_finding_points_at_the_entry_in_the_bundle(tmp_path):
    path = _bundle(tmp_path, [
        {"what": "rulesets:http_ratelimit", "status": 404, "error": "absent"},
        {"what": "dns_records", "status": 500, "error": "internal error"},
    ])
    (finding,) = _unreadable(path)
    assert finding.severity == "info"
    assert finding.location.pointer == "/zones/0/unreadable/1"
    assert finding.message == (
        "The DNS records of zone example.com could not be read (HTTP 500: internal error) and went "
        "unchecked; fetch again."
    )
