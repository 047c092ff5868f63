"""The typed model of a Cloudflare zone's configuration, whatever file it was read from.

Every reader (API JSON, bundle, Terraform HCL, plan JSON) produces these objects, so checks
see one shape. Every object keeps its ``Origin`` (file, line/column span, JSON pointer or
Terraform address, Cloudflare id/ref) so a finding points at the line a user has to change.
Objects also keep ``raw``: the verbatim input mapping, so nothing Cloudflare adds is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterator, Literal, Self

# The model holds only what readers have already checked and coerced (pydantic validates what
# comes from outside, at the boundaries: configuration, bundle, API responses), so its classes
# are plain slotted dataclasses: cheap to import, to build and to keep in memory.
model = dataclass(slots=True, kw_only=True)

from .sources import SourceFile


class _Model:
    __slots__ = ()

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """An instance from values whose types the caller has already ensured (readers)."""
        return cls(**values)

    def model_dump(self) -> dict[str, Any]:
        """The object as plain dicts and lists (for tests and debugging)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: Any) -> Any:
    if isinstance(value, _Model):
        return value.model_dump()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


@model
class Origin(_Model):
    """Where an object was read from."""

    file: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    pointer: str | None = None  # JSON Pointer for JSON input, e.g. "/result/rules/0"
    address: str | None = None  # Terraform address + attribute path, e.g. "cloudflare_ruleset.x.rules[1]"


@model
class Expression(_Model):
    """An expression in the Rules language, as written in the input.

    ``context`` says how to parse it: ``filter`` (a rule's condition, must be Bool),
    ``value`` (a header value set from an expression: one scalar, Bytes/Int/Ip/Bool) or
    ``string`` (a URL rewrite path/query, a dynamic redirect target URL or a leaked-credential
    username/password: strictly Bytes). ``origin`` spans the string
    literal in the file. ``quoting`` says how the text was encoded there (``json`` string,
    ``hcl`` quoted string, ``heredoc``, or ``none`` when the characters are verbatim), and
    ``content_offset`` is the character offset in the file where the text's first character
    is written, so ``rulelint.positions`` can map an offset in the expression back to a file
    line and column, escapes included. ``unresolved`` is set when the text came from
    Terraform with an interpolation rulelint could not resolve (then it is not parsed).
    """

    text: str
    context: Literal["filter", "value", "string"] = "filter"
    origin: Origin
    quoting: Literal["json", "hcl", "heredoc", "none"] = "none"
    content_offset: int | None = None
    unresolved: str | None = None
    # Heredoc "<<-": how many indentation characters were removed from each line.
    heredoc_indent: int = 0
    # The file's text as read, where ``content_offset`` points (None for expressions made
    # without a reader): ``rulelint.positions`` reads it, no registry does.
    source: "SourceFile | None" = None


@model
class SkipParameters(_Model):
    """``action_parameters`` of a ``skip`` rule (what it turns off)."""

    ruleset: str | None = None  # only "current"
    phases: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    rulesets: list[str] = field(default_factory=list)
    rules: dict[str, list[str]] = field(default_factory=dict)


@model
class RuleOverride(_Model):
    id: str
    enabled: bool | None = None
    action: str | None = None


@model
class CategoryOverride(_Model):
    category: str
    enabled: bool | None = None
    action: str | None = None


@model
class ExecuteParameters(_Model):
    """``action_parameters`` of an ``execute`` rule (which ruleset runs, with what overrides)."""

    id: str | None = None
    enabled: bool | None = None  # overrides.enabled: the whole ruleset on/off
    action: str | None = None  # overrides.action
    rules: list[RuleOverride] = field(default_factory=list)
    categories: list[CategoryOverride] = field(default_factory=list)
    # Terraform: the executed ruleset's address when ``id`` is written as a reference
    # (``id = cloudflare_ruleset.custom.id`` -> "cloudflare_ruleset.custom"), else None.
    ruleset_ref: str | None = None


@model
class Rule(_Model):
    """One rule of a ruleset."""

    id: str | None = None
    ref: str | None = None
    description: str = ""
    action: str
    enabled: bool = True
    expression: Expression | None = None
    skip: SkipParameters | None = None
    execute: ExecuteParameters | None = None
    ratelimit: dict[str, Any] | None = None
    logging_enabled: bool | None = None
    value_expressions: list[Expression] = field(default_factory=list)
    # ratelimit.counting_expression, when given (a filter expression like ``expression``).
    counting_expression: Expression | None = None
    action_parameters: dict[str, Any] = field(default_factory=dict)
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)
    # Where ``action``, ``action_parameters``, ``expression``, ``description`` and ``enabled``
    # are written, for each one present (see ``BotManagement.field_origins``).
    field_origins: dict[str, Origin] = field(default_factory=dict)


@model
class Ruleset(_Model):
    id: str | None = None
    name: str = ""
    description: str = ""
    kind: str | None = None  # zone | root | custom | managed
    phase: str | None = None
    rules: list[Rule] = field(default_factory=list)
    account_level: bool = False
    # False when only the ruleset's metadata was read (the list endpoint omits rules).
    rules_complete: bool = True
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class PageRuleAction(_Model):
    id: str
    value: Any = None
    # The action as written: the ``actions[i]`` object in JSON, the ``waf = "off"`` attribute
    # of the ``actions`` block/object in Terraform.
    origin: Origin | None = None


