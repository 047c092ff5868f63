"""Where the API credentials come from, and how they are kept out of every output.

The secret lives only in ``Credentials``; its ``repr`` is redacted, and every message rulelint
prints passes through ``Credentials.redact`` (see ``redact.py``) as a last line of defence.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Mapping

from .redact import Redactor

# Header values must be visible ASCII without spaces; anything else is not a token (and httpx
# would otherwise raise an error that might quote the value).
_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")


class CredentialsError(Exception):
    """No usable credentials. The message never contains a secret."""


@dataclass(frozen=True)
class Credentials:
    token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    email: str | None = None
    source: str = ""  # where they came from, for messages: "CLOUDFLARE_API_TOKEN", "--token-file"

    def __repr__(self) -> str:
        kind = "token" if self.token else "api-key"
        return f"Credentials({kind}=<redacted>, source={self.source!r})"

    __str__ = __repr__

    @property
    def legacy(self) -> bool:
        return self.token is None

    def headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        return {"X-Auth-Email": self.email or "", "X-Auth-Key": self.api_key or ""}

    def secrets(self) -> list[str]:
        return [s for s in (self.token, self.api_key) if s]

    def redactor(self) -> Redactor:
        return Redactor(self.secrets())

    def redact(self, text: str) -> str:
        return self.redactor().text(text)


def _check(value: str, what: str) -> str:
    if not _TOKEN_CHARS.match(value):
        raise CredentialsError(f"{what} does not hold a valid value (expected one line without spaces)")
    return value


def read_token_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(65536)
    except FileNotFoundError:
        raise CredentialsError(f"--token-file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a readable text file"
        raise CredentialsError(f"--token-file {path}: {reason}") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        raise CredentialsError(f"--token-file {path} must hold exactly one line: the API token")
    return _check(lines[0], f"--token-file {path}")


def resolve_credentials(token_file: str | None, environ: Mapping[str, str] | None = None) -> Credentials:
    """``--token-file``, else ``CLOUDFLARE_API_TOKEN``, else ``CLOUDFLARE_API_KEY`` + ``CLOUDFLARE_EMAIL``."""
    env = os.environ if environ is None else environ
    if token_file:
        return Credentials(token=read_token_file(token_file), source="--token-file")
    token = env.get("CLOUDFLARE_API_TOKEN", "").strip()
    if token:
        return Credentials(token=_check(token, "CLOUDFLARE_API_TOKEN"), source="CLOUDFLARE_API_TOKEN")
    key = env.get("CLOUDFLARE_API_KEY", "").strip()
    email = env.get("CLOUDFLARE_EMAIL", "").strip()
    if key and email:
        return Credentials(
            api_key=_check(key, "CLOUDFLARE_API_KEY"),
            email=_check(email, "CLOUDFLARE_EMAIL"),
            source="CLOUDFLARE_API_KEY",
        )
    if key:
        raise CredentialsError("CLOUDFLARE_API_KEY is set but CLOUDFLARE_EMAIL is not; both are needed")
    raise CredentialsError(
        "no Cloudflare credentials: set CLOUDFLARE_API_TOKEN (a read-only API token) or pass --token-file"
    )
