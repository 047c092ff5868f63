"""Compare every function signature of grammars/functions.json with Cloudflare's engine.

For each function, calls with 0 to max+1 arguments drawn from fields and literals of every type
are judged by the engine and by rulelint; only whether the *call* is accepted counts (the
engine's argument errors against rulelint's ``argument-*`` diagnostics). Prints the calls on
which they differ, grouped by function. Every difference left must be a documented one
(grammars/conformance-exceptions.md)::

    python -m tests.conformance.probe_signatures
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

import octorules_wirefilter

from rulelint.language import parse, tables

ARGUMENTS = {
    "field Bytes": "http.host", "field Int": "cf.threat_score", "field Ip": "ip.src",
    "field Bool": "ssl", "field Array<Bytes>": "http.request.headers.names",
    "field Map<Array<Bytes>>": "http.request.headers",
    "literal Bytes": '"a"', "literal Int": "1", "literal Ip": "1.2.3.4",
}
ENGINE_CALL_ERROR = re.compile(r"invalid[^\n]*argument[^\n]*|invalid number of arguments")
MAX_CALLS_PER_COUNT = 400


def _calls(name: str, count: int):
    combos = list(itertools.product(ARGUMENTS, repeat=count))
    step = max(1, len(combos) // MAX_CALLS_PER_COUNT)
    for combo in combos[::step]:
        yield combo, f"{name}({', '.join(ARGUMENTS[kind] for kind in combo)})"


def differences() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    found: dict[str, list] = defaultdict(list)
    for name, info in tables.functions().items():
        if info.grammar:
            continue
        top = (info.max_args if info.max_args is not None else info.min_args + 1) + 1
        for count in range(top + 1):
            for combo, call in _calls(name, count):
                text = f'{call} eq ""'
                error = octorules_wirefilter.parse_expression(text).get("error", "")
                engine = ENGINE_CALL_ERROR.search(error)
                ours = [d.message for d in parse(text).diagnostics
                        if d.severity == "error" and d.code.startswith("argument")]
                if bool(engine) != bool(ours):
                    found[name].append((combo, engine.group() if engine else "accepted",
                                        ours[0] if ours else "accepted"))
    return found


def main() -> None:
    for name, rows in sorted(differences().items()):
        print(f"{name}: {len(rows)} call(s) judged differently")
        for combo, engine, ours in rows[:6]:
            print(f"    ({', '.join(combo)}): engine {engine}; rulelint {ours}")


if __name__ == "__main__":
    main()
