"""The mBDoc: one message instance with its header and data segments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class MBDoc:
    bdoc_id: str
    bdoc_type: str
    sender: str
    flow_context: str
    created_at: datetime
    data: dict[str, Any]
