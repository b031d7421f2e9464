"""OB52 for tests: close a posting period of the demo company code the way a client would."""

from sapgw.erp_stub.kernel.system import LocalConnection


def close_period(conn: LocalConnection, year: int, period: int, bukrs: str = "1000") -> None:
    """FI_POSTING_PERIODS_MAINTAIN, then BAPI_TRANSACTION_COMMIT (the change is in T001B)."""
    result = conn.call("FI_POSTING_PERIODS_MAINTAIN", COMP_CODE=bukrs, FISC_YEAR=str(year),
                       PERIOD=f"{period:03d}", ACTION="C")
    if [row for row in result["RETURN"] if row["TYPE"] != "S"]:
        raise AssertionError(result["RETURN"])
    conn.call("BAPI_TRANSACTION_COMMIT")
