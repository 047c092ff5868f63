"""Time rulelint against octorules and against a parse-only floor, in cold processes.

For each size N it runs the tools pair by pair: round after round, one process of each tool in
turn (the order reversed every other round), so a change in the machine's load falls on every
tool alike instead of on whichever ran last (timing the tools one after another gave 0.27 where
paired timing gives 0.52). Processes run one at a time, pinned to one CPU; the first round is an
untimed warm-up. The tools:

* ``rulelint check --format json --output /dev/null bundle-N.json``   (API JSON bundle)
* ``rulelint check --format json --output /dev/null terraform-N/``    (Terraform v5)
* ``octorules --config octorules-N/config.yaml lint --format json``   (the same rules)
* the floor: a process that json-loads bundle-N.json and parses every expression with the
  Cloudflare engine binding (``octorules_wirefilter.parse_expression``) — the least work any
  linter that really parses could do.

Each cold process runs in a fresh empty working directory with a fresh ``XDG_CACHE_HOME``, so
no cache survives between runs; only "cache warm" re-uses the cache its warm-up round filled,
and its report must be byte-identical to the cold run's. Every exit code is checked (0 or 1 for
a linter, no traceback). It prints wall time (median and min-max), cost per rule, peak RSS, the
ratios rulelint/octorules and rulelint/floor (the median of the per-round ratios), Terraform
against the same rules as a bundle, peak RSS against octorules', and the machine's load average
before and after; ``--markdown FILE`` writes the same table. A tool that fails or times out is
reported as such and the run goes on.

Before timing, the installed packages of this interpreter (rulelint, octorules and their
dependencies) are compiled to bytecode, as ``pip install`` does for users: the environment may
set ``PYTHONDONTWRITEBYTECODE``, and without bytecode every cold process of either tool would
compile every module it imports from source (``--no-compile`` skips this).

    python benchmarks/run.py [--sizes 10,100,1000,10000,100000] [--repeat 5] [--markdown FILE]
    python benchmarks/run.py --floor bundle-N.json     # (internal) the floor process
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = "10,100,1000,10000,100000"
LINT_EXIT_CODES = {0, 1}  # clean / findings reported; anything else is a failure
REPORT = "report.json"  # where rulelint writes its report, in the process's working directory


# -- the floor process ----------------------------------------------------------------------------
def floor(bundle_path: str) -> int:
    """Load the bundle and parse every expression with the wirefilter binding."""
    import octorules_wirefilter

    sys.path.insert(0, str(HERE))
    from generate import iter_expressions

    with open(bundle_path, encoding="utf-8") as fh:
        bundle = json.load(fh)
    parsed = errors = 0
    for _context, text in iter_expressions(bundle):
        result = octorules_wirefilter.parse_expression(text)
        parsed += 1
        errors += "error" in result
    print(json.dumps({"parsed": parsed, "errors": errors}))
    return 0


# -- measuring one process ------------------------------------------------------------------------
@dataclass
class Sample:
    wall: float
    rss_mb: float
    returncode: int | None  # None = timed out
    stderr_tail: str = ""
    report: str | None = None  # SHA-256 of the report the process wrote, when it wrote one


def measure(argv: list[str], timeout: float) -> Sample:
    """Run ``argv`` once in a fresh directory; wall time and peak RSS from wait4()."""
    with tempfile.TemporaryDirectory(prefix="rulelint-bench-") as work:
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"), PYTHONDONTWRITEBYTECODE="1")
        err_path = os.path.join(work, "stderr")
        with open(err_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            outcome: dict = {}

            def reap() -> None:
                _, status, usage = os.wait4(proc.pid, 0)
                outcome["wall"] = time.perf_counter() - start
                outcome["status"] = status
                outcome["rss_kb"] = usage.ru_maxrss

            waiter = threading.Thread(target=reap, daemon=True)
            waiter.start()
            waiter.join(timeout)
            timed_out = waiter.is_alive()
            if timed_out:
                os.killpg(proc.pid, signal.SIGKILL)
                waiter.join()
            proc.returncode = os.waitstatus_to_exitcode(outcome["status"])  # stop Popen reaping again
        with open(err_path, "rb") as fh:
            tail = fh.read()[-4000:].decode("utf-8", "replace").strip()
        report = None
        report_path = os.path.join(work, REPORT)
        if os.path.isfile(report_path):
            import hashlib

            with open(report_path, "rb") as fh:
                report = hashlib.sha256(fh.read()).hexdigest()
    return Sample(outcome["wall"], outcome["rss_kb"] / 1024, None if timed_out else proc.returncode, tail, report)


@dataclass
class Cell:
    size: int
    tool: str
    samples: list[Sample] = field(default_factory=list)
    skipped: str = ""

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if succeeded(self.tool, s)]

    @property
    def status(self) -> str:
        if self.skipped:
            return self.skipped
        bad = [s for s in self.samples if s not in self.ok]
        if not bad:
            return "ok"
        worst = bad[0]
        return "timeout" if worst.returncode is None else f"failed (exit {worst.returncode})"

    @property
    def median(self) -> float | None:
        return statistics.median(s.wall for s in self.ok) if self.ok and not self.failed else None

    @property
    def failed(self) -> bool:
        return bool(self.skipped) or len(self.ok) != len(self.samples) or not self.samples


def succeeded(tool: str, sample: Sample) -> bool:
    """Exit 0, or 1 for a linter reporting findings — but a Python traceback also exits 1."""
    expected = {0} if tool == "floor" else LINT_EXIT_CODES
    return sample.returncode in expected and "Traceback (most recent call last)" not in sample.stderr_tail


# -- the benchmark --------------------------------------------------------------------------------
def compile_bytecode() -> str:
    """Compile every installed package and rulelint's own source to bytecode (see the docstring)."""
    import importlib.util
    import sysconfig

    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    spec = importlib.util.find_spec("rulelint")
    if spec and spec.submodule_search_locations:  # an editable install lives outside site-packages
        folders.update(spec.submodule_search_locations)
    folders = sorted(f for f in folders if os.path.isdir(f))
    result = subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
                            capture_output=True, text=True)
    return f"compiled to bytecode ({', '.join(folders)}; exit {result.returncode})"


