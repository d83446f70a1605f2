"""`record`: a class with annotated fields becomes an immutable named tuple, as with
`typing.NamedTuple`, without importing `typing`.

`schedc check` runs on every commit, and importing `typing` (which nothing else on its path
needs) cost about a tenth of its start-up; building the tuple types through `collections` is
also a little cheaper. The classes keep their annotations, docstrings, methods and properties.
"""

from __future__ import annotations

from collections import namedtuple


def record(cls: type) -> type:
    """The named tuple type of `cls`: its annotated fields in order, class values as defaults."""
    fields = list(cls.__dict__.get("__annotations__", {}))
    defaults = [cls.__dict__[name] for name in fields if name in cls.__dict__]
    if fields[len(fields) - len(defaults):] != [name for name in fields if name in cls.__dict__]:
        raise TypeError(f"{cls.__name__}: a field without a default follows one with a default")
    base = namedtuple(cls.__name__, fields, defaults=defaults, module=cls.__module__)
    namespace = {key: value for key, value in cls.__dict__.items()
                 if key not in fields and key not in ("__dict__", "__weakref__")}
    namespace["__slots__"] = ()
    return type(cls.__name__, (base,), namespace)


__all__ = ["record"]
