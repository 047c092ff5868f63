"""rulelint: a static analyzer for Cloudflare rule configurations."""

__version__ = "0.1.0"
