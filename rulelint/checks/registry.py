"""The explicit, ordered list of every check rulelint runs. Add a check here and nowhere else.

Order: what the language layer says about each expression, then the risk checks, then what
could not be read at all."""

from __future__ import annotations

from .base import Check
from .bot_fight_mode_api import BotFightModeApi
from .broad_skip import BroadSkip
from .constant_condition import ConstantCondition
from .deprecated_field import DeprecatedField
from .dns_only_host import DnsOnlyHost
from .expression_warning import ExpressionWarning
from .ineffective_exception import IneffectiveException
from .invalid_expression import InvalidExpression
from .invalid_rule import InvalidRule
from .ip_access_allow import IpAccessAllow
from .managed_rules_coverage import ManagedRulesCoverage
from .missing_ip_scope import MissingIpScope
from .no_rate_limit import NoRateLimit
from .page_rule_waf_off import PageRuleWafOff
from .shadowed_rule import ShadowedRule
from .spoofable_scope import SpoofableScope
from .ssl_downgrade import SslDowngrade
from .undocumented_exception import UndocumentedException
from .unreadable_part import UnreadablePart
from .zone_setting_off import ZoneSettingOff

ALL_CHECKS: tuple[type[Check], ...] = (
    InvalidExpression,
    InvalidRule,
    DeprecatedField,
    ExpressionWarning,
    BroadSkip,
    MissingIpScope,
    PageRuleWafOff,
    BotFightModeApi,
    SslDowngrade,
    DnsOnlyHost,
    NoRateLimit,
    UnreadablePart,
    ShadowedRule,
    IneffectiveException,
    UndocumentedException,
    SpoofableScope,
    ConstantCondition,
    IpAccessAllow,
    ManagedRulesCoverage,
    ZoneSettingOff,
)

CHECKS_BY_ID: dict[str, type[Check]] = {check.id: check for check in ALL_CHECKS}
