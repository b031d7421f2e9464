"""Function metadata: PyRFC's `FunctionDescription` and `TypeDescription`, read from the server.

The NW RFC SDK reads a function's interface from the system once (RFC_GET_FUNCTION_INTERFACE
and the DDIC) and every `call` is checked and converted against it. The client does the same
with the RFC_FUNINT rows of RFC_GET_FUNCTION_INTERFACE: one row per parameter, then one per
field; `EXID` is ABAP's type letter. A table of single values has one field row named
TABLE_LINE, which pyrfc knows as the unnamed field `""`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# ABAP type letter (EXID) -> pyrfc's RfcFieldType name
FIELD_TYPES = {"C": "RFCTYPE_CHAR", "N": "RFCTYPE_NUM", "D": "RFCTYPE_DATE",
               "T": "RFCTYPE_TIME", "P": "RFCTYPE_BCD", "I": "RFCTYPE_INT",
               "g": "RFCTYPE_STRING", "b": "RFCTYPE_INT1", "s": "RFCTYPE_INT2",
               "8": "RFCTYPE_INT8", "F": "RFCTYPE_FLOAT", "a": "RFCTYPE_DECF16",
               "e": "RFCTYPE_DECF34", "X": "RFCTYPE_BYTE", "y": "RFCTYPE_XSTRING",
               "p": "RFCTYPE_UTCLONG", "u": "RFCTYPE_STRUCTURE", "h": "RFCTYPE_TABLE"}
DIRECTIONS = {"I": "RFC_IMPORT", "E": "RFC_EXPORT", "C": "RFC_CHANGING", "T": "RFC_TABLES"}


class TypeDescription:
    """A structure or table line type (PyRFC `TypeDescription`)."""

    def __init__(self, name: str, nuc_length: int, uc_length: int) -> None:
        if not 1 <= len(name) <= 30:
            raise TypeError(f"field 'name' (string) '{name}' should be from 1-30 chars.")
        self.name = name
        self.nuc_length = nuc_length
        self.uc_length = uc_length
        self.fields: list[dict[str, Any]] = []

    def add_field(self, name: str, field_type: str, nuc_length: int, uc_length: int,
                  nuc_offset: int, uc_offset: int, decimals: int = 0,
                  type_description: TypeDescription | None = None) -> None:
        self.fields.append({"name": name, "field_type": field_type, "nuc_length": nuc_length,
                            "nuc_offset": nuc_offset, "uc_length": uc_length,
                            "uc_offset": uc_offset, "decimals": decimals,
                            "type_description": type_description})

    def __repr__(self) -> str:
        return (f"<TypeDescription '{self.name}' with {len(self.fields)} fields "
                f"(n/uclength={self.nuc_length}/{self.uc_length})>")


class FunctionDescription:
    """A function module's interface (PyRFC `FunctionDescription`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parameters: list[dict[str, Any]] = []

    def add_parameter(self, name: str, parameter_type: str, direction: str, nuc_length: int,
                      uc_length: int, decimals: int = 0, default_value: str = "",
                      parameter_text: str = "", optional: bool = False,
                      type_description: TypeDescription | None = None) -> None:
        if not 1 <= len(name) <= 30:
            raise TypeError(f"field 'name' (string) '{name}' should be from 1-30 chars.")
        if len(default_value) > 30:
            raise TypeError(f"field 'default_value' (string) '{default_value}' should be at "
                            f"most 30 chars.")
        if len(parameter_text) > 79:
            raise TypeError(f"field 'parameter_text' (string) '{parameter_text}' should be at "
                            f"most 79 chars.")
        self.parameters.append({
            "name": name, "parameter_type": parameter_type, "direction": direction,
            "nuc_length": nuc_length, "uc_length": uc_length, "decimals": decimals,
            "default_value": default_value, "parameter_text": parameter_text,
            "optional": optional, "type_description": type_description})

    def __repr__(self) -> str:
        return f"<FunctionDescription '{self.name}' with {len(self.parameters)} params>"


@dataclass
class Field:
    """What `call` needs of a field or parameter to check and convert a value."""

    name: str
    rfc_type: str
    uc_length: int
    decimals: int = 0
    fields: dict[str, Field] | None = None  # structure or table line


@dataclass
class Param(Field):
    direction: str = "RFC_IMPORT"
    optional: bool = True
    default: str = ""
    text: str = ""
    type_name: str = ""
    nuc: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (length, offset)
    offsets: dict[str, int] = field(default_factory=dict)


def parse(rows: list[dict[str, Any]]) -> dict[str, Param]:
    """RFC_FUNINT rows -> parameters by name, in the interface's order."""
    params: dict[str, Param] = {}
    current: Param | None = None
    for row in rows:
        exid = str(row.get("EXID", "C"))
        if not row.get("FIELDNAME"):
            rfc_type = "RFCTYPE_TABLE" if row["PARAMCLASS"] == "T" else FIELD_TYPES.get(
                exid, "RFCTYPE_CHAR")
            current = Param(row["PARAMETER"], rfc_type, int(row["INTLENGTH"]),
                            int(row["DECIMALS"]), None, DIRECTIONS[row["PARAMCLASS"]],
                            row.get("OPTIONAL") == "X", str(row.get("DEFAULT") or ""),
                            str(row.get("PARAMTEXT") or ""), str(row.get("TABNAME") or ""))
            params[current.name] = current
            continue
        if current is None:
            continue
        name = "" if row["FIELDNAME"] == "TABLE_LINE" else row["FIELDNAME"]
        if current.fields is None:
            current.fields = {}
        current.fields[name] = Field(name, FIELD_TYPES.get(exid, "RFCTYPE_CHAR"),
                                     int(row["INTLENGTH"]), int(row["DECIMALS"]))
        current.offsets[name] = int(row.get("OFFSET") or 0)
    return params


def describe(name: str, params: dict[str, Param], nuc_rows: list[dict[str, Any]]
             ) -> FunctionDescription:
    """PyRFC's FunctionDescription, lengths from the Unicode and the non-Unicode rows."""
    nuc = parse(nuc_rows)
    description = FunctionDescription(name)
    for param in params.values():
        other = nuc.get(param.name, param)
        type_description = None
        if param.fields is not None:
            type_description = TypeDescription(param.type_name or param.name, sum(
                f.uc_length for f in (other.fields or {}).values()),
                sum(f.uc_length for f in param.fields.values()))
            for field_name, item in param.fields.items():
                nuc_field = (other.fields or {}).get(field_name, item)
                type_description.add_field(
                    field_name, item.rfc_type, nuc_field.uc_length, item.uc_length,
                    other.offsets.get(field_name, 0), param.offsets.get(field_name, 0),
                    item.decimals)
        description.add_parameter(param.name, param.rfc_type, param.direction,
                                  other.uc_length, param.uc_length, param.decimals,
                                  param.default[:30], param.text[:79], param.optional,
                                  type_description)
    return description
