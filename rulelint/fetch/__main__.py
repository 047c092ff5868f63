"""``python -m rulelint.fetch …``: the fetch command on its own (same options as `rulelint fetch`)."""

from __future__ import annotations

import argparse
import sys

from . import add_arguments, main


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rulelint fetch", description="Read Cloudflare zones into a rulelint bundle.")
    add_arguments(parser)
    return main(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(run())
