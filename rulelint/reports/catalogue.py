"""What rulelint knows about each check id: severity, one-line summary, doc page.

The registry holds the checks that look at zones; a few ids are reported by the reading and
suppression machinery instead. They are listed here too (unless a registered check already
owns the id) so `rulelint rules`, SARIF rule metadata and `explain` cover every id a user can see.
"""

from __future__ import annotations

from ..findings import META_CHECKS, META_IDS, CheckInfo  # noqa: F401 (re-exported)
from ..resources import doc_page, doc_path, first_paragraph  # noqa: F401 (re-exported)


def catalogue() -> dict[str, CheckInfo]:
    """Every check id, registry order first, then the meta ids."""
    from ..checks.registry import ALL_CHECKS

    known: dict[str, CheckInfo] = {}
    for check in ALL_CHECKS:
        known[check.id] = CheckInfo(
            check.id, check.severity, check.summary, getattr(check, "security", check.id not in META_IDS)
        )
    for info in META_CHECKS:
        known.setdefault(info.id, info)
    return known
