"""Credential redaction for everything that comes back from the Cloudflare API.

An API (or a proxy in front of it) may echo the request's ``Authorization`` header in an error
message. Every string decoded from a response passes through ``Redactor.document`` in
``CloudflareClient.get`` before anything else sees it, so the token cannot reach stderr, the
bundle or a report; printed messages pass through ``Redactor.text`` once more.

What is replaced by ``<redacted>``:

- the configured secrets themselves (token, Global API Key), also URL-encoded;
- the value after an ``Authorization``, ``X-Auth-Key`` or ``X-Auth-User-Service-Key`` header
  name, and a credential-looking word after ``Bearer``;
- bare strings shaped like a Cloudflare API token: exactly 40 characters of letters, digits,
  ``-`` and ``_``, with upper- and lower-case letters and a digit. Hex strings (SHA-1
  fingerprints, ids) and plain identifiers do not match, so configuration data is left alone.
"""

from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import quote

REDACTED = "<redacted>"

_VALUE = r"[^\s\"'<>,;]+"
# After a bare "Bearer" (not after a header name) only a credential-looking word: 8 or more
# characters with a digit or symbol, so prose such as "bearer token" is left alone.
_CREDENTIAL_WORD = r"(?=[^\s\"'<>,;]*[0-9._~+/=-])[^\s\"'<>,;]{8,}"
_HEADER_VALUE = re.compile(
    r"(?P<keep>\b(?:authorization|x-auth-key|x-auth-user-service-key)[\"']?\s*[:=]\s*[\"']?"
    r"(?>(?:(?:bearer|basic|token)\s+)?))" + _VALUE
    + r"|(?P<scheme>\bbearer\s+)" + _CREDENTIAL_WORD,
    re.IGNORECASE,
)
_TOKEN_SHAPE = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[0-9])"
    r"[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])"
)


class Redactor:
    """Removes the given secrets, and anything shaped like a credential, from text."""

    def __init__(self, secrets: Iterable[str] = ()):
        variants = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        # Longest first, so a secret that contains another is removed whole.
        self._secrets = sorted(variants, key=len, reverse=True)

    def text(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        text = _HEADER_VALUE.sub(lambda m: (m.group("keep") or m.group("scheme")) + REDACTED, text)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def document(self, value: Any) -> Any:
        """``value`` (decoded JSON) with every string, keys included, passed through ``text``.

        Iterative, so a deeply nested answer cannot exhaust the stack.
        """
        root: list[Any] = [value]
        stack: list[tuple[Any, Any]] = [(root, 0)]
        while stack:
            container, key = stack.pop()
            item = container[key]
            if isinstance(item, str):
                container[key] = self.text(item)
            elif isinstance(item, list):
                stack.extend((item, index) for index in range(len(item)))
            elif isinstance(item, dict):
                renamed = {self.text(k) if isinstance(k, str) else k: v for k, v in item.items()}
                if list(renamed) != list(item):
                    item.clear()
                    item.update(renamed)
                stack.extend((item, k) for k in item)
        return root[0]
