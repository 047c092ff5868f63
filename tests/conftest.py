"""What every test folder shares: the reference material in ``../shared`` and what happens
when it is not there.

``../shared`` (the expression corpus, the recorded Cloudflare API responses, the spec) sits
beside every checkout on the team's machines and in CI, but not beside a fresh clone. Tests that
read it get its paths from ``shared_path``, which skips them with a visible reason when it is
absent, so the suite passes on a fresh clone. CI sets ``RULELINT_REQUIRE_SHARED=1`` (``.ci/run``):
then its absence stops the run as a failure, so those tests can never be skipped unnoticed.

Import from test modules with ``from conftest import shared_path`` (pytest puts ``tests/`` on
``sys.path`` for this file).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_MISSING = "../shared is not beside this checkout"
REQUIRE_SHARED = "RULELINT_REQUIRE_SHARED"


def shared_is_present() -> bool:
    return SHARED.is_dir()


def shared_path(*parts: str) -> Path:
    """``../shared/<parts>``; when ``../shared`` is absent, skips the calling test (or, at
    import time, the whole module) with the reason ``SHARED_MISSING``."""
    if not shared_is_present():
        pytest.skip(SHARED_MISSING, allow_module_level=True)
    return SHARED.joinpath(*parts)


#: For a test that reads ../shared through data computed at import time (a parameter list).
needs_shared = pytest.mark.skipif(not shared_is_present(), reason=SHARED_MISSING)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(REQUIRE_SHARED) == "1" and not shared_is_present():
        raise pytest.UsageError(f"{SHARED_MISSING} ({SHARED}), and {REQUIRE_SHARED}=1 requires it")
