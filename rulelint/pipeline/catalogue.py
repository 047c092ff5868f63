"""Every finding id a user can see: the registered checks, in registry order, then the ids the
reading, suppression and pipeline machinery report (``findings.META_CHECKS``). The reports,
`rulelint rules`, `explain` and the configuration's id validation all use this one list."""

from __future__ import annotations

from ..checks.registry import ALL_CHECKS
from ..findings import META_CHECKS, META_IDS, CheckInfo


def catalogue() -> dict[str, CheckInfo]:
    known: dict[str, CheckInfo] = {}
    for check in ALL_CHECKS:
        known[check.id] = CheckInfo(
            check.id, check.severity, check.summary, getattr(check, "security", check.id not in META_IDS)
        )
    for info in META_CHECKS:
        known.setdefault(info.id, info)
    return known
