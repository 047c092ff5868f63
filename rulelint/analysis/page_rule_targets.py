"""Page Rule URL patterns: what they cover, and the filter expression that matches the same
URLs.

Cloudflare (rules/page-rules/reference/wildcard-matching): a target is a URL pattern where
``*`` matches any characters; ``example.com`` with no path matches only the bare host's root,
``example.com/*`` every page. The scheme and the query string count only when written.

Cloudflare's migration example writes a target as ``http.request.full_uri wildcard
"http*://…"``, but its leading ``*`` can absorb scheme, host and path
(``https://other.example.com/x?r=http://example.com/…`` matches), so that form must never
scope a security exception. ``target_expression`` uses host, path, scheme, port and query
conditions instead, with the case-sensitive operators (``eq``, ``starts_with``,
``strict wildcard``; ``wildcard`` is case-insensitive, rules-language operators), so the
expression never matches a URL the Page Rule did not. A target it cannot translate that way
has no expression: no suggestion is better than a wider one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..language import ast
from . import narrowing

_TARGET = re.compile(
    r"^(?:(?P<scheme>[A-Za-z*]+)://)?(?P<host>[^/?:]*)(?::(?P<port>[^/?]*))?(?P<path>[^?]*)(?:\?(?P<query>.*))?$",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class PageRuleTarget:
    """A target split into its parts. ``scheme`` is lowercase or None when not written (``*``
    counts as not written); ``host`` is lowercase and may hold ``*``; ``path`` is ``""`` when
    none is written; ``port`` and ``query`` (without its ``?``) are None when not written."""

    text: str
    scheme: str | None
    host: str
    port: str | None
    path: str
    query: str | None

    @property
    def covers_whole_host(self) -> bool:
        """``example.com/*``, ``*example.com/*``, ``example.com*``: every path of a host."""
        if self.query is not None or self.port is not None:
            return False
        return self.path == "/*" or (not self.path and self.host.endswith("*"))

    @property
    def host_name(self) -> str:
        """The host without its leading wildcard (``*example.com`` -> ``example.com``)."""
        return self.host.lstrip("*").lstrip(".") or self.host

    @property
    def url_pattern(self) -> str:
        """Host, port and path as one wildcard pattern over ``host[:port]/path`` (the path of
        a target written without one is ``/``, its root), for comparing coverage."""
        path = self.path
        if not path and not self.host.endswith("*"):
            path = "/"
        port = f":{self.port}" if self.port is not None else ""
        return _collapse_stars(self.host + port + path)


def parse_target(text: str) -> PageRuleTarget | None:
    """The parts of a target, or None when it names no host."""
    if not isinstance(text, str):
        return None
    match = _TARGET.match(text.strip())
    if match is None or not match["host"]:
        return None
    scheme = (match["scheme"] or "").lower()
    return PageRuleTarget(
        text=text,
        scheme=None if scheme in ("", "*") else scheme,
        host=match["host"].lower(),
        port=match["port"],
        path=match["path"],
        query=match["query"],
    )


def target_expression(text: str) -> ast.Node | None:
    """The target as a filter expression matching the URLs it matches (never more), or None
    when it cannot be written with host, path, scheme, port and query conditions."""
    target = parse_target(text)
    if target is None or "\\" in target.text:
        return None  # an escaped ``*`` or a backslash: not worth a guess
    parts: list[ast.Node] = []
    if target.scheme == "https":
        parts.append(ast.Field("ssl"))
    elif target.scheme == "http":
        parts.append(ast.Not(ast.Field("ssl")))
    elif target.scheme is not None:
        return None
    parts.append(_equal_or_wildcard("http.host", _collapse_stars(target.host)))
    if target.port is not None:
        if not target.port.isdigit() or not 0 < int(target.port) < 65536:
            return None
        parts.append(ast.Comparison(ast.Field("cf.edge.server_port"), "eq", ast.IntLit(int(target.port))))
    path = _collapse_stars(target.path)
    if not path and not target.host.endswith("*"):
        path = "/"  # no path written: the bare host's root only
    if path and path != "/*" and path != "*":
        if not path.startswith("/") and not path.startswith("*"):
            return None
        body = path[:-1]
        if path.endswith("*") and "*" not in body:
            parts.append(narrowing.starts_with("http.request.uri.path", body))
        else:
            parts.append(_equal_or_wildcard("http.request.uri.path", path))
    if target.query is not None:
        parts.append(_equal_or_wildcard("http.request.uri.query", _collapse_stars(target.query)))
    return narrowing.all_of(parts)


def _equal_or_wildcard(field: str, pattern: str) -> ast.Node:
    op = "strict_wildcard" if "*" in pattern else "eq"
    return ast.Comparison(ast.Field(field), op, narrowing.string(pattern))


def _collapse_stars(pattern: str) -> str:
    """``**`` means what ``*`` means, and the filter language rejects it."""
    return re.sub(r"\*{2,}", "*", pattern)


# -- coverage ----------------------------------------------------------------------------------


def patterns_overlap(first: str, second: str) -> bool:
    """Whether some URL matches both wildcard patterns (``*`` matches any characters, every
    other character itself). Works on the product of the two patterns' automata: positions
    (i, j) reachable while reading one common string; linear in the product of their lengths."""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    end = (len(first), len(second))
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        if state == end:
            return True
        i, j = state
        a = first[i] if i < len(first) else None
        b = second[j] if j < len(second) else None
        if a == "*":
            stack.append((i + 1, j))  # the star of the first matches nothing more
        if b == "*":
            stack.append((i, j + 1))
        if a is None or b is None:
            continue
        if a == "*" and b != "*":
            stack.append((i, j + 1))  # the first's star absorbs the second's character
        elif b == "*" and a != "*":
            stack.append((i + 1, j))
        elif a == b and a != "*":
            stack.append((i + 1, j + 1))
    return False


# Longer patterns are not compared (the comparison is quadratic in their lengths): real URL
# patterns are far shorter, and an overlap not shown is a claim not made.
MAX_COMPARED_LENGTH = 2000


def targets_overlap(page_rule: PageRuleTarget, other: PageRuleTarget) -> bool:
    """Whether some URL is covered by both targets (schemes, then host, port and path; a
    query string narrows a target to some of its URLs, it never takes it off a path). False
    for a pattern too long to compare."""
    if page_rule.scheme and other.scheme and page_rule.scheme != other.scheme:
        return False
    first, second = page_rule.url_pattern, other.url_pattern
    if len(first) > MAX_COMPARED_LENGTH or len(second) > MAX_COMPARED_LENGTH:
        return False
    return patterns_overlap(first, second)
