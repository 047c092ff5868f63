"""Decoding and checking of literal values, with wirefilter's exact rules.

Each checker returns ``None`` when the literal is fine, or ``(message, start, end)`` with
offsets relative to the literal's text so the parser can point at the exact characters.
"""

from __future__ import annotations

import ipaddress
import re

from .regex_limits import limit_problem
from .regex_unicode import property_problem

_OCTAL = frozenset("01234567")
_HEX = frozenset("0123456789abcdefABCDEF")

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# Python refuses to convert decimal text of more than 4,300 digits (and a huge literal would be
# slow to convert anyway). No number the language takes needs more than 22 significant digits
# (2**63 in octal), so every digit run is bounded before it is converted.
MAX_SIGNIFICANT_DIGITS = 24
TOO_LARGE = 2**65


def bounded_int(digits: str, radix: int = 10) -> int | None:
    """``int(digits, radix)`` for a run of ASCII digits, or None when it is not one.

    Leading zeros are dropped first; a value with more significant digits than any literal of
    the language can hold is returned as ``TOO_LARGE`` (2**65, beyond every limit, negated or
    not), which every caller rejects, without converting it.
    """
    if not digits or not digits.isascii() or not digits.isalnum():
        return None
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_SIGNIFICANT_DIGITS:
        if any(int(ch, 36) >= radix for ch in significant):
            return None
        return TOO_LARGE
    try:
        return int(significant, radix)
    except ValueError:
        return None


def decode_quoted(body: str) -> tuple[bytes, tuple[str, int, int] | None]:
    """Decode the text between the quotes of a ``"…"`` string.

    Allowed escapes are exactly ``\\"``, ``\\\\``, ``\\xHH`` and ``\\OOO`` (value ≤ 0o377);
    anything else is an error located at the backslash.
    """
    if "\\" not in body:
        return body.encode("utf-8", "surrogatepass"), None
    out = bytearray()
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch != "\\":
            j = body.find("\\", i)
            if j < 0:
                j = n
            out += body[i:j].encode("utf-8", "surrogatepass")
            i = j
            continue
        nxt = body[i + 1] if i + 1 < n else ""
        if nxt in ('"', "\\"):
            out.append(ord(nxt))
            i += 2
        elif nxt == "x" and len(body[i + 2 : i + 4]) == 2 and set(body[i + 2 : i + 4]) <= _HEX:
            out.append(int(body[i + 2 : i + 4], 16))
            i += 4
        elif (
            len(body[i + 1 : i + 4]) == 3
            and set(body[i + 1 : i + 4]) <= _OCTAL
            and int(body[i + 1 : i + 4], 8) <= 0o377
        ):
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
        else:
            shown = "\\" + nxt if nxt else "\\"
            return bytes(out), (
                f"invalid escape {shown} in a string; "
                'expected \\", \\\\, \\xHH (two hex digits) or \\OOO (three octal digits)',
                i,
                min(i + 2, n),
            )
    return bytes(out), None


def quote_bytes(value: bytes) -> str:
    """Write bytes as a quoted string that decodes to exactly the same bytes."""
    text = value.decode("utf-8", "surrogateescape")
    parts = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            parts.append('\\"')
        elif ch == "\\":
            parts.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable() and not (0xD800 <= code <= 0xDFFF):
            parts.append(ch)
        else:
            parts.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
    parts.append('"')
    return "".join(parts)


def shorten(text: str, keep: int = 24) -> str:
    """A literal as a message shows it: whole when short, else its start and its length."""
    if len(text) <= keep * 2:
        return text
    return f"{text[:keep]}… ({len(text):,} characters)"


def convert_int(text: str) -> tuple[int | None, str | None]:
    """Value of an integer token (``0x`` hex, leading-``0`` octal, decimal), or an error.

    The token is what ``tokens.integer`` matches: wirefilter reads ``0x`` then hex digits,
    a leading ``0`` then octal digits, or an optional ``-`` then decimal digits; in every case
    it takes in any hex digit, so ``08`` and ``1f`` are one (invalid) token.
    """
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    value: int | None = None
    if digits.startswith("0x") and not negative:
        kind = "hexadecimal"
        if not digits[2:]:
            return None, f"{shorten(text)} has no digits after 0x"
        radix, body = 16, digits[2:]
    elif digits.startswith("0") and not negative:
        kind, radix, body = "octal", 8, digits
    else:
        kind, radix, body = "decimal", 10, digits
    value = bounded_int(body, radix)
    if value is None:
        return None, f"{shorten(text)} is not a valid {kind} integer"
    if negative:
        value = -value
    if not INT64_MIN <= value <= INT64_MAX:
        return None, f"{shorten(text)} does not fit in a 64-bit signed integer"
    return value, None


