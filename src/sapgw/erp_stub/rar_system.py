"""The Revenue Accounting system (RAR): a second system made of the kernel's basis and the
farr application only, with a database of its own. The import path a `type = local`
destination names (`system = sapgw.erp_stub.rar_system`, config.ini [destination RAR]) and
`sapgw erp serve --system sapgw.erp_stub.rar_system` serves.
"""

from __future__ import annotations

from pathlib import Path

from sapgw.clock import Clock
from sapgw.erp_stub import applications
from sapgw.erp_stub.basis.application import BASIS
from sapgw.erp_stub.farr.application import FARR
from sapgw.erp_stub.kernel.application import Application
from sapgw.erp_stub.kernel.system import ErpSystem

APPLICATIONS: tuple[Application, ...] = (BASIS, FARR)


def create_system(db_url: str, schema: str | None = None, customizing_dir: Path | None = None,
                  clock: Clock | None = None, logical_system: str = "RARCLNT100") -> ErpSystem:
    """Build the RAR system with its tables created (as the ERP's, with its applications)."""
    return applications.create_system(db_url, schema, customizing_dir, clock, logical_system,
                                      applications=APPLICATIONS)
