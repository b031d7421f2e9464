"""Which applications this ERP system has, in the order they are loaded.

The one list outside the kernel: to add an application, declare it in its package
(`<app>/application.py`, docs/ARCHITECTURE.md "Adding an ERP application") and name it here.
"""

from __future__ import annotations

from pathlib import Path

from sapgw.clock import Clock
from sapgw.db import Database
from sapgw.erp_stub.basis.application import BASIS
from sapgw.erp_stub.cats.application import CATS
from sapgw.erp_stub.co.application import CO
from sapgw.erp_stub.copa.application import COPA
from sapgw.erp_stub.crmsrv.application import CRMSRV
from sapgw.erp_stub.fbas.application import FBAS
from sapgw.erp_stub.fi.application import FI
from sapgw.erp_stub.fica.application import FICA
from sapgw.erp_stub.funds.application import FUNDS
from sapgw.erp_stub.iaom.application import IAOM
from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.kernel.dataset import DataSet
from sapgw.erp_stub.kernel.system import ErpSystem
from sapgw.erp_stub.masterdata.application import MASTERDATA
from sapgw.erp_stub.mm.application import MM
from sapgw.erp_stub.ps.application import PS
from sapgw.erp_stub.ra.application import RA
from sapgw.erp_stub.sd.application import SD
from sapgw.erp_stub.settlement.application import SETTLEMENT
from sapgw.erp_stub.vms.application import VMS

APPLICATIONS: tuple[Application, ...] = (BASIS, FBAS, FI, CO, PS, IAOM, FUNDS, MASTERDATA, MM,
                                         SD, COPA, CATS, RA, SETTLEMENT, FICA, CRMSRV, VMS)


def create_system(db_url: str, schema: str | None = None, customizing_dir: Path | None = None,
                  clock: Clock | None = None, logical_system: str = "ERPCLNT100",
                  applications: tuple[Application, ...] = APPLICATIONS) -> ErpSystem:
    """Build the ERP system a `type = local` destination loads, with its tables created."""
    data = DataSet.load((path for app in applications for path in app.data),
                            customizing_dir)
    system = ErpSystem(Database(db_url, schema), applications, data, clock, logical_system)
    system.create_tables()
    return system
