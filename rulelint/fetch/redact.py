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
# Runs of token characters 40 or longer; ``_token_shaped`` keeps those that fit the shape. (A
# regex with look-aheads for the character classes is ten times slower on large answers.)
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{40,}")


def _token_shaped(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 40 and any(c.islower() for c in run) and any(c.isupper() for c in run) \
            and any(c.isdigit() for c in run):
        return REDACTED
    return run


class Redactor:
    """Removes the given secrets, and anything shaped like a credential, from text."""

    def __init__(self, secrets: Iterable[str] = ()):
        variants = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        # Longest first, so a secret that contains another is removed whole.
        self._secrets = sorted(variants, key=len, reverse=True)

    def _suspect(self, text: str) -> bool:
        """A quick test every string needing a closer look passes: most strings of an answer
        (ids, expressions, descriptions) fail it and are kept as they are. Substring tests,
        as a case-insensitive regex is several times slower on large answers."""
        for secret in self._secrets:
            if secret in text:
                return True
        lowered = text.lower()
        return ("bearer" in lowered or "authorization" in lowered or "x-auth-" in lowered
                or (len(text) >= 40 and _TOKEN_RUN.search(text) is not None))

    def text(self, text: str) -> str:
        if not self._suspect(text):
            return text
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _HEADER_VALUE.sub(lambda m: (m.group("keep") or m.group("scheme")) + REDACTED, text)
        return _TOKEN_RUN.sub(_token_shaped, text)

    def document(self, value: Any) -> Any:
        """``value`` (decoded JSON) with every string, keys included, passed through ``text``.

        Changes strings in place and returns the (possibly replaced) value. Iterative, so a
        deeply nested answer cannot exhaust the stack.
        """
        if isinstance(value, str):
            return self.text(value)
        text, suspect = self.text, self._suspect
        pending = [value]
        while pending:
            container = pending.pop()
            if isinstance(container, list):
                for index, item in enumerate(container):
                    if isinstance(item, str):
                        if suspect(item):
                            container[index] = text(item)
                    elif isinstance(item, (list, dict)):
                        pending.append(item)
            elif isinstance(container, dict):
                if any(suspect(key) for key in container):
                    renamed = {text(key): item for key, item in container.items()}
                    container.clear()
                    container.update(renamed)
                for key, item in container.items():
                    if isinstance(item, str):
                        if suspect(item):
                            container[key] = text(item)
                    elif isinstance(item, (list, dict)):
                        pending.append(item)
        return value
