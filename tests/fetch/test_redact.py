"""What the redactor removes from API text, and what it leaves alone (redact.py)."""

from __future__ import annotations

import pytest

from rulelint.fetch.redact import Redactor

SECRET = "s3cret/with+symbols"
REDACTOR = Redactor([SECRET])


@pytest.mark.parametrize("text, expected", [
    (f"echo {SECRET} end", "echo <redacted> end"),
    ("echo s3cret%2Fwith%2Bsymbols", "echo <redacted>"),  # URL-encoded
    ("Authorization: Bearer abc", "Authorization: Bearer <redacted>"),
    ('{"authorization":"Basic dXNlcjpwYXNz"}', '{"authorization":"Basic <redacted>"}'),
    ("X-Auth-Key: 0123456789abcdef0123456789abcdef01234", "X-Auth-Key: <redacted>"),
    ("x-auth-user-service-key=v1.0-abc", "x-auth-user-service-key=<redacted>"),
    ("sent Bearer abc.def-123 twice", "sent Bearer <redacted> twice"),
    ("token YQSn4xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T!", "token <redacted>!"),
])
def test_credentials_are_redacted(text, expected):
    assert REDACTOR.text(text) == expected
    assert REDACTOR.text(expected) == expected  # redacting twice changes nothing


@pytest.mark.parametrize("text", [
    "cf.tls_client_auth.cert_fingerprint_sha1 eq \"da39a3ee5e6b4b0d3255bfef95601890afd80709\"",  # 40 hex
    "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
    "a_forty_character_snake_case_identifier_",
    "YQSn4xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7Tx",  # 41 characters: not the shape
    "requires a bearer token",
    "0da42c8d2132a9ddaf714f9e7c920711",
])
def test_data_that_only_resembles_a_credential_is_kept(text):
    assert REDACTOR.text(text) == text


def test_every_string_of_a_document_keys_included():
    document = {"result": [{"note": SECRET, SECRET: 1, "n": 2, "deep": [[{"x": f"Bearer {SECRET}"}]]}]}
    assert REDACTOR.document(document) == {
        "result": [{"note": "<redacted>", "<redacted>": 1, "n": 2, "deep": [[{"x": "Bearer <redacted>"}]]}]}


def test_a_deep_document_does_not_exhaust_the_stack():
    document: list = [SECRET]
    for _ in range(100_000):
        document = [document]
    redacted = REDACTOR.document(document)
    for _ in range(100_000):
        redacted = redacted[0]
    assert redacted == ["<redacted>"]
