"""The shapes `rulelint fetch` relies on in Cloudflare's answers, checked with pydantic where the
answers arrive (``CloudflareClient``), so that an unexpected answer becomes an unreadable part
with a reason instead of an exception somewhere later that loses the whole fetch.

Only the structure the bundle promises is checked: the envelope, a ruleset is an object whose
``rules`` is a list of objects, a list section is a list of objects, the ids fetch follows are
strings. Values inside rules are left to the bundle reader, which reports a wrong one as a
finding at its position. Validation only checks: the answer itself is kept as it came.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError


class _Answer(BaseModel):
    """Extra keys are allowed (the API adds fields); JSON types must match exactly."""

    model_config = ConfigDict(extra="allow", strict=True)


class ResultInfo(_Answer):
    page: int | None = None
    per_page: int | None = None
    count: int | None = None
    total_count: int | None = None
    total_pages: int | None = None
    cursor: str | None = None


class Envelope(_Answer):
    success: bool | None = None
    result: Any = None
    result_info: ResultInfo | None = None


class Ruleset(_Answer):
    id: str | None = None
    kind: str | None = None
    phase: str | None = None
    rules: list[dict[str, Any]] | None = None


class ListedRuleset(_Answer):
    id: str
    kind: str | None = None
    phase: str | None = None


class ZoneAccount(_Answer):
    id: str | None = None
    name: str | None = None


class Zone(_Answer):
    id: str
    name: str | None = None
    status: str | None = None
    plan: dict[str, Any] | None = None
    account: ZoneAccount | None = None


class Setting(_Answer):
    id: str


#: What one answer (``result``) must look like, by use.
ENVELOPE = TypeAdapter(Envelope)
OBJECT = TypeAdapter(dict[str, Any])
OBJECTS = TypeAdapter(list[dict[str, Any]])
RULESET = TypeAdapter(Ruleset)
RULESET_LIST = TypeAdapter(list[ListedRuleset])
ZONE = TypeAdapter(Zone)
ZONES = TypeAdapter(list[Zone])
SETTING = TypeAdapter(Setting)
SETTINGS = TypeAdapter(list[Setting])


class Malformed(Exception):
    """An answer that does not have the expected shape; the message says where and how."""


def check(shape: TypeAdapter, value: Any, root: str = "result") -> None:
    """Raise ``Malformed`` unless ``value`` has ``shape``."""
    try:
        shape.validate_python(value)
    except ValidationError as error:
        raise Malformed(describe(error, value, root)) from None


_EXPECTED = {
    "dict_type": "an object", "model_type": "an object", "model_attributes_type": "an object",
    "list_type": "a list", "string_type": "a string", "int_type": "an integer",
    "bool_type": "true or false",
}


def describe(error: ValidationError, value: Any, root: str = "result") -> str:
    """"result.rules[2] is a string, expected an object": the first problem, never the value."""
    first = error.errors(include_url=False, include_input=False)[0]
    where, found = root, value
    for step in first["loc"]:
        where += f"[{step}]" if isinstance(step, int) else f".{step}"
        if isinstance(found, dict):
            found = found.get(step)
        elif isinstance(found, list) and isinstance(step, int) and 0 <= step < len(found):
            found = found[step]
        else:
            found = None
    if first["type"] == "missing":
        return f"unexpected answer: {where} is missing"
    expected = _EXPECTED.get(first["type"], "something else")
    return f"unexpected answer: {where} is {json_type(found)}, expected {expected}"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
