"""Reads zones (and their account's rulesets) through a ``CloudflareClient`` into bundle entries.

Every read that fails is recorded as ``{"what", "status", "error"}`` in the zone's
``unreadable`` list, so a part the token cannot see is never mistaken for an empty part. That
includes an answer of an unexpected shape: each read names the shape it needs (shapes.py), and
the client turns a mismatch into an ``ApiError`` like any other failed read.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Callable

from . import endpoints as ep
from . import shapes
from .client import ApiError, CloudflareClient

_ZONE_ID = re.compile(r"^[0-9a-f]{32}$")


class FetchError(Exception):
    """The run cannot go on (bad zone, credentials refused). The message holds no secret."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def unreadable_entry(what: str, error: ApiError, permission: str) -> dict[str, Any]:
    if error.status in (401, 403):
        text = ep.not_readable(permission)
    elif error.status == 404:
        text = ep.ABSENT
    else:
        text = error.message
    return {"what": what, "status": error.status, "error": text}


def is_problem(entry: dict[str, Any]) -> bool:
    """True for parts that exist but could not be read (an absent phase is not a problem)."""
    return entry.get("error") != ep.ABSENT


# ---------------------------------------------------------------------------------------------
# zones


def _zone_failure(name: str, error: ApiError) -> FetchError:
    if error.status in (401, 403):
        return FetchError(
            f"zone {name}: the API refused the credentials (HTTP {error.status}); "
            f"the token needs the permission {ep.ZONE_READ} for this zone"
        )
    if error.status == 404:
        return FetchError(f"zone {name}: not found, or not visible to this token")
    return FetchError(f"zone {name}: {error.message}")


def resolve_zones(client: CloudflareClient, names: list[str], all_zones: bool) -> list[dict[str, Any]]:
    """The zone objects to read: every zone the token sees, or each ``--zone`` (id or name)."""
    zones: list[dict[str, Any]] = []
    seen: set[str] = set()
    if all_zones:
        try:
            found = client.get_all("/zones", "page", 50, shape=shapes.ZONES)
        except ApiError as error:
            raise _zone_failure("list", error) from None
        if not found:
            raise FetchError("--all-zones: the token sees no zones (it needs Zone Read on at least one zone)")
        zones.extend(z for z in found if isinstance(z, dict))
    for name in names:
        name = name.strip().rstrip(".").lower()
        try:
            if _ZONE_ID.match(name):
                zone = client.get_result(f"/zones/{name}", shapes.ZONE)
            else:
                matches = client.get_all("/zones", "page", 50, params={"name": name}, shape=shapes.ZONES)
                zone = next((z for z in matches if isinstance(z, dict) and z.get("name") == name), None)
                if zone is None:
                    raise FetchError(f"zone {name}: not found, or not visible to this token")
        except ApiError as error:
            raise _zone_failure(name, error) from None
        if not isinstance(zone, dict) or not zone.get("id"):
            raise FetchError(f"zone {name}: the API returned no zone object")
        zones.append(zone)
    unique = []
    for zone in zones:
        if zone["id"] not in seen:
            seen.add(zone["id"])
            unique.append(zone)
    return unique


def zone_summary(zone: dict[str, Any]) -> dict[str, Any]:
    plan = zone.get("plan")
    plan_id = None
    if isinstance(plan, dict):
        plan_id = plan.get("legacy_id") or plan.get("name")
    return {"id": zone.get("id"), "name": zone.get("name"), "plan": plan_id, "status": zone.get("status")}


def zone_account_id(zone: dict[str, Any]) -> str | None:
    account = zone.get("account")
    return account.get("id") if isinstance(account, dict) else None


# ---------------------------------------------------------------------------------------------
# one zone


