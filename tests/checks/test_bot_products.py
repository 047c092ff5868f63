"""Bot advice follows the zone's bot products (bots/get-started/super-bot-fight-mode,
bots/plans/biz-and-ent): Bot Management is read from the Bot Management settings, not from the
plan, and the Super Bot Fight Mode skip rulelint suggests is not itself a broad skip."""

from pathlib import Path

import pytest

from rulelint.analysis.bot_products import bot_products, plan_tier
from rulelint.pipeline.engine import analyse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "checks" / "bot-fight-mode-api"


@pytest.mark.parametrize(
    "plan, tier",
    [("free", "free"), ("Pro Website", "pro"), ("Business Website", "business"),
     ("enterprise", "enterprise"), ("", None), (None, None), ("partner", None)],
)
def test_plan_tier(plan, tier):
    assert plan_tier(plan) == tier


def _finding(case: str, name: str = "api.json"):
    analysis = analyse([str(FIXTURES / case / name)], select=["bot-fight-mode-api"])
    (finding,) = analysis.findings
    return finding


def test_enterprise_without_bot_management_gets_no_bot_management_fields():
    finding = _finding("enterprise-sbfm-api-paths")
    assert "cf.bot_management" not in finding.suggestion.expression
    assert finding.suggestion.action_parameters == {"phases": ["http_request_sbfm"]}


def test_bot_management_is_read_from_the_settings_not_the_plan():
    finding = _finding("bot-management-api-host", "v5.tf")
    assert finding.suggestion.expression.endswith("and not cf.bot_management.verified_bot")


def test_free_plan_is_told_super_bot_fight_mode_needs_pro():
    finding = _finding("free-plan-api-host")
    assert "needs the Pro plan or above" in finding.message
    assert finding.suggestion is None


@pytest.mark.parametrize("name", ["api.json", "v5.tf"])
def test_the_suggested_super_bot_fight_mode_skip_is_not_a_broad_skip_error(name):
    """sbfm-skip-ok holds the skip rulelint suggests for api-host, as written by a user. Its
    traffic is narrow (host and source); a custom rule can only skip the whole
    http_request_sbfm phase, which broad-skip reports as a warning, never an error."""
    suggested = _finding("api-host").suggestion.expression
    case = FIXTURES / "sbfm-skip-ok" / name
    assert suggested.replace('"', '\\"') in case.read_text(encoding="utf-8")
    analysis = analyse([str(case)], select=["broad-skip", "missing-ip-scope"])
    assert [(f.check, f.severity) for f in analysis.findings] == [("broad-skip", "warning")]


def test_the_suggestion_says_the_skip_also_skips_block_ai_bots():
    assert "Block AI bots" in _finding("api-host").suggestion.note


def test_products_of_a_zone_without_bot_settings():
    from rulelint.model import Zone

    products = bot_products(Zone.trusted(plan="pro"))
    assert products.tier == "pro" and not products.bot_management
    assert products.has_super_bot_fight_mode is True
