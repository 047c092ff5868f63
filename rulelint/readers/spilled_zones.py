"""Zones read from Terraform, kept compressed until each is checked.

Terraform cannot be read one zone at a time the way a bundle is (``bundle_stream``): a zone's
resources can be in any file of a module, and its name in another resource. So every resource
is still read and built, file by file, but the model objects a zone owns are pickled and
compressed as soon as they are built (about a twentieth of their size in memory), filed under
their zone once every zone is known, and turned back into objects just before the zone is
checked (``fill``), in the order they were read; ``empty`` lets them go again afterwards.
It takes the peak memory of 100,000 rules from about 400 MB to about 200 MB, and costs about
0.12 s of reading per 1,000 rules (pickling and compressing), so only large inputs are spilled.

What crosses zones stays as it is read: account rulesets and access rules, Firewall Rules and
the filters they point to, and everything of the zone that names no zone.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import zlib
from typing import TYPE_CHECKING, Any

from ..model.sources import SourceFile

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Zone

# From this many characters of Terraform text (about 16,000 rules), zones are spilled.
SPILL_MIN_CHARS = 8_000_000

# The zone list the objects of each resource type go into (``add_to_zone``).
_LISTS = {
    "cloudflare_ruleset": "rulesets", "cloudflare_page_rule": "page_rules", "cloudflare_access_rule": "access_rules",
    "cloudflare_zone_lockdown": "lockdowns", "cloudflare_user_agent_blocking_rule": "ua_rules",
    "cloudflare_record": "dns_records", "cloudflare_dns_record": "dns_records",
    "cloudflare_filter": "filters", "cloudflare_firewall_rule": "firewall_rules",
}
_SETTINGS = ("cloudflare_zone_settings_override", "cloudflare_zone_setting")
# What is spilled: not Firewall Rules and filters (they point at each other across resources).
SPILLED_TYPES = frozenset(_LISTS) - {"cloudflare_filter", "cloudflare_firewall_rule"} | {
    "cloudflare_bot_management", *_SETTINGS}


def add_to_zone(zone: Zone, resource_type: str, model_object, record_name: str | None = None) -> None:
    """File one object built from a resource of ``resource_type`` into ``zone`` (a setting is a
    (setting id, Setting) pair; ``record_name`` is a DNS record's name as written, qualified by
    the zone's name here)."""
    from .shapes import qualified_record_name

    if resource_type in _LISTS:
        if record_name is not None:
            model_object.name = qualified_record_name(record_name, zone.name)
        getattr(zone, _LISTS[resource_type]).append(model_object)
    elif resource_type == "cloudflare_bot_management":
        zone.bot_management = model_object
    elif resource_type in _SETTINGS:
        setting_id, setting = model_object
        zone.settings[setting_id] = setting


def _shared_source(token: int) -> SourceFile:
    """Stands in a pickle for an input text; ``_Unpickler`` gives the one it names."""
    raise RuntimeError("input texts are unpacked by SpilledZones only")


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, shared: dict[int, SourceFile]) -> None:
        super().__init__(stream)
        self._shared = shared

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_shared_source":
            return self._shared.__getitem__
        return super().find_class(module, name)


class SpilledZones:
    """Compressed model objects by zone; the ``ZoneStream`` interface of the pipeline."""

    def __init__(self) -> None:
        # Input texts are shared, never copied into a pickle: they are referred to by number.
        self._shared: dict[int, SourceFile] = {}
        self._filed: dict[int, list[tuple[str, Any, bytes]]] = {}  # id(zone) -> (type, extra, blob)
        self._weights: dict[int, int] = {}
        self._dispatch = {**copyreg.dispatch_table, SourceFile: self._reduce_source}

    # -- while reading ------------------------------------------------------------------------
    def pack(self, objects: list) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        # Only input texts are pickled differently; a dispatch table is consulted in C, where a
        # persistent_id method would be a Python call for each of the objects (a fifth of the
        # reading time at 1,000 rules).
        pickler.dispatch_table = self._dispatch
        pickler.dump(objects)
        return zlib.compress(buffer.getvalue(), 1)

    def unpack(self, blob: bytes) -> list:
        return _Unpickler(io.BytesIO(zlib.decompress(blob)), self._shared).load()

    def _reduce_source(self, source: SourceFile) -> tuple:
        self._shared[id(source)] = source
        return _shared_source, (id(source),)

    def file(self, zone: Zone, resource_type: str, extra: Any, blob: bytes, weight: int) -> None:
        """Keep ``blob`` (``pack``ed objects of one resource) for ``zone``; ``extra`` is what
        filing the objects needs (a DNS record's name as written)."""
        self._filed.setdefault(id(zone), []).append((resource_type, extra, blob))
        self._weights[id(zone)] = self._weights.get(id(zone), 0) + weight

    # -- while checking -----------------------------------------------------------------------
    def holds(self, zone: Zone) -> bool:
        return id(zone) in self._filed

    def weight(self, zone: Zone) -> int:
        return self._weights.get(id(zone), 0)

    def fill(self, zone: Zone) -> list[Finding]:
        """Put the zone's objects back, ahead of what it got from the input that names no zone
        (merged into it when it is the only zone), as reading them whole does."""
        from ..model import Zone
        from .collect import empty_zone, merge_into, settle_rulesets

        earlier = Zone()  # what the zone holds already: from the input that names no zone
        merge_into(earlier, zone)
        empty_zone(zone)
        for resource_type, record_name, blob in self._filed[id(zone)]:
            for model_object in self.unpack(blob):
                add_to_zone(zone, resource_type, model_object, record_name)
        merge_into(zone, earlier)
        settle_rulesets(zone)
        return []  # building's findings were reported while reading

    def empty(self, zone: Zone) -> None:
        """Let the zone's content go: it has been checked."""
        from .collect import empty_zone

        empty_zone(zone)


__all__ = ["SPILL_MIN_CHARS", "SPILLED_TYPES", "SpilledZones", "add_to_zone"]