class ZoneReader:
    """Collects one zone entry; its jobs may run in parallel threads."""

    def __init__(self, client: CloudflareClient, zone: dict[str, Any]):
        self.client = client
        self.zone_id = zone["id"]
        self.entry: dict[str, Any] = {
            "zone": zone_summary(zone),
            "rulesets": {"entrypoints": {}, "custom": [], "managed_index": []},
            "page_rules": [],
            "firewall_rules": [],
            "filters": [],
            "access_rules": [],
            "lockdowns": [],
            "ua_rules": [],
            "settings": {},
            "bot_management": None,
            "dns_records": [],
            "unreadable": [],
        }
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        return self.entry["zone"].get("name") or self.zone_id

    def _path(self, tail: str) -> str:
        return f"/zones/{self.zone_id}{tail}"

    def record(self, what: str, error: ApiError, permission: str) -> None:
        with self._lock:
            self.entry["unreadable"].append(unreadable_entry(what, error, permission))

    def jobs(self) -> list[tuple[str, Callable[[], None]]]:
        """(label, callable) per endpoint group, for the progress display and the thread pool."""
        jobs: list[tuple[str, Callable[[], None]]] = [("rulesets", self.read_rulesets)]
        for section in ep.ZONE_SECTIONS:
            jobs.append((section.key, lambda s=section: self.read_section(s)))
        return jobs

    # -- rulesets --------------------------------------------------------------------------

    def read_rulesets(self) -> None:
        rulesets = self.entry["rulesets"]
        entrypoints: dict[str, Any] = rulesets["entrypoints"]
        known: set[str] = set()
        failed_phases: set[str] = set()
        try:
            listing = self.client.get_all(self._path("/rulesets"), "cursor", shape=shapes.RULESET_LIST)
        except ApiError as error:
            self.record("rulesets", error, ep.RULESETS_LIST_PERMISSION)
            listing = []
        for item in listing:
            if not isinstance(item, dict) or not item.get("id"):
                continue
            kind, phase, rid = item.get("kind"), item.get("phase"), item["id"]
            known.add(rid)
            if kind == "managed":
                rulesets["managed_index"].append(item)
                continue
            if kind not in ("zone", "custom"):
                continue
            try:
                full = self.client.get_result(self._path(f"/rulesets/{rid}"), shapes.RULESET)
            except ApiError as error:
                what = f"rulesets:{phase}" if kind == "zone" else f"rulesets:{rid}"
                self.record(what, error, ep.phase_permission(phase))
                failed_phases.add(phase or "")
                continue
            if kind == "zone" and phase:
                entrypoints[phase] = full
            else:
                rulesets["custom"].append(full)
        for phase in ep.SECURITY_PHASES:
            if phase in entrypoints or phase in failed_phases:
                continue
            try:
                entrypoints[phase] = self.client.get_result(self._path(f"/rulesets/phases/{phase}/entrypoint"),
                                                            shapes.RULESET)
            except ApiError as error:
                self.record(f"rulesets:{phase}", error, ep.phase_permission(phase))
        self._read_executed(known)

    def _read_executed(self, known: set[str]) -> None:
        """Rulesets executed by an entry point that the list did not show (custom ones)."""
        rulesets = self.entry["rulesets"]
        for phase, ruleset in list(rulesets["entrypoints"].items()):
            for rule in ruleset.get("rules") or []:
                params = rule.get("action_parameters")
                if rule.get("action") != "execute" or not isinstance(params, dict):
                    continue
                rid = params.get("id")
                if not isinstance(rid, str) or rid in known:
                    continue
                known.add(rid)
                try:
                    full = self.client.get_result(self._path(f"/rulesets/{rid}"), shapes.RULESET)
                except ApiError as error:
                    self.record(f"rulesets:{rid}", error, ep.phase_permission(phase))
                    continue
                if not isinstance(full, dict):
                    continue
                if full.get("kind") == "managed":
                    rulesets["managed_index"].append({k: v for k, v in full.items() if k != "rules"})
                else:
                    rulesets["custom"].append(full)

    # -- the other sections ----------------------------------------------------------------

    def read_section(self, section: ep.Section) -> None:
        try:
            if section.key == "bot_management":
                self.entry["bot_management"] = self.client.get_result(self._path(section.path), shapes.OBJECT)
            elif section.key == "settings":
                self.entry["settings"] = self._read_settings(section)
            else:
                self.entry[section.key] = self.client.get_all(
                    self._path(section.path), section.paging, section.per_page
                )
        except ApiError as error:
            self.record(section.key, error, section.permission)

    def _read_settings(self, section: ep.Section) -> dict[str, Any]:
        try:
            items = self.client.get_all(self._path(section.path), "none", shape=shapes.SETTINGS)
        except ApiError as error:
            if error.status not in (400, 404, 405):
                raise
            items = self._read_settings_one_by_one(section)
        return {item["id"]: item for item in items}

    def _read_settings_one_by_one(self, section: ep.Section) -> list[dict[str, Any]]:
        items = []
        for setting_id in ep.SECURITY_SETTING_IDS:
            try:
                item = self.client.get_result(self._path(f"{section.path}/{setting_id}"), shapes.SETTING)
            except ApiError as error:
                if error.status == 404:
                    continue  # the setting does not exist on this plan
                self.record(f"settings:{setting_id}", error, section.permission)
                continue
            if isinstance(item, dict):
                items.append(item)
        return items


