"""Which BDoc types the flow saves in the CDB, and with what: BDoc type -> save function.

CRM's validation service of a messaging flow (MI0) saves the object in CRM's database before
it replicates it; the flow engine calls the save function of the BDoc's type in the flow's
transaction with the BDoc id, its validated data and the time, and logs the text it
answers. A ValueError or KeyError from it ends the BDoc E04 with the reason, saving nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sapgw.gateway.cdb import iobjects

CdbSave = Callable[[Connection, str, dict[str, Any], datetime], str]

SAVERS: Mapping[str, CdbSave] = {
    "CRM_VEHICLE": iobjects.save_vehicle,
}
