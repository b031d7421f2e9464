"""What other applications may use of the customer/vendor master: a partner's account in a
company code (FI posts to it)."""

from sapgw.erp_stub.masterdata.accounts import PartnerAccount, partner_account

__all__ = ["PartnerAccount", "partner_account"]
