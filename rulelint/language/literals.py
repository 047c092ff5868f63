"""Decoding and checking of literal values, with wirefilter's exact rules.

Each checker returns ``None`` when the literal is fine, or ``(message, start, end)`` with
offsets relative to the literal's text so the parser can point at the exact characters.
"""

from __future__ import annotations

import re

_OCTAL = frozenset("01234567")
_HEX = frozenset("0123456789abcdefABCDEF")

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


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


def convert_int(text: str) -> tuple[int | None, str | None]:
    """Value of an integer token (``0x`` hex, leading-``0`` octal, decimal), or an error."""
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    try:
        if digits[:2] in ("0x", "0X"):
            value = int(digits[2:], 16) if digits[2:] else None
            kind = "hexadecimal"
        elif len(digits) > 1 and digits[0] == "0":
            kind = "octal"
            value = int(digits[1:], 8)
        else:
            kind = "decimal"
            value = int(digits, 10) if digits.isdigit() else None
    except ValueError:
        value = None
    if value is None:
        return None, f"{text} is not a valid {kind} integer"
    if negative:
        value = -value
    if not INT64_MIN <= value <= INT64_MAX:
        return None, f"{text} does not fit in a 64-bit signed integer"
    return value, None


# --- regular expressions (Rust regex crate, unicode(false), utf8(false)) --------------------

# Escapes the Rust regex crate rejects ("unrecognized escape sequence").
_RUST_BAD_ESCAPES = frozenset("cegh ijklmoqyCEFGHIJKLMNOQRTVXYZ".replace(" ", ""))
_FLAG_GROUP = re.compile(r"\(\?([imsUuxR-]*)([:)])")


def check_regex(pattern: str) -> str | None:
    """Why the Rust ``regex`` crate (as wirefilter configures it) rejects ``pattern``, or None.

    The features Rust lacks are checked explicitly; Python's ``re`` is then consulted only for
    structural errors both engines report the same way (unbalanced groups, bad ranges…), so a
    pattern Rust accepts is never reported.
    """
    i = 0
    n = len(pattern)
    in_class = False
    unicode_on = False
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
                if not unicode_on or in_class:
                    return (
                        f"\\{nxt} (Unicode class) is not allowed here; Unicode mode is off "
                        "unless the pattern enables it with (?u)"
                    )
                end = pattern.find("}", i) + 1 if pattern[i + 2 : i + 3] == "{" else i + 3
                translated.append("." if not in_class else "a")
                i = max(end, i + 3)
                continue
            if nxt == "x" and pattern[i + 2 : i + 3] == "{":
                end = pattern.find("}", i)
                if end < 0:
                    return "unclosed \\x{…} escape"
                translated.append("a")
                i = end + 1
                continue
            if nxt == "b" and pattern[i + 2 : i + 3] == "{" and not in_class:
                end = pattern.find("}", i)
                translated.append("\\b")
                i = (end + 1) if end > 0 else i + 2
                continue
            if nxt == "z":
                translated.append("\\Z")
                i += 2
                continue
            if nxt in "<>":
                translated.append("\\b")
                i += 2
                continue
            translated.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            elif ch == "[" and pattern[i + 1 : i + 2] == ":":
                end = pattern.find(":]", i + 2)
                if end > 0:
                    translated.append("a")
                    i = end + 2
                    continue
            translated.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
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
                translated.append("(?P<")
                i = start
                continue
            flags = _FLAG_GROUP.match(pattern, i)
            if flags is None:
                return f"unrecognised group or flag after (? at offset {i}"
            if "u" in flags.group(1).split("-")[0]:
                unicode_on = True
            kept = flags.group(1).replace("U", "").replace("u", "").replace("R", "")
            translated.append(f"(?{kept}{flags.group(2)}" if kept.strip("-") else (
                "(?:" if flags.group(2) == ":" else "(?:)"))
            i = flags.end()
            continue
        if ch == "{":
            close = pattern.find("}", i)
            body = pattern[i + 1 : close] if close > 0 else None
            if body is None:
                return "unclosed counted repetition {…"
            if not re.fullmatch(r"\d+(,\d*)?", body):
                return f"invalid counted repetition {{{body}}}; expected {{n}}, {{n,}} or {{n,m}}"
            if "," in body and body.split(",")[1] and int(body.split(",")[0]) > int(body.split(",")[1]):
                return f"invalid counted repetition {{{body}}}: the start must be <= the end"
            translated.append(pattern[i : close + 1])
            i = close + 1
            continue
        translated.append(ch)
        i += 1
    if in_class:
        return "unclosed character class ["
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile("".join(translated))
    except re.error as exc:
        message = str(exc.msg)
        if message.startswith(("missing ), unterminated subpattern", "unbalanced parenthesis")):
            return "unbalanced parentheses"
        if message.startswith("nothing to repeat"):
            return "a repetition operator (*, +, ?, {…}) has nothing to repeat"
        if message.startswith("bad character range"):
            return "invalid character class range: the start must be <= the end"
    return None


def check_wildcard(value: bytes) -> tuple[str, int] | None:
    """Why a wildcard pattern (already unescaped) is invalid, with the byte offset, or None."""
    i = 0
    n = len(value)
    previous_star = False
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
