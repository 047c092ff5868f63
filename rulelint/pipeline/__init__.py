"""One run of rulelint, from inputs to the findings a user sees.

``run(inputs, settings)`` reads the inputs, runs the checks (``engine``), then applies what the
configuration and the user asked for — per-path ignores, inline suppressions and the baseline —
so the command line and the library API (``rulelint.check``) report exactly the same findings.
The command line only parses arguments and renders the ``Result``.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from ..findings import INTERNAL_ERROR, INVALID_INPUT
from .catalogue import catalogue
from .config import Settings
from .result import Result

__all__ = ["Result", "Settings", "catalogue", "run"]


def run(
    inputs: list[str],
    settings: Settings | None = None,
    *,
    baseline: Any = None,
    jobs: int | None = None,
    use_cache: bool = False,
    cache_dir: str | None = None,
    exclude: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Read ``inputs`` (files, folders, ``-`` for standard input), check them and return what
    a user sees: ``settings`` select the checks and their options, ignore per path and say
    whether to compute suggestions; ``baseline`` (from ``baseline.read_baseline``) hides the
    findings it records."""
    from .engine import analyse
    from .suppressions import apply_suppressions

    settings = settings or Settings()
    known = catalogue()
    cached = None
    if use_cache and baseline is None:
        from .parse_cache import cache_folder
        from .result_cache import ResultCache

        cached = ResultCache.for_inputs(inputs, settings, exclude, cache_folder(cache_dir))
        hit = cached.load(known) if cached is not None else None
        if hit is not None:
            return hit
    read_options = {"exclude": [*settings.exclude, *(exclude or [])]} if (settings.exclude or exclude) else None
    analysis = analyse(
        inputs,
        select=settings.select,
        ignore=settings.ignore,
        options=settings.options,
        suggestions=settings.suggestions,
        progress=progress,
        jobs=jobs,
        use_cache=use_cache,
        cache_dir=cache_dir,
        read_options=read_options,
    )
    read = analysis.read
    source_text = read.sources.text
    selected = set(settings.select) if settings.select is not None else set(known)
    ran = (selected | {INVALID_INPUT, INTERNAL_ERROR}) - set(settings.ignore)
    kept, suppressed = apply_suppressions(analysis.configuration, analysis.findings, ran, set(known), read.sources.get,
                                          analysis.checked.suppressions, analysis.checked.scopes)
    findings = [
        f for f in kept if f.check in ran and f.check not in settings.ignored_at(f.location.file)
    ]
    if baseline is not None:
        from .baseline import new_findings

        findings = new_findings(findings, baseline)
    # Every input looked at: the files read, and those that could not be (they have findings).
    files = sorted(
        set(analysis.configuration.files)
        | {f.location.file for f in analysis.findings if f.check == INVALID_INPUT and f.location.file}
    )
    usable = analysis.usable
    if not usable and not analysis.findings and inputs and all(os.path.isdir(path) for path in inputs):
        # Folders holding no Cloudflare configuration at all (a repository without any yet, as
        # a pre-commit hook sees it): nothing to check is not a failure to read.
        usable = True
    result = Result(
        configuration=analysis.configuration,
        findings=findings,
        checks=known,
        suppressed=suppressed,
        files=files,
        skipped=list(read.skipped),
        usable=usable,
        rule_count=analysis.rule_count,
        source_text=source_text,
    )
    if cached is not None:
        cached.save(result, list(read.sources))
    return result
