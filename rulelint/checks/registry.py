"""The explicit, ordered list of every check rulelint runs. Add a check here and nowhere else."""

from __future__ import annotations

from .base import Check
from .bot_fight_mode_api import BotFightModeApi
from .broad_skip import BroadSkip
from .invalid_expression import InvalidExpression
from .missing_ip_scope import MissingIpScope
from .page_rule_waf_off import PageRuleWafOff

ALL_CHECKS: tuple[type[Check], ...] = (
    InvalidExpression,
    BroadSkip,
    MissingIpScope,
    PageRuleWafOff,
    BotFightModeApi,
)

CHECKS_BY_ID: dict[str, type[Check]] = {check.id: check for check in ALL_CHECKS}
