"""The RFC layer the gateway serves: its own functions first, the ERP stub's behind them.

`sapgw serve` (JSON RFC, SOAP RFC) and `sapgw rfc-server` (pyrfc) serve the connections of
`gateway.served_rfc` instead of a bare ERP connection. A function registered here as a
*gateway function* is handled by the gateway; every other call goes to the ERP stub of
`[gateway] serve_rfc`, so partners see one system.

Registering a gateway function (list its module in `FUNCTION_MODULES`, which `ServedRfc`
imports, so the decorator has run before anything is served):

    @gateway_function(interface("Z_GW_ECHO", [importing("TEXT", CHAR(80)),
                                              exporting("ECHO", CHAR(80))]))
    def z_gw_echo(call: GatewayCall, params: dict[str, Any]) -> dict[str, Any]:
        return {"ECHO": params["TEXT"]}

    register(the_interface, handler)        # the same without a decorator

The handler gets the parameters checked and converted by the interface (every non-EXPORTING
parameter present, with its default or initial value) and answers its EXPORTING, CHANGING
and TABLES values; the interface also drives JSON/SOAP conversion, RFC_GET_FUNCTION_INTERFACE
and the WSDL. `call.gateway` is the `Gateway`; `call.tid` and `call.queue` name the unit the
call runs in (None for a synchronous call). Errors are pyrfc-shaped (`sapgw.rfc.errors`).

Units, exactly once: a tRFC unit of gateway functions runs once per TID, recorded in the
gateway's `arfcrstate`. A handler that writes in a transaction of its own calls
`call.record_tid(conn)` in it, so its effects and the record commit together; otherwise the
record follows right after the unit's last call. In a unit, a RETURN row of type E/A fails
the unit (nothing recorded; a resend runs it again), as on the ERP. A unit of ERP functions
only is the ERP's business (its own ARFCRSTATE); a unit mixing both systems is refused.
A unit with a queue name (qRFC) is not run on delivery: it is stored as an LUW of kind RFC
in the inbound queue (SMQ2) with the TID record, and answered QUEUED; the QIN scheduler runs
it in order on `ServedRfc.executor()`, with the sender's TID.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from sapgw.gateway.faults.inject import Shape, Site, shape_from_interface
from sapgw.gateway.rfc.tids import GatewayTids
from sapgw.rfc.connection import RfcConnection
from sapgw.rfc.errors import (
    CommunicationError,
    function_not_found,
    invalid_parameter,
)
from sapgw.rfc.funint import GET_FUNCTION_INTERFACE, describe_function
from sapgw.rfc.interface import FunctionInterface
from sapgw.rfc.structures import check_unit_result
from sapgw.types import RfcCall

if TYPE_CHECKING:
    from sapgw.gateway.runtime import Gateway

# Modules that register gateway functions; imported when a `ServedRfc` is built.
FUNCTION_MODULES: list[str] = ["sapgw.gateway.idoc.rfc_inbound", "sapgw.gateway.rfc.crm_save",
                               "sapgw.gateway.rfc.user_detail",
                               "sapgw.gateway.rfc.upload_answer"]


@dataclass
class GatewayCall:
    """What a gateway function's handler sees besides its parameters."""

    gateway: Gateway
    tid: str | None = None
    queue: str | None = None
    _unit: _UnitRun | None = field(default=None, repr=False)

    def record_tid(self, conn: Connection) -> None:
        """Record the unit's TID as executed in `conn`'s transaction (the handler's own).

        Only the unit's last call writes it; outside a unit, and for earlier calls, nothing.
        """
        if self._unit is not None and not self._unit.recorded:
            self._unit.tids.record_executed(conn, self._unit.tid, self._unit.queue)
            self._unit.recorded = True


