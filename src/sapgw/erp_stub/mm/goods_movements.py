"""Goods movements (MIGO/MB1A-like): check, material document, stock, FI follow-up.

A movement is checked completely first (every error, each with ROW = its GOODSMVT_ITEM row).
Stock is checked item by item in document order against the committed stock plus the earlier
items of the same document; an issue beyond it is refused with M7 021 "Deficit of ...".
Then the material document number is drawn (MATBELEG, per year), the FI follow-up document is
posted through BAPI_ACC_DOCUMENT_POST (AWTYP MKPF, AWKEY = MBLNR + MJAHR) and MKPF, MSEG and
the stock changes are registered in the caller's LUW: all of it is written at COMMIT or
nothing is. At commit, an issue re-checks the stock in the same statement that lowers it, so
two LUWs cannot both take the last pieces (the second one's commit terminates with M7 021).

The calls of one LUW do not see each other's uncommitted stock: commit between goods
movements that depend on each other, as SAP asks of BAPI_GOODSMVT_CREATE callers too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sapgw.erp_stub.basis.api import unit, unit_by_iso
from sapgw.erp_stub.co.api import closed_period, cost_center, order
from sapgw.erp_stub.copa import api as copa
from sapgw.erp_stub.fbas import api as fbas
from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.kernel.conversions import alpha
from sapgw.erp_stub.kernel.luw import Task
from sapgw.erp_stub.kernel.messages import bapiret2, update_terminated, update_terminated_by
from sapgw.erp_stub.kernel.money import currency_decimals, round_amount
from sapgw.erp_stub.mm import materials
from sapgw.erp_stub.mm.control import (
    GmCode,
    Plant,
    allowed,
    determine_account,
    gm_code,
    movement_type,
    storage_location,
    transaction_control,
)
from sapgw.erp_stub.mm.control import plant as plant_of
from sapgw.erp_stub.mm.structures import (
    BAPI2017_GM_HEAD_01,
    BAPI2017_GM_ITEM_CREATE,
    UNSUPPORTED_ITEM_FIELDS,
)
from sapgw.erp_stub.mm.tables import MARD, MKPF, MSEG
from sapgw.rfc.structures import errors

HEADER, CODE, ITEM = "GOODSMVT_HEADER", "GOODSMVT_CODE", "GOODSMVT_ITEM"
SERIAL = "GOODSMVT_SERIALNUMBER"
STOCK_TYPE = "SL Unrestricted-use"
FAILED_KEY = "$"
ASSIGNMENTS = ("COSTCENTER", "ORDERID", "PROFIT_SEGM_NO")   # one account assignment an item


class Messages:
    """Error rows of one goods movement, in the order found."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.rows: list[dict[str, Any]] = []

    def error(self, msg_class: str, number: str, *variables: Any, parameter: str = ITEM,
              row: int = 0, field: str = "") -> None:
        self.rows.append(bapiret2("E", msg_class, number, *variables, parameter=parameter,
                                  row=row, field=field, system=self.system))

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass
class Line:
    """One MSEG line; a transfer item gives two (issue, then the automatic receipt)."""

    row: int
    bwart: str
    matnr: str
    werks: str
    lgort: str
    shkzg: str                         # S receipt, H issue
    menge: Decimal
    meins: str
    erfmg: Decimal
    erfme: str
    item: dict[str, Any]
    ktosl: str = ""                    # OBYC key of the FI offsetting entry (blank: none)
    komok: str = ""                    # its account modifier (GBB: VBR, ZOB …)
    bukrs: str = ""
    bwmod: str = ""                    # valuation grouping code of the plant
    waers: str = ""
    value: Decimal = Decimal(0)
    xauto: str = ""
    umlgo: str = ""


@dataclass
class Movement:
    gm_code: str
    budat: str
    bldat: str
    number_range: str = "01"
    document_type: str = "WA"
    lines: list[Line] = field(default_factory=list)

    @property
    def mjahr(self) -> str:
        return self.budat[:4]


