"""The function registry: every RFC-enabled function of the stub with its interface.

Applications declare a `FunctionGroup` and decorate their handlers; the system gathers the
groups. A handler is `handler(ctx, **params) -> exports`; params arrive already checked and
converted by the interface, and the result is shaped by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sapgw.rfc.errors import function_not_found
from sapgw.rfc.interface import FunctionInterface

Handler = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Function:
    interface: FunctionInterface
    handler: Handler
    group: str


@dataclass
class FunctionGroup:
    """Functions of one application (SE37 function group), registered by decorator."""

    name: str
    functions: list[Function] = field(default_factory=list)

    def function(self, interface: FunctionInterface) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.functions.append(Function(interface, handler, self.name))
            return handler

        return register


class FunctionRegistry:
    def __init__(self, groups: Iterable[FunctionGroup] = ()) -> None:
        self._functions: dict[str, Function] = {}
        for group in groups:
            self.add_group(group)

    def add_group(self, group: FunctionGroup) -> None:
        for function in group.functions:
            name = function.interface.name
            if name in self._functions:
                raise ValueError(f"function {name} is registered twice")
            self._functions[name] = function

    def get(self, name: str) -> Function:
        function = self._functions.get(name.upper())
        if function is None:
            raise function_not_found(name)
        return function

    def names(self) -> list[str]:
        return sorted(self._functions)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.upper() in self._functions
