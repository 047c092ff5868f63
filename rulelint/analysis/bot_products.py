"""Which bot product a zone can use instead of Bot Fight Mode, from its plan and from the
shape of its Bot Management settings.

Cloudflare's bot products (bots/get-started/super-bot-fight-mode, bots/plans/biz-and-ent):
Bot Fight Mode is the Free plan's switch; Super Bot Fight Mode comes with Pro, Business and
Enterprise (an Enterprise zone without the Bot Management add-on has Business's SBFM); Bot
Management is an Enterprise add-on that replaces both, and only with it do the
``cf.bot_management.*`` fields exist. Whether a zone has Bot Management is read from its
Bot Management settings (keys only that subscription returns), never guessed from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Zone

# Settings the bot_management endpoint returns only to a zone with the Bot Management
# subscription (see export-formats.md, 4.2).
BOT_MANAGEMENT_KEYS = frozenset({"auto_update_model", "suppress_session_score", "bm_cookie_enabled"})

# The first word of a plan as exported ("Pro Website", "enterprise") -> its tier.
_TIERS = {"free": "free", "pro": "pro", "business": "business", "enterprise": "enterprise"}


@dataclass(frozen=True, slots=True)
class BotProducts:
    """``tier``: ``free``, ``pro``, ``business``, ``enterprise`` or None when the plan is not
    known; ``bot_management``: the zone has the Bot Management add-on."""

    tier: str | None
    bot_management: bool

    @property
    def has_super_bot_fight_mode(self) -> bool | None:
        """True on Pro and above without Bot Management, False on Free or with Bot Management,
        None when the plan is not known."""
        if self.bot_management:
            return False
        if self.tier is None:
            return None
        return self.tier != "free"


def bot_products(zone: Zone) -> BotProducts:
    bots = zone.bot_management
    raw = bots.raw if bots is not None and isinstance(bots.raw, dict) else {}
    has_bot_management = any(key in raw for key in BOT_MANAGEMENT_KEYS)
    return BotProducts(plan_tier(zone.plan), has_bot_management)


def plan_tier(plan: str | None) -> str | None:
    words = plan.lower().split() if isinstance(plan, str) else []
    return _TIERS.get(words[0]) if words else None
