"""The gateway's queue statuses are the qRFC layer's (`sapgw.qrfc.status`): one set for SMQ1
and SMQ2 of the gateway and for the ERP's own SMQ1."""

from sapgw.qrfc.status import TEXTS, QueueStatus

__all__ = ["TEXTS", "QueueStatus"]
