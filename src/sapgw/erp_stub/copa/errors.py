"""The one exception CO-PA raises to its callers, carrying SAP's message terms.

`post`, `post_by_cost_element` and `segment` check before they register anything, so a
`CopaError` leaves the caller's LUW as it was; the caller turns it into a BAPIRET2 row
(`error.bapiret2(...)`) and decides whether its own document fails with it.
"""

from __future__ import annotations

from sapgw.erp_stub.co import api as co


class CopaError(co.ControllingError):
    """A CO-PA posting refused: message class KE, number, variables, the field at fault."""
