"""The two limits the Rust ``regex`` crate puts on a pattern that is otherwise valid.

* **Nesting:** the parser refuses more than 250 nested groups, repetitions, alternations,
  concatenations and bracketed classes (regex-syntax's default ``nest_limit``).
* **Compiled size:** the compiled program may take at most 10 MiB (10,485,760 bytes, the
  crate's default ``size_limit``, which the engine reports as "Compiled regex exceeds size
  limit of 10485760 bytes").

The compiled size cannot be reproduced exactly without the crate's compiler, so this module
computes a *lower bound* from costs measured against the engine (bytes mode, Unicode off: 129
bytes for any program, a literal byte 32 bytes, a class at least 72, an optional copy 40 more; with ``(?u)``,
``.`` at least 900 and ``\\w`` at least 50,000). A pattern is reported only when even the lower
bound is over the limit, so rulelint never rejects a pattern the engine accepts; patterns just
under the limit that the engine rejects are missed (see docs/language-conformance.md).

Only called on patterns ``literals.check_regex`` found well formed.
"""

from __future__ import annotations

NEST_LIMIT = 250
SIZE_LIMIT = 10 * 1024 * 1024

_BASE = 129  # what every program costs: a{327675} fits, a{327676} does not
_LITERAL = 32
_CLASS = 72
_OPTIONAL = 40
_UNICODE_DOT = 900
_UNICODE_WORD = 50_000


class _Frame:
    """One group being read: finished alternatives, the current one, and the group's flags."""

    __slots__ = ("branches", "items", "unicode", "verbose")

    def __init__(self, unicode: bool, verbose: bool) -> None:
        self.branches: list[tuple[int, int]] = []  # (size, depth) of each finished branch
        self.items: list[list[int]] = []  # [size, depth] of each item of the current branch
        self.unicode = unicode
        self.verbose = verbose

    def end_branch(self) -> None:
        items = self.items
        size = sum(item[0] for item in items)
        depth = max((item[1] for item in items), default=0) + (1 if len(items) > 1 else 0)
        self.branches.append((size, depth))
        self.items = []

    def close(self) -> tuple[int, int]:
        """The (size, depth) of everything read in this frame."""
        self.end_branch()
        size = sum(b[0] for b in self.branches)
        depth = max(b[1] for b in self.branches) + (1 if len(self.branches) > 1 else 0)
        return size, depth


def _apply_flags(flags: str, frame: _Frame) -> None:
    on = True
    for ch in flags:
        if ch == "-":
            on = False
        elif ch == "u":
            frame.unicode = on
        elif ch == "x":
            frame.verbose = on


def _counted(body: str) -> tuple[int, int | None]:
    low, comma, high = "".join(body.split()).partition(",")
    return int(low), (int(high) if high else None) if comma else int(low)


def limit_problem(pattern: str) -> str | None:
    """Why the crate rejects the well-formed ``pattern`` for its nesting or size, or None."""
    stack = [_Frame(unicode=False, verbose=False)]
    i, n = 0, len(pattern)
    while i < n:
        frame = stack[-1]
        ch = pattern[i]
        if frame.verbose and ch in " \t\n\r\f\v":
            i += 1
            continue
        if frame.verbose and ch == "#":
            end = pattern.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch == "(":
            if pattern.startswith("(?", i) and pattern[i + 2 : i + 3] not in ("P", "<"):
                end = i + 2
                while end < n and pattern[end] not in ":)":
                    end += 1
                if pattern[end : end + 1] == ")":  # (?flags): for the rest of this group
                    _apply_flags(pattern[i + 2 : end], frame)
                    i = end + 1
                    continue
                inner = _Frame(frame.unicode, frame.verbose)
                _apply_flags(pattern[i + 2 : end], inner)
                i = end + 1
            else:
                inner = _Frame(frame.unicode, frame.verbose)
                i = pattern.find(">", i) + 1 if pattern[i + 1 : i + 2] == "?" else i + 1
            stack.append(inner)
            if len(stack) > NEST_LIMIT + 1:
                return f"the pattern nests more than {NEST_LIMIT} levels (the regex crate's limit)"
            continue
        if ch == ")" and len(stack) > 1:
            size, depth = stack.pop().close()
            stack[-1].items.append([size, depth + 1])
            i += 1
            continue
        if ch == "|":
            frame.end_branch()
            i += 1
            continue
        if ch in "*+?" or (ch == "{" and frame.items):
            if ch == "{":
                close = pattern.find("}", i)
                low, high = _counted(pattern[i + 1 : close])
                i = close + 1
            else:
                low, high = (0, 1) if ch == "?" else (0, None)
                i += 1
            if pattern[i : i + 1] == "?":  # lazy
                i += 1
            if not frame.items:
                continue
            item = frame.items[-1]
            cost = item[0]
            item[0] = low * cost + ((high - low) * (cost + _OPTIONAL) if high is not None else cost)
            item[1] += 1
            if item[1] > NEST_LIMIT:
                return f"the pattern nests more than {NEST_LIMIT} levels (the regex crate's limit)"
            continue
        if ch == "[":
            i, depth = _skip_class(pattern, i)
            frame.items.append([_CLASS, depth])
            continue
        if ch == "\\":
            letter = pattern[i + 1 : i + 2]
            if letter in ("p", "P", "x", "u", "U") and pattern[i + 2 : i + 3] == "{":
                i = pattern.find("}", i) + 1
            elif letter == "x":
                i += 4
            elif letter == "u":
                i += 6
            elif letter == "U":
                i += 10
            elif letter in ("p", "P"):
                i += 3
            elif letter == "b" and pattern[i + 2 : i + 3] == "{":
                i = pattern.find("}", i) + 1
                continue  # an assertion: no cost
            else:
                i += 2
            if letter in "bBAzZ<>":
                continue
            if letter in "wW" and frame.unicode:
                frame.items.append([_UNICODE_WORD, 0])
            elif letter in "wWdDsSpP":
                frame.items.append([_CLASS, 0])
            else:
                frame.items.append([_LITERAL, 0])
            continue
        if ch in "^$":
            i += 1
            continue
        if ch == ".":
            frame.items.append([_UNICODE_DOT if frame.unicode else _CLASS, 0])
        else:
            frame.items.append([_LITERAL, 0])
        i += 1
    while len(stack) > 1:  # unbalanced: check_regex reports it
        stack.pop()
    size, depth = stack[0].close()
    if depth > NEST_LIMIT:
        return f"the pattern nests more than {NEST_LIMIT} levels (the regex crate's limit)"
    if _BASE + size > SIZE_LIMIT:
        return (f"the compiled pattern would exceed the regex crate's size limit of "
                f"{SIZE_LIMIT:,} bytes (repetition counts multiply its size)")
    return None


def _skip_class(pattern: str, start: int) -> tuple[int, int]:
    """The index just past the bracketed class at ``start``, and its nesting depth."""
    i = start + 1
    n = len(pattern)
    depth = 1
    deepest = 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[" and pattern[i + 1 : i + 2] == ":":
            end = pattern.find(":]", i + 2)
            if end > 0:
                i = end + 2
                continue
        if ch == "[":
            depth += 1
            deepest = max(deepest, depth)
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            continue
        if ch == "]":
            depth -= 1
            i += 1
            if depth == 0:
                break
            continue
        i += 1
    return i, deepest  # a lower bound: a class of several items counts one level more