def check(ctx: CallContext, header: dict[str, Any], code: dict[str, Any],
          items: list[dict[str, Any]], serials: list[dict[str, Any]],
          transaction: GmCode | None = None) -> tuple[Movement, Messages]:
    """The movement to post and every error found in it (empty when it may be posted).
    `transaction` replaces the GM code for a movement posted by another application's
    transaction (VL02N's goods issue for a delivery: SAP has no GM code for 601)."""
    messages = Messages(ctx.logical_system)
    today = ctx.clock.today().strftime("%Y%m%d")
    budat = header["PSTNG_DATE"] or today
    movement = Movement(code["GM_CODE"], budat, header["DOC_DATE"] or budat)
    gm = gm_code(ctx, movement.gm_code) if transaction is None else transaction
    if gm is None:
        messages.error("M7", "907", movement.gm_code or "-", parameter=CODE, field="GM_CODE")
        return movement, messages
    movement.number_range = gm.numkr
    movement.document_type = gm.vgart
    if not items:
        messages.error("M7", "912")
    if serials:
        messages.error("M7", "913", "SERIALNO", SERIAL, parameter=SERIAL, row=1,
                       field="SERIALNO")
    for row, item in enumerate(items, start=1):
        movement.lines += _item(ctx, movement, gm, row, item, messages)
    _periods(ctx, movement, messages)
    _stock(ctx, movement, messages)  # the items found correct so far
    if not messages:
        _values(ctx, movement)
    return movement, messages


def _item(ctx: CallContext, movement: Movement, gm: GmCode, row: int,
          item: dict[str, Any], messages: Messages) -> list[Line]:
    where: dict[str, Any] = {"row": row}
    bwart = item["MOVE_TYPE"]
    mt = movement_type(ctx, bwart) if bwart else None
    if not bwart:
        messages.error("M7", "908", "MOVE_TYPE", row, **where, field="MOVE_TYPE")
    elif mt is None:
        messages.error("M7", "905", bwart, **where, field="MOVE_TYPE")
    elif not allowed(ctx, gm.tcode, bwart):
        messages.error("M7", "906", bwart, movement.gm_code, **where, field="MOVE_TYPE")
    for name in UNSUPPORTED_ITEM_FIELDS:
        if item[name].strip("0"):
            messages.error("M7", "913", name, ITEM, **where, field=name)
    for name in [*gm.required, *(mt.required if mt else ())]:
        alternatives = name.split("/")          # one of them (201: cost center or segment)
        if not any(str(item[one]).strip("0") for one in alternatives):
            messages.error("M7", "908", "/".join(alternatives), row, **where,
                           field=alternatives[0])
    matnr = materials.matnr(item["MATERIAL"])
    master = _material(ctx, matnr, row, messages)
    plant = _plant(ctx, matnr, master, item, row, messages)
    erfmg, erfme = item["ENTRY_QNT"], _unit(ctx, item, master)
    if erfmg <= 0:
        messages.error("M7", "909", row, **where, field="ENTRY_QNT")
    if master is not None and erfme != master["MEINS"]:
        messages.error("M7", "910", erfme, master["MEINS"], matnr, **where, field="ENTRY_UOM")
    elif erfme and _decimals(erfmg) > _unit_decimals(ctx, erfme):
        messages.error("M7", "911", quantity_text(erfmg), erfme, **where, field="ENTRY_QNT")
    bukrs = plant.bukrs if plant is not None else ""
    _account_assignment(ctx, item, bukrs, row, messages)
    transfer = mt is not None and mt.transfer
    if transfer and item["MOVE_STLOC"] and plant is not None:
        _receiving(ctx, item, row, messages)
    # The lines go to the stock check even when the item has other errors, so that a
    # sender learns of a deficit at once; only an error-free movement is posted.
    if mt is None or master is None or plant is None or erfmg <= 0 or (
            erfme != master["MEINS"]
            or storage_location(ctx, item["PLANT"], item["STGE_LOC"]) is None):
        return []
    line = Line(row, bwart, matnr, item["PLANT"], item["STGE_LOC"], mt.shkzg, erfmg,
                master["MEINS"], erfmg, erfme, item, mt.ktosl, _modifier(mt.komok, item),
                bukrs, plant.bwmod)
    if not transfer or storage_location(ctx, item["PLANT"], item["MOVE_STLOC"]) is None:
        return [line]
    line.umlgo = item["MOVE_STLOC"]
    receipt = Line(row, bwart, matnr, item["PLANT"], item["MOVE_STLOC"], "S", erfmg,
                   master["MEINS"], erfmg, erfme, item, "", "", bukrs, plant.bwmod,
                   xauto="X", umlgo=item["STGE_LOC"])
    return [line, receipt]


