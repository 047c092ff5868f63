"""A bundle read zone by zone, so a run holds one zone's model at a time, not the whole input.

A ``rulelint fetch`` bundle of 2,000 zones decodes into several hundred megabytes of objects;
checks look at one zone at a time. ``open_stream`` reads everything but the zone entries (the
format, the account and its rulesets) and makes an empty ``Zone`` per entry, named as the entry
names it, so account rulesets are linked to zones as usual. ``ZoneStream.fill`` then decodes one
entry into its zone just before the zone is checked, and ``empty`` lets the content go after.

Only a plain bundle streams: one input, every entry an object naming a distinct zone, no key
written twice, valid JSON (each entry is decoded once beforehand, then dropped, to know that).
Anything else is read whole by ``read_bundle``, which reports what is wrong exactly as before;
either way the findings are the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .bundle import FORMAT, read_bundle_head, read_zone_entry, zone_identity
from .jsondoc import JsonDocument
from .nodes import JsonNode
from .problems import Problems

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Zone
    from ..model.sources import SourceFile
    from .collect import Collector


class ZoneStream:
    """The zone entries of one bundle, each decoded into its ``Zone`` only while it is checked."""

    def __init__(self, document: JsonDocument, zones_node: JsonNode, collector: Collector,
                 starts: list[int], zones: list[Zone], weights: list[int]) -> None:
        self._document = document
        self._zones_node = zones_node
        self._collector = collector
        self._starts = starts  # where each zone entry is written in the text
        self._index = {id(zone): index for index, zone in enumerate(zones)}
        self._weights = weights

    def holds(self, zone: Zone) -> bool:
        return id(zone) in self._index

    def weight(self, zone: Zone) -> int:
        """About how many rules the zone's entry holds (its ``expression`` keys), before it is read."""
        return self._weights[self._index[id(zone)]]

    def fill(self, zone: Zone) -> list[Finding]:
        """Read the zone's entry into ``zone``; the input findings of that entry."""
        from .collect import settle_rulesets

        index = self._index[id(zone)]
        start = self._starts[index]
        document = self._document
        node = JsonNode(document, self._zones_node, index, document.decode(start))
        problems = Problems()
        read_zone_entry(node, zone, self._collector, problems)
        settle_rulesets(zone)
        return problems.findings

    def empty(self, zone: Zone) -> None:
        """Let the zone's content go (it has been checked) and the positions found in it."""
        from .collect import empty_zone

        empty_zone(zone)
        self._document.forget(keep=(0, self._zones_node._bracket))


def open_stream(source: SourceFile, collector: Collector, problems: Problems) -> ZoneStream | None:
    """Read a bundle's head and name its zones (in ``collector``); None when the text is not a
    bundle that streams (the caller reads it whole)."""
    document = JsonDocument(source, decode=False)
    outline = document.outline()
    if outline is None or "bundle_format" not in outline or "zones" not in outline:
        return None
    zones_start, _, zones_bracket = outline["zones"]
    if zones_bracket < 0 or document.text[zones_start] != "[":
        return None
    entries = document.elements_of(zones_bracket)
    if entries is None:
        return None
    try:
        head = {key: ([] if key == "zones" else document.decode(start, end)) for key, (start, end, _) in outline.items()}
        if head["bundle_format"] != FORMAT:
            return None
        identities, weights = [], []
        for start, end, _ in entries:
            identity = zone_identity(document.decode(start, end))  # decoded once to validate it, then dropped
            if identity is None:
                return None
            identities.append(identity)
            weights.append(document.text.count('"expression"', start, end))
    except (ValueError, RecursionError):  # not JSON (the whole read reports where)
        return None
    if document.duplicates or not _distinct(identities):
        return None
    head["zones"] = [{}] * len(entries)  # stand-ins: positions of entries come from the brackets
    document.value = head
    root = JsonNode.root(document)
    if not read_bundle_head(root, collector, problems):
        return None
    zones = [collector.zone(*identity) for identity in identities]
    zones_node = root.get("zones")
    zones_node._located()
    for index, (start, end, _) in enumerate(entries):
        document.pin(("zones", index), (start, end))
    document.pin(("zones",), (zones_start, outline["zones"][1]))
    return ZoneStream(document, zones_node, collector, [start for start, _, _ in entries], zones, weights)


def _distinct(identities: list[tuple[str | None, str | None, str | None]]) -> bool:
    """Whether no id or name names two entries (the whole read merges such entries)."""
    seen: set[str] = set()
    for zone_id, name, _ in identities:
        for alias in {zone_id, name} - {None, ""}:
            if alias in seen:
                return False
            seen.add(alias)
    return True


__all__ = ["ZoneStream", "open_stream"]