# ---------------------------------------------------------------------------------------------
# the account


def read_account(client: CloudflareClient, account_id: str, name: str | None = None) -> tuple[dict[str, Any], list[dict]]:
    """The account's phase entry points (kind ``root``), the custom rulesets they execute, and
    its IP Access Rules, plus ``unreadable`` entries for what the token may not read."""
    account: dict[str, Any] = {"id": account_id, "name": name, "rulesets": [], "access_rules": []}
    problems: list[dict[str, Any]] = []
    base = f"/accounts/{account_id}"
    try:
        listing = client.get_all(f"{base}/rulesets", "cursor", shape=shapes.RULESET_LIST)
    except ApiError as error:
        problems.append(unreadable_entry("account:rulesets", error, ep.ACCOUNT_RULESETS_PERMISSION))
        listing = []
    wanted = [i for i in listing if isinstance(i, dict) and i.get("kind") == "root" and i.get("id")]
    fetched: set[str] = set()
    while wanted:
        item = wanted.pop(0)
        rid = item["id"]
        if rid in fetched:
            continue
        fetched.add(rid)
        try:
            full = client.get_result(f"{base}/rulesets/{rid}", shapes.RULESET)
        except ApiError as error:
            what = f"account:rulesets:{item.get('phase') or rid}"
            problems.append(unreadable_entry(what, error, ep.ACCOUNT_RULESETS_PERMISSION))
            continue
        if not isinstance(full, dict):
            continue
        account["rulesets"].append(full)
        for rule in full.get("rules") or []:
            params = rule.get("action_parameters")
            if rule.get("action") == "execute" and isinstance(params, dict):
                target = params.get("id")
                listed = next((i for i in listing if isinstance(i, dict) and i.get("id") == target), None)
                # Managed rulesets are Cloudflare's; only custom account rulesets are read.
                if isinstance(target, str) and (listed is None or listed.get("kind") == "custom"):
                    wanted.append({"id": target, "phase": full.get("phase")})
    account["rulesets"] = [r for r in account["rulesets"] if r.get("kind") != "managed"]
    try:
        account["access_rules"] = client.get_all(f"{base}/firewall/access_rules/rules", "page", 100)
    except ApiError as error:
        problems.append(unreadable_entry("account:access_rules", error, ep.ACCOUNT_ACCESS_RULES_PERMISSION))
    return account, problems


def run_jobs(jobs: list[tuple[str, str, Callable[[], None]]], concurrency: int,
             advance: Callable[[str, str], None]) -> None:
    """Run (zone label, job label, callable) jobs on ``concurrency`` daemon threads.

    Daemon threads, joined with a timeout, so Ctrl-C reaches the main thread at once and an
    interrupted run exits without waiting for requests still in flight.
    """
    pending = list(jobs)
    lock = threading.Lock()
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            with lock:
                if not pending:
                    return
                zone, label, call = pending.pop(0)
            try:
                call()
            except BaseException as exc:  # handed to the main thread
                errors.append(exc)
                stop.set()
                return
            finally:
                advance(zone, label)

    threads = [threading.Thread(target=worker, name="rulelint-fetch", daemon=True)
               for _ in range(max(1, min(concurrency, len(pending))))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.1)
    except BaseException:
        stop.set()
        raise
    if errors:
        raise errors[0]