def _modifier(komok: str, item: dict[str, Any]) -> str:
    """The account modifier of the offsetting entry: a goods issue for a sales order (GBB-VAX)
    whose item is account-assigned (here: to an order) is GBB-VAY, as in SAP's standard."""
    return "VAY" if komok == "VAX" and item["ORDERID"] else komok


def _material(ctx: CallContext, matnr: str, row: int, messages: Messages
              ) -> dict[str, Any] | None:
    if not matnr:
        messages.error("M7", "908", "MATERIAL", row, row=row, field="MATERIAL")
        return None
    master = materials.material(ctx, matnr)
    if master is None:
        messages.error("M7", "901", matnr, row=row, field="MATERIAL")
    return master


def _plant(ctx: CallContext, matnr: str, master: dict[str, Any] | None,
           item: dict[str, Any], row: int, messages: Messages) -> Plant | None:
    werks, lgort = item["PLANT"], item["STGE_LOC"]
    if not werks:
        messages.error("M7", "908", "PLANT", row, row=row, field="PLANT")
        return None
    plant = plant_of(ctx, werks)
    if plant is None:
        messages.error("M7", "902", werks, row=row, field="PLANT")
        return None
    if master is not None and not materials.in_plant(ctx, matnr, werks):
        messages.error("M7", "903", matnr, werks, row=row, field="PLANT")
    if not lgort:
        messages.error("M7", "908", "STGE_LOC", row, row=row, field="STGE_LOC")
    elif storage_location(ctx, werks, lgort) is None:
        messages.error("M7", "904", lgort, werks, row=row, field="STGE_LOC")
    return plant


def _unit(ctx: CallContext, item: dict[str, Any], master: dict[str, Any] | None) -> str:
    """The unit of entry: ENTRY_UOM, else the unit of ENTRY_UOM_ISO, else the base unit."""
    if item["ENTRY_UOM"]:
        return str(item["ENTRY_UOM"])
    iso = item["ENTRY_UOM_ISO"]
    if iso:
        found = unit_by_iso(ctx, iso)
        return found.msehi if found is not None else iso
    return master["MEINS"] if master is not None else ""


def _unit_decimals(ctx: CallContext, msehi: str) -> int:
    """Decimal places a quantity in the unit may have (T006-ANDEC); 3 for a unit T006 lacks
    (it is the material's base unit here, so MARA names it: the quantity's precision)."""
    found = unit(ctx, msehi)
    return found.decimals if found is not None else 3


def _decimals(quantity: Decimal) -> int:
    exponent = quantity.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _account_assignment(ctx: CallContext, item: dict[str, Any], bukrs: str, row: int,
                        messages: Messages) -> None:
    """Cost center, order or profitability segment - one of them - must exist (in the
    plant's controlling area)."""
    company = fbas.company_code(ctx, bukrs)
    kokrs = company.KOKRS if company is not None else ""
    given = [name for name in ASSIGNMENTS if str(item[name]).strip("0")]
    if len(given) > 1:
        messages.error("M7", "917", row, ", ".join(given), row=row, field=given[1])
    kostl = alpha(item["COSTCENTER"], 10)
    if kostl and cost_center(ctx, kokrs, kostl) is None:
        messages.error("KI", "100", kostl, kokrs, row=row, field="COSTCENTER")
    if item["ORDERID"] and order(ctx, item["ORDERID"]) is None:
        messages.error("KO", "013", item["ORDERID"], row=row, field="ORDERID")
    paobjnr = segment(item)
    if paobjnr:
        try:
            copa.existing_segment(ctx, paobjnr, kokrs)
        except copa.CopaError as error:
            messages.error(error.msg_class, error.number, *error.variables, row=row,
                           field=error.field)


