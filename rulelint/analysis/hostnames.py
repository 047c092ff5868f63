"""Which hostnames a zone serves, as far as its configuration tells: proxied DNS records,
hosts named in rule expressions (``http.host eq``/``in``) and Page Rule targets.

``ZoneFacts.hostnames`` holds the answer for a zone; the Bot Fight Mode check reads it to
find API hosts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .expressions import ExpressionParser

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, Zone

_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def zone_hostnames(zone: Zone, parser: ExpressionParser | None = None) -> list[str]:
    """Sorted, unique, lowercase hostnames (wildcards and malformed names left out)."""
    found: set[str] = set()
    for record in zone.dns_records:
        if record.proxied is not False and record.type.upper() in ("A", "AAAA", "CNAME"):
            found.add(_qualified(record.name, zone.name))
    for expression, _rule_id, _rule_ref in zone.expressions():
        found.update(hosts_in_expression(expression, parser))
    for page_rule in zone.page_rules:
        for target in page_rule.targets:
            host = re.sub(r"^(?:https?|\*)://", "", target.strip().lower()).split("/", 1)[0]
            found.add(host.lstrip("*").lstrip("."))
    return sorted(h for h in found if _HOST.match(h))


def _qualified(name: str, zone_name: str | None) -> str:
    """A DNS record name as a hostname: Terraform often writes ``api`` or ``@`` relative to
    the zone (the API always returns the full name)."""
    name = name.lower().rstrip(".")
    if not zone_name:
        return name
    zone_name = zone_name.lower().rstrip(".")
    if name in ("@", ""):
        return zone_name
    if name == zone_name or name.endswith("." + zone_name):
        return name
    return f"{name}.{zone_name}"


def hosts_in_expression(expression: Expression, parser: ExpressionParser | None = None) -> tuple[str, ...]:
    """Hosts an expression compares ``http.host`` with (``eq`` or ``in``), positive or not."""
    if expression.unresolved or expression.context != "filter":
        return ()
    parser = parser or ExpressionParser()
    return parser.derived("hosts", expression, lambda: _hosts_in_tree(parser.parse(expression.text, "filter").tree))


def _hosts_in_tree(tree) -> tuple[str, ...]:
    from ..language import ast
    from .scope import base_field

    if tree is None:
        return ()
    hosts: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Comparison) or base_field(node.lhs) != "http.host":
            continue
        if node.op == "eq" and isinstance(node.rhs, ast.StringLit):
            hosts.append(node.rhs.value.decode("utf-8", "replace").lower())
        elif node.op == "in" and isinstance(node.rhs, ast.ListLit):
            hosts.extend(
                item.value.decode("utf-8", "replace").lower()
                for item in node.rhs.items
                if isinstance(item, ast.StringLit)
            )
    return tuple(hosts)