Handler = Callable[[GatewayCall, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class GatewayFunction:
    interface: FunctionInterface
    handler: Handler


class GatewayFunctions:
    """Name -> gateway function. One module-level instance; tests may build their own."""

    def __init__(self) -> None:
        self._functions: dict[str, GatewayFunction] = {}

    def register(self, interface: FunctionInterface, handler: Handler) -> Handler:
        if interface.name in self._functions:
            raise ValueError(f"gateway function {interface.name} is registered twice")
        self._functions[interface.name] = GatewayFunction(interface, handler)
        return handler

    def get(self, name: str) -> GatewayFunction | None:
        return self._functions.get(name.upper())

    def names(self) -> list[str]:
        return sorted(self._functions)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.upper() in self._functions


GATEWAY_FUNCTIONS = GatewayFunctions()


def register(interface: FunctionInterface, handler: Handler) -> Handler:
    """Serve `handler` as the gateway function `interface.name`."""
    return GATEWAY_FUNCTIONS.register(interface, handler)


def gateway_function(interface: FunctionInterface) -> Callable[[Handler], Handler]:
    """Decorator form of `register`."""
    def decorate(handler: Handler) -> Handler:
        return register(interface, handler)

    return decorate


@dataclass
class _UnitRun:
    tids: GatewayTids
    tid: str
    queue: str | None
    recorded: bool = False


class ServedRfc:
    """Gateway functions plus the ERP stub, as one system; hands out connections to it."""

    def __init__(self, gateway: Gateway, functions: GatewayFunctions | None = None) -> None:
        for module in FUNCTION_MODULES:
            importlib.import_module(module)
        self.gateway = gateway
        self.functions = functions if functions is not None else GATEWAY_FUNCTIONS
        self.tids = GatewayTids(gateway.db, gateway.clock)
        self._guard = threading.Lock()
        self._running: dict[str, list[Any]] = {}  # TID -> [lock, users]

    @property
    def destination(self) -> str:
        """The local destination of the ERP stub behind the gateway functions."""
        return self.gateway.settings.rfc_destination

    # -- connections ----------------------------------------------------------------------
    def connect(self) -> ServedConnection:
        """A partner's connection: a unit with a queue name goes into the inbound queue."""
        return ServedConnection(self, queue_units=True)

    def executor(self) -> ServedConnection:
        """The QIN scheduler's connection: units (queued before) run now."""
        return ServedConnection(self, queue_units=False)

    def connect_erp(self) -> RfcConnection:
        if not self.destination:
            raise CommunicationError("the gateway serves no ERP: [gateway] serve_rfc is empty",
                                     1, "RFC_COMMUNICATION_FAILURE")
        return self.gateway.destinations.connect(self.destination)

    # -- metadata (SOAP conversion, WSDL) -------------------------------------------------
    def interface(self, name: str) -> FunctionInterface:
        function = self.functions.get(name)
        if function is not None:
            return function.interface
        if not self.destination:
            raise function_not_found(name)
        return self._erp_system().registry.get(name).interface  # type: ignore[no-any-return]

    def names(self) -> list[str]:
        erp = self._erp_system().registry.names() if self.destination else []
        return sorted({*self.functions.names(), *erp})

    def warm_up(self) -> None:
        """Build the served system now and fill its table buffer (a server's start), so
        that the first call is no slower than the later ones."""
        if self.destination:
            system = self._erp_system()
            preload = getattr(system, "preload_buffer", None)
            if preload is not None:
                preload()

    def _erp_system(self) -> Any:
        return self.gateway.destinations.local_system(self.destination)

    # -- running gateway functions --------------------------------------------------------
    def run(self, function: GatewayFunction, params: dict[str, Any], call: GatewayCall
            ) -> dict[str, Any]:
        values = function.interface.check_call(params)
        return function.interface.shape_result(function.handler(call, values) or {})

    # -- failure injection (gateway.faults): the gateway's own functions under the rules ----
    @cached_property
    def fault_site(self) -> Site:
        """The served layer as a site of calls: the destination rules name is CRM."""
        return Site(("CRM",), self._fault_shape)

    def _fault_shape(self, name: str) -> Shape | None:
        function = self.functions.get(name)
        return None if function is None else shape_from_interface(function.interface)

    def call_function(self, function: GatewayFunction, params: dict[str, Any]
                      ) -> dict[str, Any]:
        """A synchronous call of a gateway function, under the failure injection rules."""
        def run() -> dict[str, Any]:
            return self.run(function, params, GatewayCall(self.gateway))

        injector = self.gateway.destinations.faults
        if injector is None:
            return run()
        return injector.call(self.fault_site, function.interface.name, params, run)

    def execute_unit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        """Run a unit of gateway functions once per TID, under the failure injection rules."""
        injector = self.gateway.destinations.faults
        if injector is None:
            self._execute_unit(tid, calls, queue)
        else:
            injector.unit(self.fault_site, tid, calls, queue,
                          lambda: self._execute_unit(tid, calls, queue))

    def _execute_unit(self, tid: str, calls: list[RfcCall], queue: str | None) -> None:
        """Run a unit of gateway functions once per TID; raise (recording nothing) on failure."""
        functions = [self._gateway_function(call.function) for call in calls]
        with self._exclusive(tid):
            if self.tids.executed(tid):
                return
            unit = _UnitRun(self.tids, tid, queue)
            for number, (call, function) in enumerate(zip(calls, functions, strict=True), 1):
                last = number == len(calls)
                context = GatewayCall(self.gateway, tid, queue, unit if last else None)
                check_unit_result(call.function, self.run(function, call.params, context))
            if not unit.recorded:
                with self.gateway.db.write() as conn:
                    self.tids.record_executed(conn, tid, queue)

    def queue_unit(self, tid: str, calls: list[RfcCall], queue: str) -> str:
        """Store a qRFC unit in the inbound queue once per TID; answer QUEUED (or EXECUTED
        for a TID that had run as a tRFC unit before)."""
        if not self.destination:  # the inbound queue runs under its SMQS settings
            raise CommunicationError("qRFC units need [gateway] serve_rfc: the destination "
                                     "whose settings the inbound queues run under", 1,
                                     "RFC_COMMUNICATION_FAILURE")
        for call in calls:  # a wrong call is answered now, not found later in SYSFAIL
            self.interface(call.function).check_call(call.params)
        gateway = self.gateway

        def store(conn: Connection) -> str:
            record = self.tids.get(conn, tid)
            if record is not None:
                return "QUEUED" if record.queue else "EXECUTED"
            self.tids.record_queued(conn, tid, queue)
            gateway.queue_store.enqueue(conn, queue=queue, direction="in", kind="RFC",
                                        tid=tid, calls=calls, destination=self.destination)
            return "QUEUED"

        with self._exclusive(tid):  # a redelivery racing the first finds its record
            state = gateway.db.write_retrying(store)
        gateway.schedulers.wake("in")
        return state

    def is_gateway_unit(self, calls: list[RfcCall]) -> bool:
        """True for gateway functions only, False for ERP functions only; mixed is refused."""
        mine = [call.function for call in calls if call.function in self.functions]
        if mine and len(mine) != len(calls):
            other = next(call.function for call in calls if call.function not in self.functions)
            raise invalid_parameter(f"a unit cannot mix gateway functions ({mine[0]}) with "
                                    f"functions of the ERP ({other}); send two units")
        return bool(mine)

    def _gateway_function(self, name: str) -> GatewayFunction:
        function = self.functions.get(name)
        if function is None:
            raise function_not_found(name)
        return function

    @contextmanager
    def _exclusive(self, tid: str) -> Iterator[None]:
        """One delivery of a TID at a time in this process: a second one waits, then finds
        the first's record."""
        with self._guard:
            entry = self._running.setdefault(tid, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if not entry[1]:
                    del self._running[tid]


class ServedConnection(RfcConnection):
    """One session on the served layer; its ERP connection (and LUW) opens on first use."""

    def __init__(self, served: ServedRfc, queue_units: bool) -> None:
        self.served = served
        self.queue_units = queue_units
        self._erp: RfcConnection | None = None

    def erp(self) -> RfcConnection:
        if self._erp is None:
            self._erp = self.served.connect_erp()
        return self._erp

    def _call(self, function: str, params: dict[str, Any]) -> dict[str, Any]:
        mine = self.served.functions.get(function)
        if mine is not None:
            return self.served.call_function(mine, params)
        if function.upper() == GET_FUNCTION_INTERFACE.name:
            values = GET_FUNCTION_INTERFACE.check_call(params)
            described = self.served.functions.get(values["FUNCNAME"])
            if described is not None:
                return GET_FUNCTION_INTERFACE.shape_result(describe_function(
                    described.interface, unicode=values["NONE_UNICODE_LENGTH"] != "X"))
        return self.erp().call(function, **params)

    def _submit(self, tid: str, calls: list[RfcCall], queue: str | None) -> str | None:
        gateway_unit = self.served.is_gateway_unit(calls)
        if queue is not None and self.queue_units:
            return self.served.queue_unit(tid, calls, queue)
        if gateway_unit:
            self.served.execute_unit(tid, calls, queue)
            return None
        _, failure = self.erp().submit_units([(tid, calls, queue)])
        if failure is not None:
            raise failure
        return None

    def submit_units(self, units: list[tuple[str, list[RfcCall], str | None]]
                     ) -> tuple[int, Exception | None]:
        """ERP units only (the usual inbound queue, or a partner's tRFC units that arrived
        together): the ERP's batch in one transaction. A partner's qRFC units go to the
        inbound queue one by one, gateway functions run one by one."""
        if ((self.queue_units and any(queue is not None for _, _, queue in units))
                or any(self.served.is_gateway_unit(calls) for _, calls, _ in units)):
            return super().submit_units(units)
        return self.erp().submit_units(units)

    def _confirm(self, tid: str) -> None:
        if self.queue_units:  # the sender's confirmation; the scheduler's concerns the ERP
            self.served.tids.confirm(tid)
        if self.served.destination:
            self.erp().confirm_unit({"id": tid, "background": False, "queued": False})

    def close(self) -> None:
        if self._erp is not None:
            self._erp.close()
            self._erp = None
        super().close()