def segment(item: dict[str, Any]) -> str:
    """The item's profitability segment (PAOBJNR, 10 digits), blank when none."""
    value = str(item["PROFIT_SEGM_NO"] or "")
    return value.zfill(10) if value.strip("0") else ""


def _receiving(ctx: CallContext, item: dict[str, Any], row: int, messages: Messages) -> None:
    """Transfer inside the plant: another storage location of the same plant."""
    if item["MOVE_PLANT"] and item["MOVE_PLANT"] != item["PLANT"]:
        messages.error("M7", "913", "MOVE_PLANT", ITEM, row=row, field="MOVE_PLANT")
    elif storage_location(ctx, item["PLANT"], item["MOVE_STLOC"]) is None:
        messages.error("M7", "904", item["MOVE_STLOC"], item["PLANT"], row=row,
                       field="MOVE_STLOC")
    elif item["MOVE_STLOC"] == item["STGE_LOC"]:
        messages.error("M7", "914", item["MOVE_STLOC"], row, row=row, field="MOVE_STLOC")


def _periods(ctx: CallContext, movement: Movement, messages: Messages) -> None:
    """MMPV/OB52: the posting date's period must be open in every company code concerned."""
    for bukrs in sorted({line.bukrs for line in movement.lines if line.bukrs}):
        if (closed := closed_period(ctx, bukrs, movement.budat)) is not None:
            year, period = closed
            messages.error("F5", "201", f"{period:03d}", year, parameter=HEADER,
                           field="PSTNG_DATE")


def _stock(ctx: CallContext, movement: Movement, messages: Messages) -> None:
    """Each issue against the stock left by the committed stock and the items before it."""
    balance: dict[tuple[str, str, str], Decimal] = {}
    for line in movement.lines:
        key = (line.matnr, line.werks, line.lgort)
        if key not in balance:
            balance[key] = materials.stock(ctx, *key)
        if line.shkzg == "H" and balance[key] < line.menge:
            deficit = line.menge - max(balance[key], Decimal(0))
            messages.error("M7", "021", STOCK_TYPE, quantity_text(deficit), line.meins,
                           " ".join(key), row=line.row, field="ENTRY_QNT")
        balance[key] += line.menge if line.shkzg == "S" else -line.menge


def quantity_text(quantity: Decimal) -> str:
    """A quantity as SAP writes it in a message: no trailing zeros (5, 2.5)."""
    return f"{quantity.normalize():f}"


def _values(ctx: CallContext, movement: Movement) -> None:
    """Value of each line at the standard price, in the company code's currency."""
    for line in movement.lines:
        company = fbas.company_code(ctx, line.bukrs)
        line.waers = company.WAERS if company is not None else ""
        price, unit = materials.standard_price(ctx, line.matnr, line.werks)
        decimals = currency_decimals(ctx, line.waers)
        line.value = round_amount(line.menge * price / unit,
                                  2 if decimals is None else decimals)


def post_for_transaction(ctx: CallContext, tcode: str, header: dict[str, Any],
                         items: list[dict[str, Any]], testrun: bool = False
                         ) -> tuple[str, str, list[dict[str, Any]]]:
    """Check and post one material document for the MM transaction `tcode` (T158, no GM
    code), header and items in BAPI_GOODSMVT_CREATE's structures (missing fields blank);
    (MBLNR, MJAHR, errors). Everything is registered in the caller's LUW, as by the BAPI;
    a test run checks all of it, the FI follow-up included, and answers ("", "0000", errors)."""
    control = transaction_control(ctx, tcode)
    if control is None:
        raise ValueError(f"MM transaction {tcode} is not in T158")
    header = {**BAPI2017_GM_HEAD_01.initial(), **header}
    items = [{**BAPI2017_GM_ITEM_CREATE.initial(), **item} for item in items]
    movement, messages = check(ctx, header, {"GM_CODE": ""}, items, [], control)
    if messages:
        return "", "0000", messages.rows
    mblnr, rows = post(ctx, movement, header, testrun)
    return mblnr, movement.mjahr if mblnr else "0000", rows


