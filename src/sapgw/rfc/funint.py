"""RFC_GET_FUNCTION_INTERFACE's answer (RFC_FUNINT rows) built from a `FunctionInterface`.

Shared by every system that serves functions (the ERP stub, the gateway's own functions), so
pyrfc-style descriptions and the JSON RFC client's decimal lookup work the same for all.
"""

from __future__ import annotations

from typing import Any

from sapgw.rfc.ddic import ABAP_TYPE, CHAR, INT4, Elementary, Structure, TableType, structure
from sapgw.rfc.interface import (
    FunctionInterface,
    Parameter,
    exporting,
    importing,
    interface,
    tables,
)

RFC_FUNINT = structure(
    "RFC_FUNINT",
    ("PARAMCLASS", CHAR(1)), ("PARAMETER", CHAR(30)), ("TABNAME", CHAR(30)),
    ("FIELDNAME", CHAR(30)), ("EXID", CHAR(1)), ("POSITION", INT4), ("OFFSET", INT4),
    ("INTLENGTH", INT4), ("DECIMALS", INT4), ("DEFAULT", CHAR(21)), ("PARAMTEXT", CHAR(79)),
    ("OPTIONAL", CHAR(1)),
)


GET_FUNCTION_INTERFACE = interface("RFC_GET_FUNCTION_INTERFACE", [
    importing("FUNCNAME", CHAR(30), optional=False, text="Name of the function module"),
    importing("LANGUAGE", CHAR(1), default="E"),
    importing("NONE_UNICODE_LENGTH", CHAR(1)),
    exporting("REMOTE_CALL", CHAR(1)),
    exporting("UPDATE_TASK", CHAR(1)),
    tables("PARAMS", RFC_FUNINT),
], exceptions=("FU_NOT_FOUND", "NAMETAB_FAULT"))


def describe_function(function: FunctionInterface, unicode: bool = True) -> dict[str, Any]:
    """The exports of RFC_GET_FUNCTION_INTERFACE for `function`."""
    return {"REMOTE_CALL": "R", "UPDATE_TASK": "", "PARAMS": interface_rows(function, unicode)}


def interface_rows(function: FunctionInterface, unicode: bool = True) -> list[dict[str, Any]]:
    """PARAMS of RFC_GET_FUNCTION_INTERFACE: one row per parameter, then one per field."""
    rows: list[dict[str, Any]] = []
    for position, param in enumerate(function.parameters, start=1):
        rows.extend(_param_rows(param, position, unicode))
    return rows


def _param_rows(param: Parameter, position: int, unicode: bool) -> list[dict[str, Any]]:
    type_ = param.type
    length = type_.uc_length if unicode else type_.nuc_length
    row = {"PARAMCLASS": param.direction.paramclass, "PARAMETER": param.name,
           "TABNAME": type_.name if not isinstance(type_, Elementary) else "",
           "FIELDNAME": "", "EXID": ABAP_TYPE[type_.kind], "POSITION": position, "OFFSET": 0,
           "INTLENGTH": length, "DECIMALS": getattr(type_, "decimals", 0),
           "DEFAULT": "" if param.default is None else str(param.default)[:21],
           "PARAMTEXT": param.text[:79], "OPTIONAL": "X" if param.optional else ""}
    rows = [row]
    row_type = type_.row if isinstance(type_, TableType) else type_
    if isinstance(row_type, Structure):
        offset = 0
        for number, field in enumerate(row_type.fields, start=1):
            field_length = field.type.uc_length if unicode else field.type.nuc_length
            rows.append({**row, "FIELDNAME": field.name, "EXID": ABAP_TYPE[field.type.kind],
                         "POSITION": number, "OFFSET": offset, "INTLENGTH": field_length,
                         "DECIMALS": getattr(field.type, "decimals", 0), "DEFAULT": "",
                         "PARAMTEXT": field.text[:79]})
            offset += field_length
    elif isinstance(row_type, Elementary) and isinstance(type_, TableType):
        # A table of elementary lines: its line is ABAP's TABLE_LINE (our row; SAP's form of
        # such a parameter in RFC_FUNINT is not public).
        rows.append({**row, "FIELDNAME": "TABLE_LINE", "EXID": ABAP_TYPE[row_type.kind],
                     "POSITION": 1, "OFFSET": 0, "DEFAULT": "",
                     "INTLENGTH": row_type.uc_length if unicode else row_type.nuc_length,
                     "DECIMALS": row_type.decimals, "PARAMTEXT": ""})
    return rows
