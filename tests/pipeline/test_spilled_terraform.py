"""Terraform zones are kept compressed until each is checked (``readers.spilled_zones``): a run
holds one zone's model at a time plus compressed bytes. Users must see exactly what reading the
model whole gives: findings, positions, comment and description suppressions, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulelint.pipeline import Settings, run
from rulelint.readers import read_paths, spilled_zones

MAIN = '''
variable "zone_ids" {
  default = { shop = "023e105f4ecef8ad9ca31a8372d0c353", blog = "123e105f4ecef8ad9ca31a8372d0c353" }
}

resource "cloudflare_zone" "shop" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  zone       = "shop.example"
}

# rulelint: ignore[broad-skip] the payment provider's webhooks come from addresses it does not publish
resource "cloudflare_ruleset" "shop_custom" {
  zone_id = var.zone_ids["shop"]
  name    = "custom"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules {
    action      = "skip"
    expression  = "(http.request.uri.path contains \\"/webhook\\")"
    description = "payment webhooks"
    action_parameters {
      ruleset = "current"
    }
  }
  rules {
    action     = "block"
    expression = "(http.request.uri.path eq)"
  }
}

resource "cloudflare_page_rule" "blog_off" {
  zone_id = var.zone_ids["blog"]
  target  = "*blog.example/*"
  actions {
    disable_security = true
  }
}

resource "cloudflare_record" "api" {
  zone_id = cloudflare_zone.shop.id
  name    = "api"
  type    = "A"
  content = "192.0.2.10"
  proxied = false
}

resource "cloudflare_filter" "legacy" {
  zone_id    = var.zone_ids["blog"]
  expression = "(http.request.uri.path contains \\"/wp-admin\\")"
}

resource "cloudflare_firewall_rule" "legacy" {
  zone_id   = var.zone_ids["blog"]
  filter_id = cloudflare_filter.legacy.id
  action    = "bypass"
  products  = ["waf"]
}

resource "cloudflare_ruleset" "account_root" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  name       = "root"
  kind       = "root"
  phase      = "http_request_firewall_custom"
  rules {
    action     = "skip"
    expression = "(cf.zone.name eq \\"shop.example\\" and http.request.uri.path contains \\"/hook\\")"
    action_parameters {
      ruleset = "current"
    }
  }
}

resource "cloudflare_zone_settings_override" "blog" {
  zone_id = var.zone_ids["blog"]
  settings {
    security_level = "essentially_off"
    ssl            = "flexible"
  }
}
'''

# Resources that name no zone, beside exactly one zone: the whole read merges them into it.
UNNAMED = '''
resource "cloudflare_zone" "only" {
  account_id = "f037e56e89293a057740de681ac9abbe"
  zone       = "only.example"
}

resource "cloudflare_ruleset" "named" {
  zone_id = cloudflare_zone.only.id
  name    = "custom"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules {
    action = "skip"
    expression = "true"
    action_parameters {
      ruleset = "current"
    }
  }
}

resource "cloudflare_ruleset" "unnamed" {
  zone_id = var.somewhere
  name    = "more"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules {
    action = "skip"
    expression = "(http.request.uri.path contains \\"/x\\")"
    action_parameters {
      ruleset = "current"
    }
  }
}

variable "somewhere" {}
'''


@pytest.fixture(autouse=True)
def spill_every_input(monkeypatch):
    """Only large inputs are spilled in a real run; here every one is."""
    monkeypatch.setattr(spilled_zones, "SPILL_MIN_CHARS", 0)


def _seen(result) -> tuple:
    return (result.findings, result.suppressed, result.rule_count, result.files, result.usable,
            result.exit_code("warning"))


def _whole(monkeypatch, path: Path):
    with monkeypatch.context() as patched:
        patched.setattr(spilled_zones, "SpilledZones", lambda: None)
        return run([str(path)], Settings(), jobs=1)


@pytest.mark.parametrize("text", [MAIN, UNNAMED], ids=["several zones", "resources naming no zone"])
def test_spilled_terraform_reports_what_the_whole_read_does(tmp_path, monkeypatch, text):
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    read = read_paths([str(tmp_path)], stream=True)
    assert any(read.stream.holds(zone) for zone in read.configuration.zones)
    assert not any(zone.rulesets or zone.page_rules for zone in read.configuration.zones if read.stream.holds(zone))
    spilled = run([str(tmp_path)], Settings(), jobs=1)
    assert _seen(spilled) == _seen(_whole(monkeypatch, tmp_path))


def test_markers_and_cross_zone_objects_survive_the_spill(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    result = run([str(tmp_path)], Settings(), jobs=1)
    # The comment marker above the spilled ruleset still suppresses its finding.
    shop, blog = "023e105f4ecef8ad9ca31a8372d0c353", "123e105f4ecef8ad9ca31a8372d0c353"
    assert [(f.check, f.location.zone, reason) for f, reason in result.suppressed] == [
        ("broad-skip", shop, "the payment provider's webhooks come from addresses it does not publish")]
    # Spilled objects of every kind (ruleset, page rule, settings, DNS record named relative to
    # its zone), the account rule linked to shop.example, the Firewall Rule with its filter.
    assert [(f.check, f.location.zone, f.location.line) for f in result.findings] == [
        ("invalid-expression", shop, 27), ("page-rule-waf-off", blog, 35), ("dns-only-host", "shop.example", 39),
        ("broad-skip", blog, 49), ("undocumented-exception", blog, 52), ("undocumented-exception", "shop.example", 64),
        ("broad-skip", "shop.example", 66), ("zone-setting-off", blog, 76), ("ssl-downgrade", blog, 77)]
    assert result.rule_count == 5
    assert not any(zone.rulesets or zone.settings or zone.dns_records for zone in result.configuration.zones)