# -- posting --------------------------------------------------------------------------------
def post(ctx: CallContext, movement: Movement, header: dict[str, Any], testrun: bool
         ) -> tuple[str, list[dict[str, Any]]]:
    """FI check, then number, FI document and the registered writes; (MBLNR, errors)."""
    accounting, missing = _accounting_documents(ctx, movement, header)
    if missing:
        return "", missing.rows
    for params in accounting:
        failed = errors(ctx.call("BAPI_ACC_DOCUMENT_CHECK", **params)["RETURN"])
        if failed:
            return "", failed
    if testrun:
        return "", []
    mblnr = ctx.numbers.next("MATBELEG", "", movement.number_range, movement.mjahr)
    for params in accounting:
        params["DOCUMENTHEADER"]["OBJ_KEY"] = mblnr + movement.mjahr
        failed = errors(ctx.call("BAPI_ACC_DOCUMENT_POST", **params)["RETURN"])
        if failed:  # checked a moment ago: only a number range can fail here
            raise update_terminated_by(failed[-1])
    _register(ctx, movement, header, mblnr)
    return mblnr, []


def _accounting_documents(ctx: CallContext, movement: Movement, header: dict[str, Any]
                          ) -> tuple[list[dict[str, Any]], Messages]:
    """BAPI_ACC_DOCUMENT_POST parameters, one document per company code with a value, and
    an M8 147 error for each account OBYC (T030) cannot determine."""
    documents: dict[str, dict[str, Any]] = {}
    missing = Messages(ctx.logical_system)
    for line in movement.lines:
        if not line.ktosl or not line.value:
            continue
        params = documents.setdefault(line.bukrs, {
            "DOCUMENTHEADER": {
                "OBJ_TYPE": "MKPF", "OBJ_KEY": FAILED_KEY, "OBJ_SYS": ctx.logical_system,
                "BUS_ACT": "RMWE" if movement.document_type == "WE" else "RMWA",
                "USERNAME": header["PR_UNAME"], "HEADER_TXT": header["HEADER_TXT"],
                "COMP_CODE": line.bukrs, "DOC_DATE": movement.bldat,
                "PSTNG_DATE": movement.budat, "DOC_TYPE": movement.document_type,
                "REF_DOC_NO": header["REF_DOC_NO"]},
            "ACCOUNTGL": [], "CURRENCYAMOUNT": []})
        sign = 1 if line.shkzg == "S" else -1
        ktopl = _chart_of_accounts(ctx, line.bukrs)
        stock = _account(ctx, ktopl, "BSX", "", line, missing)
        offset = _account(ctx, ktopl, line.ktosl, line.komok, line, missing)
        for account, amount, assigned in ((stock, sign * line.value, False),
                                          (offset, -sign * line.value, True)):
            number = f"{len(params['ACCOUNTGL']) + 1:010d}"
            gl = {"ITEMNO_ACC": number, "GL_ACCOUNT": account, "COMP_CODE": line.bukrs,
                  "PLANT": line.werks, "ITEM_TEXT": line.item["ITEM_TEXT"],
                  "ALLOC_NMBR": line.matnr}
            if assigned and line.item["COSTCENTER"]:
                gl["COSTCENTER"] = alpha(line.item["COSTCENTER"], 10)
            if assigned and line.item["ORDERID"]:
                gl["ORDERID"] = line.item["ORDERID"]
            if assigned and segment(line.item):
                gl["PROFIT_SEGM_NO"] = segment(line.item)
            params["ACCOUNTGL"].append(gl)
            params["CURRENCYAMOUNT"].append({"ITEMNO_ACC": number, "CURRENCY": line.waers,
                                             "AMT_DOCCUR": amount})
    return list(documents.values()), missing


def _account(ctx: CallContext, ktopl: str, ktosl: str, komok: str, line: Line,
             missing: Messages) -> str:
    """The OBYC account of the transaction key, or M8 147 naming the T030 entry."""
    found = determine_account(ctx, ktopl, ktosl, line.bwmod, komok)
    if found is None:
        missing.error("M8", "147", ktopl, ktosl, line.bwmod, komok, row=line.row,
                      field="MOVE_TYPE")
        return ""
    return found


def _chart_of_accounts(ctx: CallContext, bukrs: str) -> str:
    """The company code's chart of accounts (T001-KTOPL), for T030."""
    company = fbas.company_code(ctx, bukrs)
    return company.KTOPL if company is not None else ""


