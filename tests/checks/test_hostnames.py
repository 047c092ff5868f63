"""Zone hostnames: DNS names written relative to the zone (Terraform) become full names."""

from rulelint.analysis.hostnames import zone_hostnames
from rulelint.model import DnsRecord, Origin, Zone


def _zone(name, *records):
    origin = Origin(file="x.tf")
    return Zone(name=name, dns_records=[DnsRecord(name=n, type="A", proxied=True, origin=origin) for n in records])


def test_relative_and_apex_names_are_qualified_with_the_zone_name():
    zone = _zone("Example.com", "api", "@", "www.example.com.", "hooks.example.com")
    assert zone_hostnames(zone) == ["api.example.com", "example.com", "hooks.example.com", "www.example.com"]


def test_relative_names_stay_out_when_the_zone_name_is_unknown():
    assert zone_hostnames(_zone(None, "api", "blog.example.com")) == ["blog.example.com"]
