"""Every ``rulelint.records`` class behaves exactly as a frozen, slotted dataclass of its fields.

Records have a hand-written ``__init__`` and shared methods instead of the six a frozen
dataclass compiles at import (see ``rulelint/records.py``); each is compared here, on the same
values, with the frozen dataclass ``dataclasses.make_dataclass`` builds from its own fields.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from rulelint import findings
from rulelint.checks import base, invalid_rule, no_rate_limit, page_rule_waf_off
from rulelint.language import ast, diagnostics, parse, tables
from rulelint.records import Record

MODULES = (ast, diagnostics, tables, findings, base, invalid_rule, no_rate_limit, page_rule_waf_off)
CLASSES = [
    value for module in MODULES for value in vars(module).values()
    if isinstance(value, type) and issubclass(value, Record) and value.__module__ == module.__name__
]


def _reference(cls):
    """A frozen, slotted dataclass with ``cls``'s fields (names, defaults, compare, repr)."""
    declared = [
        (f.name, f.type, dataclasses.field(default=f.default, compare=f.compare, repr=f.repr))
        if f.default is not dataclasses.MISSING else (f.name, f.type)
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__name__, declared, frozen=True, slots=True)


def _values(cls, salt: str = "") -> dict[str, object]:
    """A distinct, hashable value for every field."""
    return {f.name: f"{f.name}-{salt}" for f in dataclasses.fields(cls)}


def test_every_record_class_is_covered():
    names = {cls.__name__ for cls in CLASSES}
    assert {"Span", "Type", "Comparison", "Logical", "Field", "StringLit", "Quantifier"} <= names
    assert {"Diagnostic", "FieldInfo", "FunctionInfo", "Param", "Location", "Finding", "Suggestion", "Related"} <= names
    assert {"Option", "Entitlements", "PlanLimits", "_Waf"} <= names
    assert len(CLASSES) == 30
    assert all(dataclasses.is_dataclass(cls) for cls in CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_init_takes_the_fields_in_order_with_their_defaults(cls):
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in dataclasses.fields(cls)]
    for parameter, declared in zip(parameters, dataclasses.fields(cls)):
        expected = inspect.Parameter.empty if declared.default is dataclasses.MISSING else declared.default
        assert parameter.default == expected, parameter.name
    node = cls(**_values(cls))
    assert {name: getattr(node, name) for name in _values(cls)} == _values(cls)
    assert cls.__match_args__ == tuple(f.name for f in dataclasses.fields(cls))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_equality_hash_and_repr_are_the_frozen_dataclass_ones(cls):
    reference = _reference(cls)
    values = _values(cls)
    node, twin = cls(**values), reference(**values)
    assert repr(node) == repr(twin)
    assert hash(node) == hash(twin)
    assert node == cls(**values) and not node != cls(**values)
    assert node != twin  # another class: never equal, as between two dataclasses
    for f in dataclasses.fields(cls):
        changed = {**values, f.name: "other"}
        assert (node == cls(**changed)) == (twin == reference(**changed)) == (not f.compare), f.name
        assert (hash(node) == hash(cls(**changed))) == (hash(twin) == hash(reference(**changed))), f.name


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_instances_are_immutable_and_slotted(cls):
    node = cls(**_values(cls))
    for name in _values(cls):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(node, name, "other")
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(node, name)
    assert not hasattr(node, "__dict__")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_replace_copy_and_pickle_keep_every_field(cls):
    node = cls(**_values(cls))
    every = lambda n: [getattr(n, f.name) for f in dataclasses.fields(cls)]  # noqa: E731
    first = dataclasses.fields(cls)[0].name
    replaced = dataclasses.replace(node, **{first: "new"})
    assert every(replaced) == ["new", *every(node)[1:]]
    for again in (copy.copy(node), copy.deepcopy(node), pickle.loads(pickle.dumps(node))):
        assert type(again) is cls and every(again) == every(node)


def test_a_parsed_tree_survives_pickling_with_its_spans_and_types():
    tree = parse('http.host in {"a" "b"} and not any(http.request.headers.names[*] == "x")').tree
    again = pickle.loads(pickle.dumps(tree))
    assert again == tree
    assert [(n.span, n.type) for n in ast.walk(again)] == [(n.span, n.type) for n in ast.walk(tree)]
