"""The Cloudflare Rules language (wirefilter): parse, type-check and print expressions.

Public API::

    from rulelint.language import parse, print_expression

    parsed = parse('ip.src eq "198.51.100.4"')          # a filter expression (must be Bool)
    parsed = parse("ip.src", context="value")   # a header value: one Bytes/Int/Ip/Bool value
    parsed = parse('concat("/x", http.request.uri.path)', context="string")  # must be Bytes
    parsed.tree           # the typed syntax tree (rulelint.language.ast), or None
    parsed.diagnostics    # tuple of Diagnostic(code, severity, message, span, hint)
    parsed.ok             # True when no diagnostic is an error
    print_expression(parsed.tree)  # canonical text; parse(print(tree)).tree == tree
"""

from __future__ import annotations

from .api import Diagnostic, ParsedExpression, parse, print_expression

__all__ = ["Diagnostic", "ParsedExpression", "parse", "print_expression"]
