"""Function interfaces: the one declaration behind call validation, conversion, metadata and WSDL.

A `FunctionInterface` lists IMPORTING/EXPORTING/CHANGING/TABLES parameters with DDIC types.
`check_call` turns caller values into internal values (or raises pyrfc's errors);
`describe` answers what pyrfc's `get_function_description` gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sapgw.rfc.ddic import RFC_TYPE, Elementary, Field, Structure, TableType
from sapgw.rfc.errors import invalid_parameter

ParamType = Elementary | Structure | TableType


class Direction(StrEnum):
    IMPORT = "RFC_IMPORT"
    EXPORT = "RFC_EXPORT"
    CHANGING = "RFC_CHANGING"
    TABLES = "RFC_TABLES"

    @property
    def paramclass(self) -> str:
        """The letter RFC_GET_FUNCTION_INTERFACE uses (I, E, C, T)."""
        return {"RFC_IMPORT": "I", "RFC_EXPORT": "E", "RFC_CHANGING": "C", "RFC_TABLES": "T"}[self]


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    direction: Direction
    type: ParamType
    optional: bool = True
    default: Any = None
    text: str = ""


def importing(name: str, type_: ParamType, optional: bool = True, default: Any = None,
              text: str = "") -> Parameter:
    return Parameter(name, Direction.IMPORT, type_, optional, default, text)


def exporting(name: str, type_: ParamType, text: str = "") -> Parameter:
    return Parameter(name, Direction.EXPORT, type_, True, None, text)


def changing(name: str, type_: ParamType, optional: bool = True, text: str = "") -> Parameter:
    return Parameter(name, Direction.CHANGING, type_, optional, None, text)


def tables(name: str, row: Structure | Elementary, optional: bool = True, text: str = ""
           ) -> Parameter:
    return Parameter(name, Direction.TABLES, TableType(row), optional, None, text)


@dataclass(frozen=True)
class FunctionInterface:
    name: str
    parameters: tuple[Parameter, ...]
    exceptions: tuple[str, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {p.name: p for p in self.parameters})

    def parameter(self, name: str) -> Parameter:
        return self._by_name[name]  # type: ignore[attr-defined]

    def check_call(self, params: dict[str, Any]) -> dict[str, Any]:
        """Validate and convert caller parameters; unset ones get their default or initial."""
        by_name: dict[str, Parameter] = self._by_name  # type: ignore[attr-defined]
        values: dict[str, Any] = {}
        for raw_name, value in params.items():
            name = str(raw_name).upper()
            param = by_name.get(name)
            if param is None or param.direction is Direction.EXPORT:
                raise invalid_parameter(f"field '{raw_name}' not found")
            values[name] = param.type.convert(value, name)
        return self.complete(values)

    def complete(self, values: dict[str, Any]) -> dict[str, Any]:
        """Give every unset non-EXPORTING parameter its default or initial value (in place).

        For values already in this interface's internal form: `check_call` converts first.
        """
        for param in self.parameters:
            if param.name in values or param.direction is Direction.EXPORT:
                continue
            if not param.optional and param.direction is not Direction.TABLES:
                raise invalid_parameter(
                    f"parameter '{param.name}' of {self.name} is required but was not given")
            values[param.name] = (param.type.convert(param.default, param.name)
                                  if param.default is not None else param.type.initial())
        return values

    def shape_result(self, values: dict[str, Any], return_import_params: bool = False
                     ) -> dict[str, Any]:
        """Every non-IMPORT parameter, filled with its initial value where the function left it."""
        result: dict[str, Any] = {}
        for param in self.parameters:
            if param.direction is Direction.IMPORT and not return_import_params:
                continue
            value = values.get(param.name)
            result[param.name] = param.type.initial() if value is None else value
        return result

    def describe(self) -> dict[str, Any]:
        """pyrfc FunctionDescription as a dict: name and parameters with type descriptions."""
        return {"name": self.name, "parameters": [_describe(p) for p in self.parameters]}


def _describe(param: Parameter) -> dict[str, Any]:
    type_ = param.type
    row = type_.row if isinstance(type_, TableType) else type_
    described: dict[str, Any] = {
        "name": param.name,
        "parameter_type": _rfc_type(type_),
        "direction": param.direction.value,
        "nuc_length": type_.nuc_length,
        "uc_length": type_.uc_length,
        "decimals": getattr(type_, "decimals", 0),
        "default_value": "" if param.default is None else str(param.default),
        "parameter_text": param.text,
        "optional": param.optional,
    }
    if isinstance(row, Structure):
        described["type_description"] = describe_structure(row)
    elif isinstance(type_, TableType):  # elementary lines: one unnamed field, as in the SDK
        described["type_description"] = describe_structure(Structure(row.name, (Field("", row),)))
    return described


def describe_structure(row: Structure) -> dict[str, Any]:
    fields, nuc_offset, uc_offset = [], 0, 0
    for f in row.fields:
        fields.append({
            "name": f.name, "field_type": _rfc_type(f.type), "nuc_length": f.type.nuc_length,
            "nuc_offset": nuc_offset, "uc_length": f.type.uc_length, "uc_offset": uc_offset,
            "decimals": getattr(f.type, "decimals", 0),
        })
        nuc_offset += f.type.nuc_length
        uc_offset += f.type.uc_length
    return {"name": row.name, "nuc_length": nuc_offset, "uc_length": uc_offset, "fields": fields}


def _rfc_type(type_: ParamType) -> str:
    return RFC_TYPE[type_.kind]


def interface(name: str, parameters: Iterable[Parameter], exceptions: Iterable[str] = (),
              text: str = "") -> FunctionInterface:
    return FunctionInterface(name, tuple(parameters), tuple(exceptions), text)
