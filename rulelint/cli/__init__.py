"""The ``rulelint`` command line: ``check``, ``rules``, ``explain`` and ``fetch``.

Kept cheap to import: argparse only at the top; the engine, the model and each report format
are imported when the command that needs them runs.

Exit codes: 0 nothing at or above the fail level; 1 findings at or above it; 2 usage error,
bad configuration or no usable input.
"""

from __future__ import annotations

import argparse
import os
import sys

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
FAIL_LEVELS = ("error", "warning", "info")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROGRESS_THRESHOLD = 10  # files or zones before a progress bar is worth drawing


class UsageError(Exception):
    """A problem with how rulelint was called or configured (exit code 2)."""


class FetchFailed(Exception):
    """Reading live zones failed; the fetcher has reported why."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _id_list(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def build_parser(with_fetch_options: bool = False) -> argparse.ArgumentParser:
    from ..version import __version__

    parser = argparse.ArgumentParser(
        prog="rulelint",
        description="Static analyzer for Cloudflare rule configurations.",
    )
    parser.add_argument("--version", action="version", version=f"rulelint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="analyse files, folders or standard input",
        description="Analyse Cloudflare configuration files (API JSON, rulelint bundles, Terraform .tf, "
        "plan JSON). Folders are searched for .json and .tf files; '-' reads standard input. "
        "All inputs form one analysis.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="file, folder, or - for standard input")
    one = check.add_argument_group(
        "one expression", "check one rule written on the command line instead of files (reported as <expression>)"
    )
    one.add_argument("-e", "--expression", metavar="EXPRESSION", help="the rule's filter expression")
    one.add_argument("--phase", metavar="PHASE", help="the phase the rule is in, e.g. http_request_firewall_custom")
    one.add_argument(
        "--action", metavar="ACTION",
        help="the rule's action, e.g. block or skip (a skip without --action-parameters skips the remaining custom rules)",
    )
    one.add_argument("--action-parameters", metavar="JSON", help="the rule's action_parameters, as a JSON object")
    check.add_argument(
        "--format",
        choices=FORMATS,
        default=_format_from_environment(),
        help="report format (default: text, or $RULELINT_FORMAT)",
    )
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--select", action="append", metavar="IDS", help="only these check ids (comma-separated)")
    check.add_argument("--ignore", action="append", metavar="IDS", help="skip these check ids (comma-separated)")
    check.add_argument(
        "--fail-on",
        choices=FAIL_LEVELS,
        default=None,
        help="exit 1 when a finding is at or above this severity (default: warning)",
    )
    check.add_argument("--no-suggestions", action="store_true", help="do not compute or show narrower replacements")
    check.add_argument(
        "--exclude", action="append", metavar="PATTERNS",
        help="skip files and folders matching these gitignore-style patterns in folder scans (comma-separated, repeatable)",
    )
    check.add_argument("-v", "--verbose", action="store_true", help="list the files a folder scan skipped (and, with --zone, each API request)")
    check.add_argument("-q", "--quiet", action="store_true", help="report findings only: no summary, no progress")
    check.add_argument("--statistics", action="store_true", help="show the number of findings per check instead")
    check.add_argument("--config", metavar="FILE", help="read settings from FILE instead of searching for one")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    check.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE (and report nothing)"
    )
    speed = check.add_argument_group("speed")
    speed.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the on-disk caches (parsed expressions, findings of unchanged inputs)"
    )
    speed.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where the caches live (default: $RULELINT_CACHE_DIR, else $XDG_CACHE_HOME/rulelint or ~/.cache/rulelint)",
    )
    speed.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="processes to check zones with (default: one per core for large inputs, else 1)",
    )
    _add_live_options(check)
    check.add_argument("--save-bundle", metavar="FILE", help="with --zone: where to keep the fetched bundle the findings point at")
    check.set_defaults(handler=run_check)

    rules = commands.add_parser("rules", help="list every check", description="List every check rulelint has.")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler=run_rules)

    explain = commands.add_parser("explain", help="show the documentation of a check")
    explain.add_argument("check_id", metavar="ID")
    explain.set_defaults(handler=run_explain)

    fetch = commands.add_parser(
        "fetch",
        help="save a live zone's configuration as a bundle",
        description="Read zones through the Cloudflare API and save them as a rulelint zone bundle.",
    )
    fetch.set_defaults(handler=run_fetch)
    if with_fetch_options:
        _fetch_module("add_arguments").add_arguments(fetch)

    from ..why.cli import add_why_commands  # argparse only: the why package loads when it runs

    add_why_commands(commands)
    return parser


def _add_live_options(check: argparse.ArgumentParser) -> None:
    """``--zone`` and friends on ``check``: the fetch module's own options when it has them."""
    try:
        from .. import fetch
    except ImportError:  # pragma: no cover
        fetch = None
    if fetch is not None and hasattr(fetch, "add_arguments"):
        fetch.add_arguments(check)
        return
    live = check.add_argument_group("live zones (read through the Cloudflare API, see `rulelint fetch`)")
    live.add_argument("--zone", action="append", metavar="NAME", help="fetch and analyse this zone (repeatable)")
    live.add_argument("--all-zones", action="store_true", help="fetch and analyse every zone the token can read")
    live.add_argument("--token-file", metavar="FILE", help="read the API token from FILE")
    live.add_argument("--api-url", metavar="URL", help="Cloudflare API base URL")