def _register(ctx: CallContext, movement: Movement, header: dict[str, Any], mblnr: str
              ) -> None:
    now = ctx.clock.now()
    ctx.insert(MKPF, {
        "MBLNR": mblnr, "MJAHR": movement.mjahr, "VGART": movement.document_type,
        "BLART": movement.document_type, "BLDAT": movement.bldat, "BUDAT": movement.budat,
        "CPUDT": now.strftime("%Y%m%d"), "CPUTM": now.strftime("%H%M%S"),
        "USNAM": header["PR_UNAME"], "XBLNR": header["REF_DOC_NO"],
        "BKTXT": header["HEADER_TXT"], "FRBNR": header["BILL_OF_LADING"],
        "XABLN": header["GR_GI_SLIP_NO"]})
    ctx.insert(MSEG, [_mseg(mblnr, movement.mjahr, number, line)
                      for number, line in enumerate(movement.lines, start=1)])
    delta: dict[tuple[str, str, str], Decimal] = {}
    units: dict[tuple[str, str, str], str] = {}
    for line in movement.lines:
        key = (line.matnr, line.werks, line.lgort)
        units[key] = line.meins
        delta[key] = delta.get(key, Decimal(0)) + (line.menge if line.shkzg == "S"
                                                   else -line.menge)
    for key, quantity in delta.items():
        if quantity:
            ctx.task(change_stock(key, quantity, units[key]))


def _mseg(mblnr: str, mjahr: str, number: int, line: Line) -> dict[str, Any]:
    item = line.item
    return {
        "MBLNR": mblnr, "MJAHR": mjahr, "ZEILE": f"{number:04d}", "LINE_ID": f"{line.row:06d}",
        "BWART": line.bwart, "XAUTO": line.xauto, "MATNR": line.matnr, "WERKS": line.werks,
        "LGORT": line.lgort, "CHARG": item["BATCH"], "SHKZG": line.shkzg, "MENGE": line.menge,
        "MEINS": line.meins, "ERFMG": line.erfmg, "ERFME": line.erfme, "DMBTR": line.value,
        "WAERS": line.waers, "BUKRS": line.bukrs, "KOSTL": alpha(item["COSTCENTER"], 10),
        "AUFNR": alpha(item["ORDERID"], 12), "PAOBJNR": segment(item) or "0000000000",
        "EBELN": item["PO_NUMBER"],
        "EBELP": item["PO_ITEM"], "KZBEW": item["MVT_IND"], "LIFNR": alpha(item["VENDOR"], 10),
        "KUNNR": alpha(item["CUSTOMER"], 10), "UMWRK": line.werks if line.umlgo else "",
        "UMLGO": line.umlgo, "SGTXT": item["ITEM_TEXT"], "GRUND": item["MOVE_REAS"],
    }


def change_stock(key: tuple[str, str, str], quantity: Decimal, unit: str) -> Task:
    """Update task: add a receipt, or take an issue only while the stock still covers it."""
    table = MARD.__table__  # type: ignore[attr-defined]
    matnr, werks, lgort = key
    where = (table.c.MATNR == matnr, table.c.WERKS == werks, table.c.LGORT == lgort)

    def run(conn: Connection) -> None:
        if quantity > 0:
            insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
            statement = insert(table).values(MATNR=matnr, WERKS=werks, LGORT=lgort,
                                             LABST=quantity)
            conn.execute(statement.on_conflict_do_update(
                index_elements=[table.c.MATNR, table.c.WERKS, table.c.LGORT],
                set_={"LABST": table.c.LABST + statement.excluded.LABST}))
            return
        result = conn.execute(update(table).where(*where, table.c.LABST >= -quantity)
                              .values(LABST=table.c.LABST + quantity))
        if result.rowcount != 1:
            left = conn.execute(select(table.c.LABST).where(*where)).scalar() or Decimal(0)
            deficit = quantity_text(-quantity - max(Decimal(left), Decimal(0)))
            raise update_terminated("M7", "021", STOCK_TYPE, deficit, unit,
                                    f"{matnr} {werks} {lgort}")

    return run