# --- IP addresses and networks ---------------------------------------------------------------


def parse_address(text: str, lenient: bool = False) -> tuple[str, bool] | None:
    """The canonical text of an IP address, and whether it was written in full; None if invalid.

    Strict parsing is Rust's ``IpAddr::from_str`` (what wirefilter uses after ``eq`` and for
    range ends): dotted quads without leading zeros, or IPv6. ``lenient`` adds what the ``cidr``
    crate (0.2) accepts for ``{…}`` list elements: one to four decimal octets, leading zeros
    allowed, missing octets zero (``10.20`` is the address 10.20.0.0, ``1.1.1.01`` is 1.1.1.1).
    """
    try:
        return ipaddress.ip_address(text).compressed, True
    except ValueError:
        pass
    if not lenient:
        return None
    parts = text.split(".")
    octets = [bounded_int(p) if p.isascii() and p.isdigit() else None for p in parts]
    if len(parts) > 4 or not all(o is not None and o <= 255 for o in octets):
        return None
    octets += [0] * (4 - len(parts))
    return str(ipaddress.IPv4Address(bytes(octets))), False


def parse_network(token: str) -> tuple[str, int | None, str | None, str | None]:
    """A ``{…}`` list element as wirefilter's ``cidr`` crate reads it.

    Returns ``(address, prefix, problem, note)``: the canonical address (or the text as written
    when invalid), the prefix length or None for a single address, why it is invalid, and, when
    it is valid but not written in full, what it means (for a warning).
    """
    address_text, slash, length_text = token.rpartition("/") if "/" in token else (token, "", "")
    parsed = parse_address(address_text, lenient=True)
    if parsed is None:
        return address_text, None, f"{shorten(token)} is not a valid IP address", None
    address, full = parsed
    note = None if full else f"{shorten(address_text)} is read as the address {address}"
    if not slash:
        return address, None, None, note
    length = bounded_int(length_text) if length_text.isdigit() else None
    if length is None or length > 255:
        return address, None, f"{shorten(token)} has an invalid network length /{shorten(length_text)}", None
    ip = ipaddress.ip_address(address)
    if length > ip.max_prefixlen:
        return address, length, (
            f"/{length_text} is too long for an IPv{ip.version} network (at most /{ip.max_prefixlen})"
        ), None
    return address, length, None, note


# --- regular expressions (Rust regex crate, unicode(false), utf8(false)) --------------------

# Escapes the Rust regex crate rejects ("unrecognized escape sequence").
_RUST_BAD_ESCAPES = frozenset("cegh ijklmoqyCEFGHIJKLMNOQRTVXYZ".replace(" ", ""))
_FLAG_GROUP = re.compile(r"\(\?([imsUuxR-]*)([:)])")


_HEX_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_U32_MAX = 2**32 - 1  # the regex crate reads repetition counts as u32