@model
class PageRule(_Model):
    """A legacy Page Rule: URL patterns (``targets``) and the settings it applies."""

    id: str | None = None
    targets: list[str] = field(default_factory=list)
    actions: list[PageRuleAction] = field(default_factory=list)
    status: str = "active"
    priority: int | None = None
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class Filter(_Model):
    id: str | None = None
    expression: Expression | None = None
    paused: bool = False
    description: str = ""
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class FirewallRule(_Model):
    """A legacy Firewall Rule; its condition is its ``filter``."""

    id: str | None = None
    action: str
    filter: Filter | None = None
    filter_id: str | None = None
    paused: bool = False
    description: str = ""
    priority: int | None = None
    products: list[str] = field(default_factory=list)  # what a "bypass" turns off
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class AccessRule(_Model):
    """An IP Access Rule (the only per-client exemption from Bot Fight Mode)."""

    id: str | None = None
    mode: str  # block | challenge | whitelist | js_challenge | managed_challenge
    target: str  # ip | ip_range | ip6 | asn | country
    value: str
    notes: str = ""
    scope: str | None = None  # zone | account | organization
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class Lockdown(_Model):
    id: str | None = None
    urls: list[str] = field(default_factory=list)
    configurations: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False
    description: str = ""
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class UserAgentRule(_Model):
    id: str | None = None
    mode: str = ""
    value: str = ""
    paused: bool = False
    description: str = ""
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)


@model
class Setting(_Model):
    """One zone setting (``security_level``, ``browser_check``, ``waf``, …). ``origin`` is
    where its value is written (the ``value`` member in JSON, the attribute in Terraform)."""

    id: str
    value: Any = None
    origin: Origin


@model
class BotManagement(_Model):
    fight_mode: bool | None = None
    sbfm_definitely_automated: str | None = None
    sbfm_likely_automated: str | None = None
    sbfm_verified_bots: str | None = None
    sbfm_static_resource_protection: bool | None = None
    enable_js: bool | None = None
    origin: Origin
    raw: dict[str, Any] = field(default_factory=dict)
    # Key (as written, e.g. "fight_mode") -> where its value is set: in JSON the value (pointer
    # to it), in Terraform the whole ``fight_mode = true`` attribute (line/column of the name,
    # end of the value). Only keys present in the input.
    field_origins: dict[str, Origin] = field(default_factory=dict)


@model
class DnsRecord(_Model):
    id: str | None = None
    name: str
    type: str
    content: str | None = None
    proxied: bool | None = None
    origin: Origin


@model
class Unreadable(_Model):
    """A part of the zone that could not be read (recorded by ``rulelint fetch``)."""

    what: str  # e.g. "rulesets:http_request_sbfm"
    status: int | None = None
    error: str = ""
    origin: Origin | None = None


@model
class Zone(_Model):
    id: str | None = None
    name: str | None = None
    plan: str | None = None
    rulesets: list[Ruleset] = field(default_factory=list)
    page_rules: list[PageRule] = field(default_factory=list)
    firewall_rules: list[FirewallRule] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    access_rules: list[AccessRule] = field(default_factory=list)
    lockdowns: list[Lockdown] = field(default_factory=list)
    ua_rules: list[UserAgentRule] = field(default_factory=list)
    settings: dict[str, Setting] = field(default_factory=dict)
    bot_management: BotManagement | None = None
    dns_records: list[DnsRecord] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    # Account-level rules that run against this zone (docs/bundle-format.md, "Account
    # rulesets"): views of the account's rulesets holding only the rules whose zone condition
    # names this zone; the Rule objects are the account's own (linked, not copied).
    account_rulesets: list[Ruleset] = field(default_factory=list)
    # Set only on the pseudo-zone that holds an account's rules running on every zone (or on
    # zones not among the inputs), so each is analysed once: "account <id or name>". Such a
    # zone has no id or name and holds nothing but ``account_rulesets``.
    account_scope: str | None = None

    @property
    def label(self) -> str | None:
        """The zone's name, or its id, or "account <id>" for an account's pseudo-zone; None for
        the implicit zone of an input that names none (a lone ruleset export)."""
        return self.name or self.id or self.account_scope

    def expressions(self) -> Iterator[tuple[Expression, str | None, str | None]]:
        """(expression, rule id, rule ref) for every expression the zone holds: each rule's
        condition, rate-limit counting condition and action values (its own rulesets and the
        account rulesets linked to it), then Firewall Rule filters and stand-alone filters."""
        for ruleset in [*self.rulesets, *self.account_rulesets]:
            for rule in ruleset.rules:
                for expression in (rule.expression, rule.counting_expression, *rule.value_expressions):
                    if expression is not None:
                        yield expression, rule.id, rule.ref
        for rule in self.firewall_rules:
            if rule.filter is not None and rule.filter.expression is not None:
                yield rule.filter.expression, rule.id, None
        for item in self.filters:
            if item.expression is not None:
                yield item.expression, item.id, None

    def rules_by_phase(self, phase: str) -> list[Rule]:
        return [rule for ruleset in self.rulesets if ruleset.phase == phase for rule in ruleset.rules]


@model
class Account(_Model):
    id: str | None = None
    name: str | None = None
    rulesets: list[Ruleset] = field(default_factory=list)
    access_rules: list[AccessRule] = field(default_factory=list)


@model
class Configuration(_Model):
    """Everything read from the inputs of one run."""

    zones: list[Zone] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
