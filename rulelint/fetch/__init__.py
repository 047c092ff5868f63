"""`rulelint fetch`: read zones from the Cloudflare API into a rulelint zone bundle.

Importing this package is cheap: httpx and rich are imported only when a fetch runs.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The fetch options, for `rulelint fetch` and `rulelint check --zone` (``--output`` optional)."""
    group = parser.add_argument_group("Cloudflare API")
    group.add_argument("--zone", action="append", default=None, metavar="NAME_OR_ID",
                       help="zone to read, by name (example.com) or 32-hex id; repeatable")
    group.add_argument("--all-zones", action="store_true", default=False,
                       help="read every zone the API token can see")
    if "--output" not in _taken(parser):
        group.add_argument(*_free(parser, "--output", "-o"), default=None, metavar="FILE",
                           help="where to write the bundle (default: standard output)")
    group.add_argument("--token-file", default=None, metavar="FILE",
                       help="read the API token from FILE instead of CLOUDFLARE_API_TOKEN")
    group.add_argument("--api-url", default=None, metavar="URL",
                       help="API base URL incl. version path (default: $CLOUDFLARE_BASE_URL or "
                            "https://api.cloudflare.com/client/v4)")
    group.add_argument("--account", default=None, metavar="ACCOUNT_ID",
                       help="account whose rulesets to read when the zone object does not name it "
                            "(default: $CLOUDFLARE_ACCOUNT_ID)")
    if "--verbose" not in _taken(parser):
        group.add_argument(*_free(parser, "--verbose", "-v"), action="store_true", default=False,
                           help="log each API request (method, path, status; never credentials)")
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                       help="timeout per request (default 30)")
    group.add_argument("--concurrency", type=int, default=4, metavar="N",
                       help="requests in flight at once, 1-16 (default 4)")


def _taken(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def _free(parser: argparse.ArgumentParser, *options: str) -> list[str]:
    """The options not yet defined on ``parser`` (the check command may own ``-o``/``-v``)."""
    taken = _taken(parser)
    return [option for option in options if option not in taken]


def main(args: argparse.Namespace) -> int:
    """`rulelint fetch`: exit 0 ok, 1 some parts unreadable, 2 usage/auth/API error."""
    from .command import main as run

    return run(args)


def fetch_bundle(args: argparse.Namespace) -> dict[str, Any]:
    """The bundle document for `rulelint check --zone` (SystemExit(2) on usage/auth errors)."""
    from .command import fetch_bundle as run

    return run(args)


__all__ = ["add_arguments", "main", "fetch_bundle"]
