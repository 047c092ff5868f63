"""Immutable, slotted records that cost next to nothing to declare.

``@dataclass(frozen=True, slots=True)`` writes six methods per class (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``) as source text and compiles them when
the module is imported: about a millisecond a class, on every run, before any work is done (the
syntax tree and the findings alone were some 40 ms of a 10-rule run). A class declared with
``@record`` is still a slotted dataclass (``dataclasses.fields``, ``replace`` and ``asdict``
work on it) whose instances behave as a frozen dataclass's: they compare and hash by the fields
with ``compare=True`` (the same tuple, so the same hash), ``repr`` shows the fields with
``repr=True``, assigning or deleting a field raises ``FrozenInstanceError``, and they pickle and
copy. What differs is where the methods come from: ``Record`` has them once for every class,
and each class writes its ``__init__`` by hand, filling its slots with ``set_field``.

``@record(compiled_equality=True)`` keeps the dataclass's own compiled ``__eq__`` and
``__hash__`` (two of the six methods): for classes whose instances are compared and hashed all
the time (syntax trees, in memoised proofs), where a generic method would be slower.
``tests/test_records.py`` holds every record class to a real frozen dataclass of its fields.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter

set_field = object.__setattr__
"""How a record's ``__init__`` fills a slot (``Record.__setattr__`` refuses to)."""


class Record:
    """The methods every record shares (see the module's documentation)."""

    __slots__ = ()
    _compared: staticmethod  # set by ``record``: instance -> the tuple of its compared fields
    _shown: tuple[str, ...]  # set by ``record``: the fields ``repr`` shows

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared(self) == other._compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self):
        # Pickle and copy through ``__init__``: the default would restore the slots by setattr.
        return (self.__class__, tuple(getattr(self, f.name) for f in fields(self)))


def record(cls=None, *, compiled_equality: bool = False):
    """Declare a ``Record`` subclass as an immutable, slotted dataclass (see the module)."""

    def declare(cls):
        # ``unsafe_hash`` only asks for the hash a frozen dataclass has (of the compared fields);
        # it is safe: ``Record`` makes every instance immutable.
        cls = dataclass(slots=True, init=False, repr=False, eq=compiled_equality, unsafe_hash=compiled_equality)(cls)
        declared = fields(cls)
        cls._compared = staticmethod(_tuple_of(tuple(f.name for f in declared if f.compare)))
        cls._shown = tuple(f.name for f in declared if f.repr)
        return cls

    return declare if cls is None else declare(cls)


def _tuple_of(names: tuple[str, ...]):
    """A function giving an instance's ``names`` as a tuple, a 1-tuple too (as a dataclass's
    ``(self.a,)``: records hash as dataclasses do, and sets of them keep their order)."""
    if not names:
        return lambda instance: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda instance: (one(instance),)
    return attrgetter(*names)
