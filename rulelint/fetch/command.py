"""`rulelint fetch` and `rulelint check --zone`: turn parsed arguments into a fetched bundle.

Every message goes through ``Credentials.redact`` before it is printed; tracebacks are never
printed (``--verbose`` prints the exception type and the redacted message instead).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from . import endpoints as ep
from .auth import Credentials, CredentialsError, resolve_credentials
from .bundle import bundle_document, dumps, empty_account, write_atomic
from .client import DEFAULT_BASE_URL, CloudflareClient
from .collect import FetchError, ZoneReader, is_problem, read_account, resolve_zones, run_jobs, zone_account_id
from .progress import Progress, wanted

EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2


@dataclass
class FetchResult:
    document: dict[str, Any]
    problems: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (zone, unreadable)
    requests: int = 0


def _say(text: str, credentials: Credentials | None = None) -> None:
    if credentials is not None:
        text = credentials.redact(text)
    print(f"rulelint fetch: {text}", file=sys.stderr, flush=True)


def base_url(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    url = (getattr(args, "api_url", None) or environ.get("CLOUDFLARE_BASE_URL") or DEFAULT_BASE_URL).strip()
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"--api-url / CLOUDFLARE_BASE_URL must start with https:// (got {url!r})")
    return url.rstrip("/")


def _zones_wanted(args: argparse.Namespace) -> tuple[list[str], bool]:
    names = [z for z in (getattr(args, "zone", None) or []) if z and z.strip()]
    all_zones = bool(getattr(args, "all_zones", False))
    if not names and not all_zones:
        raise FetchError("say which zones to read: --zone NAME_OR_ID (repeatable) or --all-zones")
    return names, all_zones


def fetch(args: argparse.Namespace, environ: Mapping[str, str] | None = None,
          transport: Any = None, sleep: Callable[[float], None] | None = None) -> FetchResult:
    """Read the zones ``args`` name into a bundle document. Raises ``FetchError``."""
    env = os.environ if environ is None else environ
    names, all_zones = _zones_wanted(args)
    try:
        credentials = resolve_credentials(getattr(args, "token_file", None), env)
    except CredentialsError as exc:
        raise FetchError(str(exc)) from None
    url = base_url(args, env)
    verbose = bool(getattr(args, "verbose", False))
    timeout = float(getattr(args, "timeout", None) or 30.0)
    concurrency = max(1, min(int(getattr(args, "concurrency", None) or 4), 16))
    log = (lambda line: _say(line, credentials)) if verbose else None
    if credentials.legacy:
        _say("using the legacy Global API Key (CLOUDFLARE_API_KEY); a read-only API token is safer")
    if verbose:
        _say(f"API {url}, credentials from {credentials.source}, timeout {timeout:g}s, concurrency {concurrency}")
    extra: dict[str, Any] = {"transport": transport} if transport is not None else {}
    if sleep is not None:
        extra["sleep"] = sleep
    progress = Progress(wanted(verbose))
    with CloudflareClient(credentials, url, timeout=timeout, concurrency=concurrency, log=log, **extra) as client:
        zones = resolve_zones(client, names, all_zones)
        readers = [ZoneReader(client, zone) for zone in zones]
        jobs = [(r.label, label, call) for r in readers for label, call in r.jobs()]
        account_id = getattr(args, "account", None) or env.get("CLOUDFLARE_ACCOUNT_ID") or next(
            (a for a in (zone_account_id(z) for z in zones) if a), None)
        account_name = next((z["account"].get("name") for z in zones
                             if zone_account_id(z) == account_id and isinstance(z.get("account"), dict)), None)
        account = empty_account(account_id, account_name)
        account_problems: list[dict[str, Any]] = []

        def read_the_account() -> None:
            nonlocal account, account_problems
            account, account_problems = read_account(client, account_id, account_name)

        if account_id:
            jobs.append(("account", "rulesets", read_the_account))
        progress.start(len(jobs), len(zones))
        try:
            run_jobs(jobs, concurrency, progress.advance)
        finally:
            progress.stop()
        entries = []
        for reader in readers:
            entry = reader.entry
            zone_account = zone_account_id({"account": zones[readers.index(reader)].get("account")})
            if zone_account in (None, account_id):
                entry["unreadable"].extend(dict(p) for p in account_problems)
            else:
                entry["unreadable"].append({
                    "what": "account:rulesets", "status": None,
                    "error": f"not in this bundle: the zone belongs to account {zone_account}; "
                             f"fetch that account's zones separately",
                })
            entry["unreadable"].sort(key=lambda u: u["what"])
            entries.append(entry)
        document = bundle_document(entries, account)
        problems = [(e["zone"].get("name") or e["zone"]["id"], u) for e in entries for u in e["unreadable"]
                    if is_problem(u)]
        return FetchResult(document, problems, client.request_count)


def _report_problems(result: FetchResult, secrets: Credentials) -> None:
    for zone, part in result.problems:
        _say(f"warning: {zone}: {part['what']}: {part['error']}", secrets)


def main(args: argparse.Namespace, environ: Mapping[str, str] | None = None, transport: Any = None,
         sleep: Callable[[float], None] | None = None) -> int:
    """`rulelint fetch`: 0 everything read, 1 some parts unreadable, 2 usage/auth/API error."""
    output = getattr(args, "output", None) or "-"
    verbose = bool(getattr(args, "verbose", False))
    secrets = _secrets_for_redaction(args, environ)
    try:
        result = fetch(args, environ, transport=transport, sleep=sleep)
        write_atomic(output, dumps(result.document))
    except FetchError as exc:
        _say(f"error: {secrets.redact(str(exc))}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("interrupted; " + ("nothing written" if output == "-" else f"{output} left unchanged"))
        return 130
    except OSError as exc:
        _say(f"error: cannot write {output}: {exc.strerror or type(exc).__name__}; the previous file is unchanged")
        return EXIT_ERROR
    except Exception as exc:  # never a traceback: it could show locals or headers
        detail = secrets.redact(str(exc)) if verbose else ""
        _say(f"internal error: {type(exc).__name__}" + (f": {detail}" if detail else "")
             + ("" if output == "-" else f"; {output} left unchanged"))
        return EXIT_ERROR
    _report_problems(result, secrets)
    zones = len(result.document["zones"])
    where = "stdout" if output == "-" else output
    _say(f"wrote {where}: {zones} zone(s), {result.requests} request(s)"
         + (f", {len(result.problems)} part(s) not readable" if result.problems else ""))
    return EXIT_PARTIAL if result.problems else EXIT_OK


def fetch_bundle(args: argparse.Namespace, environ: Mapping[str, str] | None = None,
                 transport: Any = None) -> dict[str, Any]:
    """The bundle document for `rulelint check --zone`. On a usage/auth/API error it prints
    the (redacted) message on stderr and raises ``SystemExit(2)``."""
    secrets = _secrets_for_redaction(args, environ)
    try:
        result = fetch(args, environ, transport=transport)
    except FetchError as exc:
        _say(f"error: {secrets.redact(str(exc))}")
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:
        _say(f"internal error: {type(exc).__name__}")
        raise SystemExit(EXIT_ERROR) from None
    _report_problems(result, secrets)
    return result.document


def _secrets_for_redaction(args: argparse.Namespace, environ: Mapping[str, str] | None) -> Credentials:
    """Whatever secrets are configured, for redacting messages even when resolving them failed."""
    env = os.environ if environ is None else environ
    token = env.get("CLOUDFLARE_API_TOKEN", "").strip() or None
    key = env.get("CLOUDFLARE_API_KEY", "").strip() or None
    path = getattr(args, "token_file", None)
    if path:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(65536).strip()
            token = text or token
        except OSError:
            pass
    return Credentials(token=token, api_key=key, source="redaction")


def permissions_text() -> str:
    return ", ".join(ep.all_permissions())
