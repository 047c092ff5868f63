"""Which paths and hosts of a zone carry login, API or admin traffic, as its configuration tells.

Three exposure checks ask the same question: does this scope reach the endpoints attackers aim
at first (sign-in forms, token endpoints, APIs, admin panels)? The answer comes from words in
path segments and in a host's first label (``/wp-login.php``, ``/oauth/token``, ``/api/``,
``api.example.com``), found in rule conditions, Page Rule targets and DNS record names. Words
only ever add evidence; a path or host without them is simply not known to be sensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..language import ast
from .scope import PATH_FIELDS, base_field, literal_text

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Expression, Origin, Zone
    from .expressions import ExpressionParser

LOGIN = "login"
API = "API"
ADMIN = "admin"

#: Path segments (lowercase) that mark each kind of traffic.
PATH_SEGMENTS: dict[str, frozenset[str]] = {
    LOGIN: frozenset(
        "login log-in logon signin sign-in wp-login.php auth authenticate oauth oauth2 token "
        "session sessions password".split()
    ),
    API: frozenset("api graphql".split()),
    ADMIN: frozenset("admin wp-admin administrator".split()),
}

#: First labels of a hostname (or their part before a ``-``) that mark each kind.
HOST_LABELS: dict[str, frozenset[str]] = {
    LOGIN: frozenset("login auth sso oauth accounts".split()),
    API: frozenset("api".split()),
    ADMIN: frozenset("admin".split()),
}

# Hosts that carry mail or certificate validation, never web traffic.
_MAIL_LABELS = frozenset("mail smtp imap pop pop3 mx autodiscover autoconfig".split())


def path_kind(path: str) -> str | None:
    """``login``, ``API`` or ``admin`` when a segment of ``path`` names it, else None."""
    segments = [s for s in re.split(r"[/?#]", path.lower()) if s]
    for kind, words in PATH_SEGMENTS.items():
        if any(segment in words for segment in segments):
            return kind
    return None


def host_kind(host: str) -> str | None:
    """``login``, ``API`` or ``admin`` when the host's first label names it, else None."""
    label = host.lower().lstrip("*.").split(".", 1)[0]
    head = label.split("-", 1)[0]
    for kind, words in HOST_LABELS.items():
        if label in words or head in words:
            return kind
    return None


def is_mail_or_validation(name: str) -> bool:
    """A name that never carries web traffic: ``_acme-challenge``, ``_dmarc`` and other
    underscore names, and mail hosts (``mail.``, ``smtp.``, ``mx1.``…)."""
    labels = name.lower().split(".")
    if any(label.startswith("_") for label in labels):
        return True
    first = re.sub(r"\d+$", "", labels[0])
    return first in _MAIL_LABELS


def qualified(name: str, zone_name: str | None) -> str:
    """A record or target name as a full hostname (Terraform writes ``api`` or ``@``)."""
    name = name.strip().lower().rstrip(".")
    if not zone_name:
        return name
    zone_name = zone_name.lower().rstrip(".")
    if name in ("@", ""):
        return zone_name
    if name == zone_name or name.endswith("." + zone_name):
        return name
    return f"{name}.{zone_name}"


def path_literals(tree: ast.Node) -> list[str]:
    """Literal strings a filter compares a path field with (``eq``, ``in``, ``contains``,
    ``starts_with``, ``wildcard``…), positive or negated."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Comparison) and base_field(node.lhs) in PATH_FIELDS:
            if isinstance(node.rhs, ast.ListLit):
                found.extend(t for t in (literal_text(i) for i in node.rhs.items) if t is not None)
            else:
                text = literal_text(node.rhs)
                if text is not None:
                    found.append(text)
        elif isinstance(node, ast.Call) and node.args and base_field(node.args[0]) in PATH_FIELDS:
            found.extend(t for t in (literal_text(a) for a in node.args[1:]) if t is not None)
    return found


def condition_literals(node: ast.Node) -> list[str]:
    """The string literals one host or path condition (``Condition.node``) compares with."""
    if isinstance(node, ast.Comparison):
        if isinstance(node.rhs, ast.ListLit):
            return [t for t in (literal_text(i) for i in node.rhs.items) if t is not None]
        text = literal_text(node.rhs)
        return [text] if text is not None else []
    if isinstance(node, ast.Call):
        return [t for t in (literal_text(a) for a in node.args[1:]) if t is not None]
    return []


def split_target(target: str) -> tuple[str, str]:
    """A Page Rule target's (host, path), lowercase host, scheme dropped."""
    rest = re.sub(r"^[A-Za-z*]+://", "", target.strip())
    host, slash, path = rest.partition("/")
    return host.lower(), slash + path.split("?", 1)[0]


@dataclass(frozen=True)
class Evidence:
    """One sign that the zone serves sensitive traffic, and where it is written."""

    kind: str  # LOGIN, API or ADMIN
    path: str | None  # the path literal, or None for a host
    host: str | None  # the hostname, or None for a path
    origin: Origin
    rule_id: str | None = None
    rule_ref: str | None = None
    expression: Expression | None = None  # set when the evidence is in a rule condition

    @property
    def words(self) -> str:
        return f'path "{self.path}"' if self.path is not None else f"host {self.host}"


def zone_evidence(zone: Zone, parser: ExpressionParser) -> Iterator[Evidence]:
    """Sensitive paths and hosts named by the zone's rule conditions, its active Page Rule
    targets and its proxied A/AAAA/CNAME records, in that order (duplicates included)."""
    from .hostnames import hosts_in_expression

    for expression, rule_id, rule_ref in zone.expressions():
        tree = parser.tree(expression)
        if tree is None:
            continue
        for path in parser.derived("paths", expression, lambda: tuple(path_literals(tree))):
            kind = path_kind(path)
            if kind:
                yield Evidence(kind, path, None, expression.origin, rule_id, rule_ref, expression)
        for host in hosts_in_expression(expression, parser):
            kind = host_kind(host)
            if kind:
                yield Evidence(kind, None, host, expression.origin, rule_id, rule_ref, expression)
    for page_rule in zone.page_rules:
        if page_rule.status != "active":
            continue
        for target in page_rule.targets:
            host, path = split_target(target)
            kind = path_kind(path)
            if kind:
                yield Evidence(kind, path, None, page_rule.origin, page_rule.id)
            elif host_kind(host) and "*" not in host:
                yield Evidence(host_kind(host), None, host, page_rule.origin, page_rule.id)
    for record in zone.dns_records:
        if record.proxied is True and record.type.upper() in ("A", "AAAA", "CNAME"):
            host = qualified(record.name, zone.name)
            kind = host_kind(host)
            if kind and not is_mail_or_validation(host):
                yield Evidence(kind, None, host, record.origin, record.id)
