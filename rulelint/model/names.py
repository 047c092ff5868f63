"""How a message names a Cloudflare object: the name a user recognises first."""

from __future__ import annotations

from typing import Any


def object_name(item: Any) -> str:
    """The object's description (quoted), else its ref, else its Terraform address, else its
    Cloudflare id, else where it is written: never a placeholder such as "(unnamed)"."""
    description = getattr(item, "description", "") or getattr(item, "notes", "")
    if description:
        return f'"{description}"'
    ref = getattr(item, "ref", None)
    if ref:
        return ref
    origin = getattr(item, "origin", None)
    if origin is not None and origin.address:
        return origin.address
    item_id = getattr(item, "id", None)
    if item_id:
        return item_id
    if origin is not None and origin.pointer:
        return f"at {origin.pointer}"
    if origin is not None:
        return f"at {origin.file}:{origin.line}"
    return "without a name"