def _fetch_module(needed: str):
    try:
        from .. import fetch
    except ImportError as error:  # pragma: no cover - the package ships with rulelint
        raise UsageError(f"live fetching is unavailable: {error}") from None
    if not hasattr(fetch, needed):
        raise UsageError(f"live fetching is not available in this build (rulelint.fetch.{needed} is missing)")
    return fetch


def _error(message: str) -> None:
    sys.stderr.write(f"rulelint: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv``. Without ``argv`` this is the program itself (the
    ``rulelint`` command, ``python -m rulelint``): it runs ``sys.argv`` and the process ends when
    it returns, so the interpreter is spared walking what the run leaves (``_spare_shutdown``)."""
    if argv is None:
        code = _run_command(sys.argv[1:])
        _spare_shutdown()
        return code
    return _run_command(list(argv))


def _spare_shutdown() -> None:
    """Freeze every object left (``gc.freeze``) just before the process exits.

    While it shuts down, the interpreter runs full collections of the cyclic garbage collector
    as it tears the modules down: with the model, the checks and the tables still in memory that
    took about a fifth of a 10-rule run (measured: 100 ms of exit against 15 ms with the objects
    frozen, on a loaded machine). Frozen objects are skipped by those collections; everything
    is still freed as its references go, and the report is written and closed by now. Cyclic
    garbage is left to the operating system, which takes the whole process back anyway.
    """
    import gc

    gc.freeze()


def _run_command(argv: list[str]) -> int:
    try:
        parser = build_parser(with_fetch_options=bool(argv) and argv[0] == "fetch")
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exit_.code or 0)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UsageError as error:
        _error(str(error))
        return EXIT_USAGE
    except FetchFailed as failure:
        return failure.code or EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("rulelint: interrupted\n")
        return 130


# -- check ---------------------------------------------------------------------------------------


def _settings(args):
    from pathlib import Path

    from ..pipeline.config import ConfigError, all_ids, find_config, load_settings

    try:
        path = Path(args.config) if args.config else find_config()
        if args.config and not path.is_file():
            raise UsageError(f"config file {args.config} does not exist")
        settings = load_settings(path)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    cli_select = _id_list(args.select)
    if cli_select is not None:
        settings.select = cli_select
    settings.ignore = [*settings.ignore, *(_id_list(args.ignore) or [])]
    if args.fail_on:
        settings.fail_on = args.fail_on
    if args.no_suggestions:
        settings.suggestions = False
    from ..pipeline.catalogue import catalogue

    known = catalogue()
    unknown = sorted(all_ids(settings) - set(known))
    if unknown:
        import difflib

        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, list(known), n=1)
            hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
        source = f" (in {settings.path})" if settings.path and not cli_select else ""
        raise UsageError(f"unknown check id{'s' if len(unknown) > 1 else ''}{source}: {', '.join(hints)}; see `rulelint rules`")
    return settings


def _count_inputs(paths: list[str]) -> int:
    count = 0
    for path in paths:
        if path == "-":
            count += 1
        elif os.path.isdir(path):
            for _folder, _dirs, files in os.walk(path):
                count += sum(1 for name in files if name.endswith((".json", ".tf")))
        else:
            count += 1
    return count


def _fetched_bundle(args) -> str:
    """Fetch the zones named by --zone/--all-zones into a bundle and return its path.

    The bundle is kept (``--save-bundle FILE``, else a file named after the zones in the
    working directory's ``.rulelint_cache/``) so every finding points at a file that exists.
    """
    import json

    from ..atomic import write_text_atomically

    fetch = _fetch_module("fetch_bundle")
    options = argparse.Namespace(**vars(args))
    options.output = None
    options.verbose = getattr(args, "verbose", False)
    try:
        bundle = fetch.fetch_bundle(options)
    except SystemExit as exit_:  # the fetcher has already said why (usage, auth or API error)
        raise FetchFailed(int(exit_.code or EXIT_USAGE)) from None
    path = args.save_bundle
    if not path:
        name = "all-zones" if args.all_zones else "+".join(args.zone or ["zones"])
        safe = "".join(c if c.isalnum() or c in ".-_+" else "_" for c in name)
        os.makedirs(".rulelint_cache", exist_ok=True)
        path = os.path.join(".rulelint_cache", f"cloudflare-{safe}.json")
    try:
        write_text_atomically(path, json.dumps(bundle, indent=2) + "\n")
    except OSError as error:
        raise UsageError(f"cannot write the fetched bundle to {path}: {error.strerror or error}") from None
    if not args.quiet:
        sys.stderr.write(f"rulelint: saved the fetched configuration in {path}\n")
    return path


def _format_from_environment() -> str:
    """``$RULELINT_FORMAT`` when it names a format; anything else is a usage error (exit 2)."""
    chosen = os.environ.get("RULELINT_FORMAT") or "text"
    if chosen not in FORMATS:
        sys.stderr.write(
            f"rulelint: error: RULELINT_FORMAT={chosen!r} is not a format; choose from {', '.join(FORMATS)}\n"
        )
        raise SystemExit(EXIT_USAGE)
    return chosen


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected 1 or more")
    return value


def _run(args, paths: list[str], settings, baseline):
    from ..pipeline import run

    kwargs = dict(
        baseline=baseline,
        jobs=args.jobs,
        use_cache=not args.no_cache,
        cache_dir=args.cache_dir,
        exclude=_id_list(args.exclude) if args.exclude else None,
    )
    if args.quiet or not sys.stderr.isatty():
        return run(paths, settings, **kwargs)
    return _run_with_progress(run, paths, settings, kwargs, _count_inputs(paths))


def _run_with_progress(run, paths: list[str], settings, kwargs: dict, inputs: int):
    """Run the pipeline with a progress bar on standard error (interactive terminals only).

    Reading shows a spinner when there are many files; checking shows a bar over the zones
    when there are many zones.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    console = Console(stderr=True)
    if not console.is_interactive:
        return run(paths, settings, **kwargs)
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=console, transient=True,
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if inputs < PROGRESS_THRESHOLD and total < PROGRESS_THRESHOLD:
                return
            task = progress.add_task("checking zones", total=total)
            if not progress.live.is_started:
                progress.start()
        progress.update(task, completed=done)

    reading = progress.add_task(f"reading {inputs} files", total=None) if inputs >= PROGRESS_THRESHOLD else None
    if reading is not None:
        progress.start()
    try:
        def first_update(done: int, total: int) -> None:
            if reading is not None and not progress.tasks[reading].finished:
                progress.update(reading, total=1, completed=1, visible=False)
            update(done, total)

        return run(paths, settings, progress=first_update, **kwargs)
    finally:
        progress.stop()


def run_check(args) -> int:
    if args.expression is not None:
        return _check_expression(args)
    one_rule = [name for name in ("phase", "action", "action_parameters") if getattr(args, name) is not None]
    if one_rule:
        raise UsageError(f"--{one_rule[0].replace('_', '-')} describes the rule given with -e/--expression; give -e too")
    return _check_paths(args)


def _check_expression(args) -> int:
    """``check -e``: the rule is written as a one-rule API export in a temporary folder and
    checked like any file; findings in it are then placed in the expression itself."""
    import tempfile

    from .expression_input import one_rule_export, placed_in_expression

    if args.paths or args.zone or args.all_zones:
        raise UsageError("-e/--expression checks one rule: give no files, folders or --zone with it")
    try:
        export = one_rule_export(args.expression, args.phase, args.action, args.action_parameters)
    except ValueError as error:
        raise UsageError(str(error)) from None
    with tempfile.TemporaryDirectory(prefix="rulelint-") as folder:
        path = os.path.join(folder, "expression.json")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(export.text)
        args.paths = [path]
        return _check_paths(args, lambda result: placed_in_expression(result, path, export))


def _check_paths(args, adjust=None) -> int:
    if args.baseline and args.write_baseline:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    if args.statistics and args.format not in ("text", "json"):
        raise UsageError("--statistics works with --format text or json")
    if not args.paths and not (args.zone or args.all_zones):
        raise UsageError("nothing to check: give files, folders, '-' for standard input, or --zone NAME")
    if args.paths.count("-") > 1:
        raise UsageError("standard input ('-') can be given only once")
    missing = [p for p in args.paths if p != "-" and not os.path.exists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    settings = _settings(args)
    baseline = None
    if args.baseline:
        from ..pipeline.baseline import BaselineError, read_baseline

        try:
            baseline = read_baseline(args.baseline)
        except BaselineError as error:
            raise UsageError(str(error)) from None

    paths = list(args.paths)
    if args.zone or args.all_zones:
        paths += [_fetched_bundle(args)]
    result = _run(args, paths, settings, baseline)
    if adjust is not None:
        result = adjust(result)
    if args.write_baseline:
        from ..pipeline.baseline import write_baseline

        try:
            count = write_baseline(args.write_baseline, result.findings)
        except OSError as error:
            raise UsageError(f"cannot write {args.write_baseline}: {error.strerror or error}") from None
        if not args.quiet:
            sys.stderr.write(f"rulelint: recorded {count} finding{'s' if count != 1 else ''} in {args.write_baseline}\n")
        return EXIT_CLEAN if result.usable else EXIT_USAGE
    if result.usable or result.findings:
        _write_report(args, result, settings)
    if getattr(args, "verbose", False) and result.skipped:
        for name in result.skipped:
            sys.stderr.write(f"rulelint: skipped {name}: not Cloudflare configuration\n")
    if not result.usable and not args.quiet:
        _error("no usable input: nothing could be read as a Cloudflare configuration")
    elif not result.files and not result.findings and not args.quiet:
        skipped = len(result.skipped)
        sys.stderr.write(
            "rulelint: nothing to check: no Cloudflare configuration in the given folders"
            + (f" ({skipped} file{'s' if skipped != 1 else ''} skipped)" if skipped else "") + "\n"
        )
    if result.faulted and not args.quiet:
        _error("a check failed inside rulelint (see the internal-error findings); exit code 2")
    return result.exit_code(settings.fail_on)


def _write_report(args, result, settings) -> None:
    from ..atomic import write_text_atomically
    from ..reports import Report, render_pieces, write

    report = Report(
        findings=result.findings,
        files=result.files,
        rule_count=result.rule_count,
        checks=result.checks,
        suggestions=settings.suggestions,
        quiet=args.quiet,
        statistics=args.statistics,
        source_text=result.source_text,
        fail_on=settings.fail_on,
        suppressed=result.suppressed,
        skipped=result.skipped,
        root=_repository_root(),
    )
    if args.output:
        report.color = False
        try:
            write_text_atomically(args.output, render_pieces(args.format, report))
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
    else:
        write(args.format, report, sys.stdout)
        sys.stdout.flush()


def _repository_root() -> str | None:
    """The top of the git work tree holding the working directory (SARIF URIs are relative
    to it), else None (the working directory)."""
    folder = os.path.abspath(os.getcwd())
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


# -- rules, explain, fetch -----------------------------------------------------------------------


def run_rules(args) -> int:
    from ..pipeline.catalogue import catalogue

    checks = list(catalogue().values())
    if args.format == "json":
        import json

        sys.stdout.write(
            json.dumps([{"id": c.id, "severity": c.severity, "summary": c.summary} for c in checks], indent=2) + "\n"
        )
        return EXIT_CLEAN
    width = max((len(c.id) for c in checks), default=0)
    for c in checks:
        sys.stdout.write(f"{c.id:<{width}}  {c.severity:<7}  {c.summary}\n")
    return EXIT_CLEAN


def run_explain(args) -> int:
    from ..pipeline.catalogue import catalogue
    from ..resources import doc_page

    known = catalogue()
    info = known.get(args.check_id)
    if info is None:
        import difflib

        close = difflib.get_close_matches(args.check_id, list(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `rulelint rules`"
        raise UsageError(f"unknown check id {args.check_id!r}{hint}")
    page = doc_page(info.id)
    if page is None:
        sys.stdout.write(f"# {info.id}\n\nSeverity: {info.severity}\n\n{info.summary}\n")
        return EXIT_CLEAN
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(page))
    else:
        sys.stdout.write(page if page.endswith("\n") else page + "\n")
    return EXIT_CLEAN


def run_fetch(args) -> int:
    return int(_fetch_module("main").main(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