def executable(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def commands(size: int, data: Path) -> dict[str, list[str] | None]:
    rulelint = executable("rulelint")
    rl = [rulelint] if rulelint else [sys.executable, "-m", "rulelint"]
    octorules = executable("octorules")
    check = ["check", "--format", "json", "--output", REPORT]
    return {
        "rulelint bundle": rl + check + [str(data / f"bundle-{size}.json")],
        "rulelint terraform": rl + check + [str(data / f"terraform-{size}")],
        # The same bundle again with a parse cache that the warm-up run filled (a re-run on
        # unchanged input); the cache folder is emptied before the cell starts.
        "rulelint bundle, cache warm": rl + check + ["--cache-dir", str(warm_cache(data, size)),
                                                     str(data / f"bundle-{size}.json")],
        "octorules": [octorules, "--config", str(data / f"octorules-{size}" / "config.yaml"), "lint",
                      "--format", "json"] if octorules else None,
        "floor": [sys.executable, str(Path(__file__).resolve()), "--floor", str(data / f"bundle-{size}.json")],
    }


def warm_cache(data: Path, size: int) -> Path:
    return data / f"cache-warm-{size}"


def pin_to_one_cpu(cpu: int | None) -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    allowed = sorted(os.sched_getaffinity(0))
    chosen = cpu if cpu is not None else allowed[-1]
    os.sched_setaffinity(0, {chosen})  # children inherit the mask
    return f"pinned to CPU {chosen}"


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("rulelint", "octorules", "octorules-cloudflare", "octorules-wirefilter"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:  # not installed
            versions[dist] = "not installed"
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "nproc": str(os.cpu_count()), "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}", "commit": commit,
        **{f"{k} version": v for k, v in versions.items()},
    }


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def paired_ratio(cell: Cell, other: Cell | None) -> float | None:
    """The median over rounds of this tool's time over the other's in the same round."""
    if other is None or cell.failed or other.failed or len(cell.samples) != len(other.samples):
        return None
    return statistics.median(a.wall / b.wall for a, b in zip(cell.samples, other.samples) if b.wall > 0)


def rss_ratio(cell: Cell, other: Cell | None) -> float | None:
    """The highest peak RSS of this tool's runs over the other's."""
    if other is None or cell.failed or other.failed:
        return None
    theirs = max(s.rss_mb for s in other.ok)
    return max(s.rss_mb for s in cell.ok) / theirs if theirs else None


def table(cells: list[Cell], markdown: bool) -> str:
    by_key = {(c.size, c.tool): c for c in cells}
    head = ["rules", "tool", "median s", "min–max s", "ms/rule", "peak RSS MB",
            "vs octorules", "vs floor", "vs bundle", "RSS vs octorules", "status"]
    rows = []
    for c in cells:
        med = c.median
        octo = by_key.get((c.size, "octorules"))
        flo = by_key.get((c.size, "floor"))
        walls = [s.wall for s in c.ok]
        spread = f"{min(walls):.3f}–{max(walls):.3f}" if walls and not c.failed else "—"
        rss = f"{max(s.rss_mb for s in c.ok):.0f}" if c.ok and not c.failed else "—"
        is_rl = c.tool.startswith("rulelint")
        bundle = by_key.get((c.size, "rulelint bundle"))
        rows.append([f"{c.size:,}", c.tool, fmt_s(med), spread,
                     "—" if med is None else f"{1000 * med / c.size:.3f}", rss,
                     _ratio_text(paired_ratio(c, octo)) if is_rl else "",
                     _ratio_text(paired_ratio(c, flo)) if is_rl else "",
                     _ratio_text(paired_ratio(c, bundle)) if c.tool == "rulelint terraform" else "",
                     _ratio_text(rss_ratio(c, octo)) if is_rl else "",
                     c.status])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    return "\n".join("  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in [head, *rows])


def _ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _tool_names(text: str) -> list[str]:
    """Split the --tools list on commas, keeping "rulelint bundle, cache warm" whole."""
    names: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part == "cache warm" and names:
            names[-1] += ", cache warm"
        elif part:
            names.append(part)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before the timed ones")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per process")
    parser.add_argument("--data", default=str(HERE / "out"), help="generated inputs (made if missing)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--tools", default="rulelint bundle,rulelint bundle, cache warm,rulelint terraform,octorules,floor"
    )
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: last allowed)")
    parser.add_argument("--no-pin", action="store_true")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not compile the installed packages to bytecode first")
    parser.add_argument("--floor", metavar="BUNDLE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        return floor(args.floor)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    tools = _tool_names(args.tools)
    data = Path(args.data)
    missing = [n for n in sizes if not (data / f"bundle-{n}.json").exists()
               or not (data / f"terraform-{n}").exists() or not (data / f"octorules-{n}").exists()]
    if missing:
        print(f"generating sizes {missing} into {data}", file=sys.stderr)
        sys.path.insert(0, str(HERE))
        import generate

        generate.main(["--sizes", ",".join(map(str, missing)), "--seed", str(args.seed), "--out", str(data)])
    pinning = "not pinned" if args.no_pin else pin_to_one_cpu(args.cpu)
    info = machine()
    info["cpu affinity"] = pinning
    info["bytecode"] = "not compiled (--no-compile)" if args.no_compile else compile_bytecode()
    print("\n".join(f"{k}: {v}" for k, v in info.items()), file=sys.stderr)

    info["load average before (1, 5, 15 min)"] = _load()
    cells: list[Cell] = []
    given_up: dict[str, str] = {}  # tool -> why later sizes are skipped (after a timeout)
    for size in sizes:
        cmds = commands(size, data)
        row = {tool: Cell(size, tool) for tool in tools}
        cells.extend(row.values())
        for tool, cell in row.items():
            if cmds.get(tool) is None:
                cell.skipped = "not installed"
            elif tool in given_up:
                cell.skipped = given_up[tool]
            elif "cache warm" in tool:
                shutil.rmtree(warm_cache(data, size), ignore_errors=True)
        for i in range(args.warmup + args.repeat):
            order = tools if i % 2 == 0 else tools[::-1]
            for tool in order:
                cell = row[tool]
                if cell.skipped or (cell.samples and not succeeded(tool, cell.samples[-1])):
                    continue
                sample = measure(cmds[tool], args.timeout)
                good = succeeded(tool, sample)
                if i >= args.warmup or not good:
                    cell.samples.append(sample)
                tag = "warm-up" if i < args.warmup else f"round {i - args.warmup + 1}/{args.repeat}"
                print(f"  {size:>7} {tool:<28} {tag:<11} {sample.wall:8.3f} s {sample.rss_mb:7.0f} MB "
                      f"exit {sample.returncode}", file=sys.stderr, flush=True)
                if sample.returncode is None:
                    given_up[tool] = f"skipped (timed out at {size:,})"
                    cell.skipped = given_up[tool]
                elif not good:  # a failing tool fails the same way every time
                    print(f"    {tool} failed: {sample.stderr_tail[-400:]}", file=sys.stderr)
        cold, warm = row.get("rulelint bundle"), row.get("rulelint bundle, cache warm")
        if cold and warm and cold.samples and warm.samples:
            reports = {s.report for s in cold.samples + warm.samples}
            if len(reports) != 1:
                warm.skipped = "failed: warm report differs from the cold one"
                print(f"  {size:>7} the warm re-run's report differs from the cold run's", file=sys.stderr)
    info["load average after (1, 5, 15 min)"] = _load()
    print("\n".join(f"{k}: {v}" for k, v in info.items() if k.startswith("load")), file=sys.stderr)

    text = table(cells, markdown=False)
    print(text)
    if args.markdown:
        meta = "\n".join(f"- {k}: {v}" for k, v in info.items())
        Path(args.markdown).write_text(
            f"Measured {info['date']}, {args.repeat} timed rounds after {args.warmup} warm-up round(s), "
            f"the tools alternating pair by pair, one process at a time.\n\n{meta}\n\n{table(cells, markdown=True)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
