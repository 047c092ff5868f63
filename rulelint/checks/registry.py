"""The explicit, ordered list of every check rulelint runs. Add a check here and nowhere else."""

from __future__ import annotations

from .base import Check

ALL_CHECKS: tuple[type[Check], ...] = ()

CHECKS_BY_ID: dict[str, type[Check]] = {check.id: check for check in ALL_CHECKS}
