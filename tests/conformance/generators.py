"""Hypothesis strategies: random *valid* Cloudflare Rules expressions, and mutations of them.

The generator follows the grammar of shared/spec/rules-language.md §2-§3 over real fields that
both rulelint's field table and the oracle's scheme know, with both operator spellings, the
function calls that are allowed in a rule filter, lists, ranges, simple safe regexes, wildcards,
raw and escaped strings, `any`/`all` over `[*]`, `not`/`!` and parenthesised nesting.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import settings, strategies as st

settings.register_profile("conformance", max_examples=150, derandomize=True, deadline=None, print_blob=True)
CONFORMANCE = settings.get_profile("conformance")

BYTES_FIELDS = [
    "http.host", "http.request.uri.path", "http.request.uri.query", "http.request.uri", "http.user_agent",
    "http.referer", "http.cookie", "http.request.method", "http.request.full_uri", "ip.src.country",
    "http.request.version", "raw.http.request.uri.path",
]
INT_FIELDS = ["cf.threat_score", "cf.edge.server_port", "ip.src.asnum", "http.request.timestamp.sec"]
IP_FIELDS = ["ip.src", "cf.edge.server_ip"]
BOOL_FIELDS = ["ssl", "cf.client.bot", "http.request.headers.truncated"]
BYTES_ARRAY_FIELDS = ["http.request.headers.names", "http.request.headers.values", "http.request.uri.args.names"]
BYTES_MAP_ARRAY_FIELDS = ["http.request.headers", "http.request.uri.args"]

SPELLINGS = {
    "eq": ["eq", "=="], "ne": ["ne", "!="], "lt": ["lt", "<"], "le": ["le", "<="], "gt": ["gt", ">"],
    "ge": ["ge", ">="], "matches": ["matches", "~"], "bitwise_and": ["&", "bitwise_and"],
    "and": ["and", "&&"], "or": ["or", "||"], "xor": ["xor", "^^"], "not": ["not ", "!"],
}
SPACE = st.sampled_from([" ", " ", " ", "\n", "  "])


def spelled(op: str):
    return st.sampled_from(SPELLINGS[op])


# --- literals ---------------------------------------------------------------------------------

SAFE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789/._-=?&%:; ", min_size=0, max_size=12)


@st.composite
def quoted_string(draw, allow_star: bool = True) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "text", "text", "quote", "backslash", "hex", "octal"]))
        if kind == "text":
            parts.append(draw(SAFE_TEXT))
        elif kind == "quote":
            parts.append('\\"')
        elif kind == "backslash":
            parts.append("\\\\")
        elif kind == "hex":
            parts.append("\\x" + draw(st.sampled_from(["41", "2f", "7F", "ff", "0a"])))
        else:
            parts.append("\\" + draw(st.sampled_from(["101", "057", "377", "000"])))
    return '"' + "".join(parts) + '"'


@st.composite
def raw_string(draw) -> str:
    hashes = "#" * draw(st.integers(0, 2))
    body = draw(SAFE_TEXT)
    if hashes:
        body += draw(st.sampled_from(["", '"', 'a"b']))
    return f'r{hashes}"{body}"{hashes}'


@cache  # strategies are immutable; building a recursive one is slow
def bytes_literal():
    hex_bytes = st.lists(st.sampled_from(["01", "2e", "ff", "7A", "00"]), min_size=2, max_size=4).map(":".join)
    return st.one_of(quoted_string(), quoted_string(), raw_string(), hex_bytes)


REGEXES = [r"^/api/", r"\.php$", r"^/v[0-9]+/", r"(?i)bot", r"\d{3,}", r"[a-z]+\.example\.com$", r"^(GET|HEAD)$", r"^/wp-(admin|login)"]


@st.composite
def regex_literal(draw) -> str:
    pattern = draw(st.sampled_from(REGEXES))
    return f'"{pattern}"' if draw(st.booleans()) else f'r#"{pattern}"#'


@st.composite
def wildcard_literal(draw) -> str:
    segments = draw(st.lists(st.text(alphabet="abcxyz0123/._-", min_size=1, max_size=6), min_size=1, max_size=3))
    pattern = "*".join(segments)
    if draw(st.booleans()):
        pattern = "*" + pattern
    if draw(st.booleans()):
        pattern += "*"
    return f'r"{pattern}"' if draw(st.booleans()) else f'"{pattern}"'


@cache  # strategies are immutable; building a recursive one is slow
def int_literal():
    return st.one_of(st.integers(-5, 70000).map(str), st.integers(0, 255).map(lambda n: f"0x{n:x}"))


@cache  # strategies are immutable; building a recursive one is slow
def ipv4():
    return st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))


@cache  # strategies are immutable; building a recursive one is slow
def ipv6():
    return st.sampled_from(["::1", "2001:db8::1", "2400:cb00::", "fe80::1:2", "::ffff:192.0.2.1"])


@st.composite
def ip_list_item(draw) -> str:
    kind = draw(st.sampled_from(["v4", "v6", "cidr4", "cidr6", "range4"]))
    if kind == "v4":
        return draw(ipv4())
    if kind == "v6":
        return draw(ipv6())
    if kind == "cidr4":
        a, b = draw(st.integers(1, 223)), draw(st.integers(0, 255))
        return draw(st.sampled_from([f"{a}.{b}.0.0/16", f"{a}.0.0.0/8", f"{a}.{b}.7.0/24", f"{a}.{b}.7.9/32"]))
    if kind == "cidr6":
        return draw(st.sampled_from(["2001:db8::/32", "2400:cb00::/32", "::/0", "fe80::/10"]))
    low = draw(st.integers(1, 200))
    return f"10.{low}.0.0..10.{low}.255.255"


@st.composite
def int_list_item(draw) -> str:
    low = draw(st.integers(0, 60000))
    if draw(st.booleans()):
        return str(low)
    return f"{low}..{low + draw(st.integers(0, 5000))}"


LIST_NAMES = st.sampled_from(["allowlist", "bad_ips", "office.v4", "partners_2024"])


@cache  # strategies are immutable; building a recursive one is slow
def inline_list(items) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(items, min_size=1, max_size=4), st.sampled_from([" ", ""])).map(
        lambda p: "{" + p[1] + " ".join(p[0]) + p[1] + "}"
    )


# --- values -----------------------------------------------------------------------------------


@cache  # strategies are immutable; building a recursive one is slow
def bytes_value():
    base = st.one_of(
        st.sampled_from(BYTES_FIELDS),
        st.tuples(st.sampled_from(BYTES_MAP_ARRAY_FIELDS), st.sampled_from(["x-api-key", "host", "id"])).map(
            lambda p: f'{p[0]}["{p[1]}"][0]'
        ),
        st.tuples(st.sampled_from(BYTES_ARRAY_FIELDS), st.integers(0, 3)).map(lambda p: f"{p[0]}[{p[1]}]"),
    )

    def extend(inner):
        return st.one_of(
            st.tuples(st.sampled_from(["lower", "upper"]), inner).map(lambda p: f"{p[0]}({p[1]})"),
            st.sampled_from(BYTES_FIELDS).map(lambda f: f"url_decode({f})"),
            st.tuples(inner, quoted_string()).map(lambda p: f"concat({p[0]}, {p[1]})"),
            st.tuples(st.sampled_from(BYTES_FIELDS), st.integers(0, 5), st.integers(6, 20)).map(
                lambda p: f"substring({p[0]}, {p[1]}, {p[2]})"
            ),
        )

    return st.recursive(base, extend, max_leaves=3)


@cache  # strategies are immutable; building a recursive one is slow
def int_value():
    return st.one_of(st.sampled_from(INT_FIELDS), bytes_value().map(lambda v: f"len({v})"))


# --- predicates -------------------------------------------------------------------------------


@st.composite
def bytes_comparison(draw, lhs=None) -> str:
    lhs = lhs if lhs is not None else draw(bytes_value())
    kind = draw(st.sampled_from(["order", "eq", "contains", "matches", "wildcard", "in", "list"]))
    if kind == "order":
        return f"{lhs} {draw(spelled(draw(st.sampled_from(['lt', 'le', 'gt', 'ge']))))} {draw(bytes_literal())}"
    if kind == "eq":
        return f"{lhs} {draw(spelled(draw(st.sampled_from(['eq', 'ne']))))} {draw(bytes_literal())}"
    if kind == "contains":
        return f"{lhs} contains {draw(bytes_literal())}"
    if kind == "matches":
        return f"{lhs} {draw(spelled('matches'))} {draw(regex_literal())}"
    if kind == "wildcard":
        return f"{lhs} {draw(st.sampled_from(['wildcard', 'strict wildcard']))} {draw(wildcard_literal())}"
    if kind == "in":
        return f"{lhs} in {draw(inline_list(bytes_literal()))}"
    return f"{lhs} in ${draw(LIST_NAMES)}"


@st.composite
def int_comparison(draw) -> str:
    lhs = draw(int_value())
    kind = draw(st.sampled_from(["cmp", "in", "and", "list"]))
    if kind == "cmp":
        op = draw(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]))
        return f"{lhs} {draw(spelled(op))} {draw(int_literal())}"
    if kind == "in":
        return f"{lhs} in {draw(inline_list(int_list_item()))}"
    if kind == "and":
        return f"{lhs} {draw(spelled('bitwise_and'))} {draw(st.integers(1, 255))}"
    return f"{lhs} in ${draw(LIST_NAMES)}"


@st.composite
def ip_comparison(draw) -> str:
    lhs = draw(st.sampled_from(IP_FIELDS))
    kind = draw(st.sampled_from(["eq", "in", "list", "managed"]))
    if kind == "eq":
        return f"{lhs} {draw(spelled(draw(st.sampled_from(['eq', 'ne']))))} {draw(st.one_of(ipv4(), ipv6()))}"
    if kind == "in":
        return f"{lhs} in {draw(inline_list(ip_list_item()))}"
    if kind == "list":
        return f"{lhs} in ${draw(LIST_NAMES)}"
    return f"{lhs} in $cf.{draw(st.sampled_from(['open_proxies', 'anonymizer', 'vpn', 'malware', 'botnetcc']))}"


@st.composite
def bool_predicate(draw) -> str:
    kind = draw(st.sampled_from(["field", "field", "starts", "ends"]))
    if kind == "field":
        return draw(st.sampled_from(BOOL_FIELDS))
    fn = "starts_with" if kind == "starts" else "ends_with"
    return f'{fn}({draw(st.sampled_from(BYTES_FIELDS))}, {draw(quoted_string())})'


@st.composite
def quantified(draw) -> str:
    array = draw(st.sampled_from(BYTES_ARRAY_FIELDS + [f'{m}["id"]' for m in BYTES_MAP_ARRAY_FIELDS]))
    element = f"{array}[*]"
    if draw(st.booleans()):
        element = f"{draw(st.sampled_from(['lower', 'upper']))}({element})[*]"
    cmp = draw(bytes_comparison(lhs=element))
    inner = cmp if draw(st.booleans()) else f"{draw(spelled('not'))}{cmp}"
    return f"{draw(st.sampled_from(['any', 'all']))}({inner})"


@cache  # strategies are immutable; building a recursive one is slow
def predicate():
    return st.one_of(bytes_comparison(), bytes_comparison(), int_comparison(), ip_comparison(), bool_predicate(), quantified())


@cache  # strategies are immutable; building a recursive one is slow
def filter_expression():
    """A random valid filter: predicates combined with and/or/xor, not/!, and parentheses."""

    def extend(inner):
        return st.one_of(
            st.tuples(inner, SPACE, spelled("and"), SPACE, inner).map(lambda p: "".join(p)),
            st.tuples(inner, SPACE, spelled("or"), SPACE, inner).map(lambda p: "".join(p)),
            st.tuples(inner, SPACE, spelled("xor"), SPACE, inner).map(lambda p: "".join(p)),
            st.tuples(spelled("not"), inner).map(lambda p: f"{p[0]}({p[1]})"),
            st.tuples(spelled("not"), predicate()).map("".join),
            inner.map(lambda e: f"({e})"),
        )

    return st.recursive(predicate(), extend, max_leaves=6)


@cache  # strategies are immutable; building a recursive one is slow
def value_expression():
    """A random valid value expression (Bytes), as used by rewrites and redirects."""
    return bytes_value()


# --- mutations --------------------------------------------------------------------------------

TOKEN = re.compile(
    r'r#*"|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.]*|\d[0-9a-fA-F.:/]*|\$[a-z0-9_.]*|==|!=|<=|>=|&&|\|\||\^\^|\.\.|[()\[\]{},<>!~&*]'
)
OPERATORS = ["eq", "ne", "lt", "le", "gt", "ge", "==", "!=", "<", ">", "contains", "matches", "~", "wildcard",
             "in", "&", "and", "or", "xor", "&&", "||", "^^", "not", "!"]


@st.composite
def mutation(draw, text: str) -> str:
    """``text`` with one token deleted, one operator swapped, or one literal broken."""
    tokens = list(TOKEN.finditer(text))
    kind = draw(st.sampled_from(["delete", "swap", "break"]))
    if kind == "swap":
        ops = [m for m in tokens if m.group() in OPERATORS]
        if ops:
            m = draw(st.sampled_from(ops))
            new = draw(st.sampled_from([o for o in OPERATORS if o != m.group()]))
            return f"{text[:m.start()]}{new}{text[m.end():]}"
    if kind == "break":
        literals = [m for m in tokens if m.group()[0] in '"0123456789' and m.group() not in OPERATORS]
        if literals:
            m = draw(st.sampled_from(literals))
            lit = m.group()
            if lit.startswith('"'):
                broken = draw(st.sampled_from([lit[:-1], lit[:-1] + '\\q"', lit[:-1] + '\\x4"', lit[:-1] + '\\8"']))
            elif "." in lit and lit.count(".") == 3:
                broken = draw(st.sampled_from([lit + ".9", "1.2.3.999", lit.rsplit(".", 1)[0]]))
            else:
                broken = draw(st.sampled_from([lit + "z", lit + "..", "0x", lit + ":"]))
            return f"{text[:m.start()]}{broken}{text[m.end():]}"
    m = draw(st.sampled_from(tokens))
    return f"{text[:m.start()]}{text[m.end():]}"


# --- hostile and edge-case expressions (issue 18's groups) -------------------------------------
# Each strategy below produces valid and invalid expressions alike: the tests compare rulelint's
# verdict with the engine's, so a generator only has to reach the shapes where they once differed.

ARG_POOL = {
    "field Bytes": st.sampled_from(BYTES_FIELDS),
    "field Int": st.sampled_from(INT_FIELDS),
    "field Ip": st.sampled_from(IP_FIELDS),
    "field Bool": st.sampled_from(BOOL_FIELDS),
    "field Array<Bytes>": st.sampled_from(BYTES_ARRAY_FIELDS),
    "field Map<Array<Bytes>>": st.sampled_from(BYTES_MAP_ARRAY_FIELDS),
    "call Bytes": st.sampled_from(BYTES_FIELDS).map(lambda f: f"lower({f})"),
    "call Int": st.sampled_from(BYTES_FIELDS).map(lambda f: f"len({f})"),
    "literal Bytes": quoted_string(),
    "literal Int": st.integers(0, 300).map(str),
    "literal Ip": ipv4(),
}
# Functions a rule filter may call, with the right-hand side their result is compared with.
FILTER_FUNCTIONS = {
    "lower": ' eq "a"', "upper": ' eq "a"', "len": " eq 1", "url_decode": ' eq "a"',
    "substring": ' eq "a"', "concat": ' eq "a"', "coalesce": ' eq "a"', "starts_with": "",
    "ends_with": "", "has_key": "", "has_value": "", "remove_bytes": ' eq "a"',
    "sha256": ' eq "a"', "encode_base64": ' eq "a"', "decode_base64": ' eq "a"',
    "to_string": ' eq "a"', "lookup_json_string": ' eq "a"', "lookup_json_integer": " eq 1",
}


@st.composite
def function_call(draw) -> str:
    """A call with 0-4 arguments of any kind and type, compared as its usual result is."""
    name = draw(st.sampled_from(sorted(FILTER_FUNCTIONS)))
    count = draw(st.integers(0, 4))
    kinds = draw(st.lists(st.sampled_from(sorted(ARG_POOL)), min_size=count, max_size=count))
    args = [draw(ARG_POOL[kind]) for kind in kinds]
    return f"{name}({', '.join(args)}){FILTER_FUNCTIONS[name]}"


DIGIT_COUNTS = st.sampled_from([19, 20, 22, 23, 25, 40, 4300, 4301, 5000])


@st.composite
def huge_literal(draw) -> str:
    """A number with many digits wherever the language takes one."""
    digits = "1" + "0" * (draw(DIGIT_COUNTS) - 1)
    if draw(st.booleans()):
        digits = "0" * draw(st.integers(1, 30)) + digits[: draw(st.integers(1, 4))]
    place = draw(st.sampled_from([
        "cf.threat_score eq {n}", "cf.threat_score in {{{n}}}", "cf.threat_score in {{1..{n}}}",
        "ip.src in {{{n}}}", "ip.src in {{1.2.3.{n}}}", "ip.src in {{10.{n}}}",
        "ip.src in {{::/{n}}}", "ip.src in {{10.0.0.0/{n}}}", "ip.src eq 1.2.3.{n}",
        "ip.src eq 10.0.0.0/{n}", 'http.host matches "a{{{n}}}"', 'http.host matches "a{{1,{n}}}"',
        'http.request.headers.names[{n}] eq "a"', "cf.threat_score eq 0x{n}",
        "cf.threat_score eq -{n}", 'substring(http.host, {n}) eq "a"',
    ]))
    return place.format(n=digits)


REGEX_ATOMS = [
    "a", "[a-z]", ".", r"\d", r"\w", "(?u)", "(?u)\\pL", "(?u)\\p{Greek}", "(?u)\\p{Foo}",
    "(?u)\\pQ", "(?u)\\p{sc=Latn}", "(?u)\\p{gc=Bogus}", "(?u)[\\p{L}]", "\\pL", "(?P<n1>a)",
    "(?P<1n>a)", "(?P<>a)", "(?<x.y>a)", "(?P<n1>b)", "(?i)", "(?ii)", "(?i-i)", "(?--i)",
    "(?i-)", "(?)", "(?x)", "\\x4", "\\x{41}", "\\x{110000}", "\\u004", "\\", "[a", "[]", "[^]",
    "[a--b]", "[a&&b]", "[z-a]", "[[:alpha:]]", "a{ 5 }", "a{,5}", "a{5,3}", "(?u)\\w",
    "(?:", ")", "|", "*", "+", "?", "{1000}", "{200}", "{2,}", "\\Q", "\\e", "\\b{start}",
]


@st.composite
def regex_edge(draw) -> str:
    """A regex built from atoms at the crate's edges: Unicode properties, group names, flags,
    escapes, classes, repetitions that approach the size limit, deep nesting."""
    kind = draw(st.sampled_from(["atoms", "atoms", "atoms", "deep", "size"]))
    if kind == "deep":
        levels = draw(st.sampled_from([10, 124, 125, 126, 249, 250, 251, 300]))
        opener = draw(st.sampled_from(["(", "(?:", "(a"]))
        pattern = opener * levels + "a" + ")" * levels
    elif kind == "size":
        unit = draw(st.sampled_from(["a", "[a-z]", "(?u)\\w", "(?u).", ".", "ab"]))
        counts = draw(st.lists(st.sampled_from([10, 100, 209, 210, 1000, 10000, 327675, 400000]),
                               min_size=1, max_size=2))
        pattern = unit + "".join(f"{{{n}}}" for n in counts)
    else:
        pattern = "".join(draw(st.lists(st.sampled_from(REGEX_ATOMS), min_size=1, max_size=4)))
    if '"#' in pattern:
        pattern = pattern.replace('"#', "")
    return f'http.host matches r#"{pattern}"#'


@st.composite
def wildcard_stars(draw) -> str:
    """A wildcard pattern with around the engine's limit of unescaped stars."""
    stars = draw(st.integers(8, 13))
    escaped = draw(st.integers(0, 3))
    pattern = "a*" * stars + "\\\\*" * escaped
    op = draw(st.sampled_from(["wildcard", "strict wildcard"]))
    return f'http.host {op} "{pattern}"'


def hostile_expression(filters=None):
    """One of the edge-case families above, alone or joined to a generated valid filter."""
    family = st.one_of(function_call(), huge_literal(), regex_edge(), wildcard_stars())
    return st.one_of(
        family,
        st.tuples(family, filters if filters is not None else filter_expression()).map(lambda p: f"{p[1]} and {p[0]}"),
    )
