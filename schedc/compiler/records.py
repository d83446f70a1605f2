"""`Record`: write `class Span(Record):` with annotated fields and get an immutable named tuple,
as with `typing.NamedTuple`, without importing `typing` at run time.

`schedc check` runs on every commit. With `typing.NamedTuple` a cold check executes 19% more
instructions (209.5M against 175.3M, `python bench/instructions.py cold`): importing `typing`,
which nothing else on its path needs, and `NamedTuple` compiling each field's annotation (a
string, under `from __future__ import annotations`) into a `ForwardRef`, each about as costly.
tests/test_speed_tricks.py guards both: `check` leaves `typing` unloaded, and a `Record` is
what `typing.NamedTuple` would make. Type checkers see `typing.NamedTuple` itself, so the
fields, their types and the constructor are checked as before; at run time the classes are
built through `collections.namedtuple` and keep their docstrings, methods and properties.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    from collections import namedtuple

    class _RecordType(type):
        """Makes each subclass of `Record` a named tuple of its annotated fields, in order,
        with class values as their defaults."""

        def __new__(mcs, name: str, bases: tuple, namespace: dict):
            if not bases:  # `Record` itself
                return super().__new__(mcs, name, bases, namespace)
            fields = list(namespace.get("__annotations__", {}))
            with_default = [field for field in fields if field in namespace]
            if fields[len(fields) - len(with_default):] != with_default:
                raise TypeError(f"{name}: a field without a default follows one with a default")
            base = namedtuple(name, fields, defaults=[namespace[field] for field in with_default],
                              module=namespace.get("__module__"))
            body = {key: value for key, value in namespace.items() if key not in fields}
            body["__slots__"] = ()
            return type(name, (base,), body)

    class Record(metaclass=_RecordType):
        """Subclass with annotated fields: `class Span(Record): line: int; column: int`."""


__all__ = ["Record"]