def _check_hex_escape(pattern: str, i: int, letter: str) -> tuple[str | None, int]:
    """Check the ``\\x``/``\\u``/``\\U`` escape at ``i``: exactly 2/4/8 hex digits, or ``{hex+}``
    naming a Unicode scalar value. Returns (problem, index just past the escape)."""
    start = i + 2
    if pattern[start : start + 1] == "{":
        end = pattern.find("}", start)
        if end < 0:
            return f"incomplete \\{letter}{{…}} escape: no closing }}", len(pattern)
        digits = pattern[start + 1 : end]
        if not digits:
            return f"empty hexadecimal escape \\{letter}{{}}", end + 1
        after = end + 1
    else:
        count = _HEX_ESCAPE_DIGITS[letter]
        digits = pattern[start : start + count]
        if len(digits) < count and set(digits) <= _HEX:
            return (f"incomplete escape \\{letter}{digits}: \\{letter} takes exactly {count} hex "
                    f"digits or {{…}}"), len(pattern)
        after = start + count
    if not set(digits) <= _HEX:
        return f"invalid hexadecimal digit in the escape \\{letter}{digits}", after
    value = int(digits, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return f"\\{letter}{digits} is not a Unicode scalar value", after
    return None, after


def _capture_name_problem(name: str, seen: set[str]) -> str | None:
    """Why the crate rejects a capture group name (recording it in ``seen``), or None: a letter
    or ``_`` first, then letters, digits, ``_``, ``.``, ``[`` and ``]``; each name once."""
    if not name:
        return "empty capture group name"
    if not (name[0].isalpha() or name[0] == "_") or not all(
        ch.isalnum() or ch in "_.[]" for ch in name[1:]
    ):
        return f"invalid capture group name {shorten(name)!r}"
    if name in seen:
        return f"duplicate capture group name {shorten(name)!r}"
    seen.add(name)
    return None


def _flags_problem(flags: str) -> str | None:
    """Why the crate rejects the flags of ``(?flags)`` / ``(?flags:…)``, or None."""
    seen: set[str] = set()
    negated = False
    for ch in flags:
        if ch == "-":
            if negated:
                return "the flag negation operator - is repeated"
            negated = True
        elif ch in seen:
            return f"duplicate flag {ch}"
        else:
            seen.add(ch)
    if flags.endswith("-"):
        return "the flag negation operator - is not followed by a flag"
    return None


def check_regex(pattern: str) -> str | None:
    """Why the Rust ``regex`` crate (as wirefilter configures it) rejects ``pattern``, or None.

    The features Rust lacks are checked explicitly; Python's ``re`` is then consulted only for
    structural errors both engines report the same way (unbalanced groups, bad ranges…), so a
    pattern Rust accepts is never reported.
    """
    i = 0
    n = len(pattern)
    in_class = False
    class_depth = 0
    unicode_on = False
    verbose = False
    names: set[str] = set()
    translated: list[str] = []
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1] if i + 1 < n else ""
            if nxt == "":
                return "the pattern ends with a lone backslash"
            if nxt.isdigit():
                return f"backreferences such as \\{nxt} are not supported"
            if nxt in _RUST_BAD_ESCAPES:
                return f"\\{nxt} is not a recognised escape sequence"
            if nxt in "pP":
                if not unicode_on:
                    return (
                        f"\\{nxt} (Unicode class) is not allowed here; Unicode mode is off "
                        "unless the pattern enables it with (?u)"
                    )
                if pattern[i + 2 : i + 3] == "{":
                    end = pattern.find("}", i)
                    if end < 0:
                        return f"unclosed Unicode class \\{nxt}{{…: no closing }}"
                    body, i = pattern[i + 3 : end], end + 1
                else:
                    body, i = pattern[i + 2 : i + 3], i + 3
                    if not body:
                        return f"incomplete escape \\{nxt} at the end of the pattern"
                problem = property_problem(body)
                if problem:
                    return problem
                translated.append("." if not in_class else "a")
                continue
            if nxt in _HEX_ESCAPE_DIGITS:
                problem, i = _check_hex_escape(pattern, i, nxt)
                if problem:
                    return problem
                translated.append("a")
                continue
            if nxt == "b" and pattern[i + 2 : i + 3] == "{" and not in_class:
                end = pattern.find("}", i)
                translated.append("(?:\\b)")
                i = (end + 1) if end > 0 else i + 2
                continue
            if nxt == "z":
                translated.append("(?:\\Z)")
                i += 2
                continue
            if nxt in "<>":
                translated.append("(?:\\b)")
                i += 2
                continue
            if nxt in "bBA" and not in_class:  # assertions: Rust lets them be repeated
                translated.append(f"(?:{pattern[i : i + 2]})")
                i += 2
                continue
            translated.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if pattern[i : i + 2] in ("--", "&&", "~~"):  # class set operations
                translated.append("\\-" if ch == "-" else ch)
                i += 2
                continue
            if ch == "]":
                class_depth -= 1
                in_class = class_depth > 0
                translated.append("]" if not in_class else "\\]")
                i += 1
                continue
            if ch == "[" and pattern[i + 1 : i + 2] == ":":
                end = pattern.find(":]", i + 2)
                if end > 0:
                    translated.append("a")
                    i = end + 2
                    continue
            if ch == "[":  # a nested class, read as part of the outer one for Python
                class_depth += 1
                translated.append("\\[")
                i += 1
                if pattern[i : i + 1] == "^":
                    i += 1
                if pattern[i : i + 1] == "]":
                    translated.append("\\]")
                    i += 1
                continue
            translated.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            class_depth = 1
            translated.append(ch)
            i += 1
            if pattern[i : i + 1] == "^":
                translated.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                translated.append("\\]")
                i += 1
            continue
        if ch == "(" and pattern[i + 1 : i + 2] == "?":
            rest = pattern[i + 2 : i + 4]
            if rest[:1] in ("=", "!") or rest in ("<=", "<!"):
                return "look-around, including look-ahead and look-behind, is not supported"
            if rest[:1] == "<" or rest == "P<":
                start = i + (3 if rest[:1] == "<" else 4)
                close = pattern.find(">", start)
                if close < 0:
                    return "unclosed capture group name: no closing >"
                problem = _capture_name_problem(pattern[start:close], names)
                if problem:
                    return problem
                translated.append(f"(?P<g{len(names)}>")
                i = close + 1
                continue
            flags = _FLAG_GROUP.match(pattern, i)
            if flags is None:
                return f"unrecognised group or flag after (? at offset {i}"
            problem = _flags_problem(flags.group(1)) if flags.group(0) != "(?)" else (
                "(? is not followed by flags, a group name or :")
            if problem:
                return problem
            if "u" in flags.group(1).split("-")[0]:
                unicode_on = True
            kept = flags.group(1).replace("U", "").replace("u", "").replace("R", "")
            if flags.group(2) == ")":
                # Rust takes (?flags) anywhere, Python only at the start: only x changes
                # the structure, so it becomes one global flag and the others are dropped.
                verbose = verbose or "x" in flags.group(1).split("-")[0]
            else:
                translated.append(f"(?{kept}:" if kept.strip("-") else "(?:")
            i = flags.end()
            continue
        if ch == "{":
            close = pattern.find("}", i)
            body = pattern[i + 1 : close] if close > 0 else None
            if body is None:
                return "unclosed counted repetition {…"
            body = "".join(body.split())  # the crate allows spaces inside {…}
            if not re.fullmatch(r"\d+(,\d*)?", body):
                return (f"invalid counted repetition {{{shorten(body)}}}; "
                        "expected {n}, {n,} or {n,m}")
            low_text, _, high_text = body.partition(",")
            low = bounded_int(low_text)
            high = bounded_int(high_text) if high_text else None
            if low > _U32_MAX or (high is not None and high > _U32_MAX):
                return (f"the repetition count in {{{shorten(body)}}} is too large "
                        f"(at most {_U32_MAX})")
            if high is not None and low > high:
                return f"invalid counted repetition {{{body}}}: the start must be <= the end"
            translated.append("{" + body + "}")
            i = close + 1
            continue
        translated.append(f"(?:{ch})" if ch in "^$" else ch)
        i += 1
    if in_class:
        return "unclosed character class ["
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(("(?x)" if verbose else "") + "".join(translated))
    except (OverflowError, RecursionError):
        return None  # structural limits are checked above; Python's own differ from Rust's
    except re.error as exc:
        message = str(exc.msg)
        if message.startswith(("missing ), unterminated subpattern", "unbalanced parenthesis")):
            return "unbalanced parentheses"
        if message.startswith("nothing to repeat"):
            return "a repetition operator (*, +, ?, {…}) has nothing to repeat"
        if message.startswith("bad character range"):
            return "invalid character class range: the start must be <= the end"
    return limit_problem(pattern)


WILDCARD_STAR_LIMIT = 10  # the engine: "wildcard has 11 star metacharacters, but the limit is 10"


def check_wildcard(value: bytes) -> tuple[str, int] | None:
    """Why a wildcard pattern (already unescaped) is invalid, with the byte offset, or None.

    Besides ``**`` and bad escapes, Cloudflare's engine refuses more than
    ``WILDCARD_STAR_LIMIT`` unescaped ``*`` in one pattern.
    """
    i = 0
    n = len(value)
    previous_star = False
    stars = 0
    while i < n:
        byte = value[i]
        if byte == 0x5C:  # backslash
            if i + 1 >= n or value[i + 1] not in (0x2A, 0x5C):
                return "invalid escape in wildcard pattern; only \\* and \\\\ are allowed", i
            previous_star = False
            i += 2
            continue
        if byte == 0x2A:
            if previous_star:
                return "a wildcard pattern may not contain ** (two consecutive stars)", i - 1
            previous_star = True
            stars += 1
            if stars > WILDCARD_STAR_LIMIT:
                return (f"a wildcard pattern may contain at most {WILDCARD_STAR_LIMIT} * "
                        "(unescaped stars)"), i
        else:
            previous_star = False
        i += 1
    return None


_LIST_NAME = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")


def check_list_name(name: str) -> str | None:
    """Why ``$name`` is not a valid list name (without the ``$``), or None."""
    if _LIST_NAME.fullmatch(name):
        return None
    if not name:
        return "expected a list name after $"
    return (
        f"invalid list name ${name}; list names use lowercase letters, digits and _ "
        "(managed lists are written $cf.name)"
    )
