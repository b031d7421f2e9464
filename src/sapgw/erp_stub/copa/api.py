"""What other applications may use of CO-PA: post line items (by value field, by cost element
through a PA transfer structure, by SD condition), profitability segments (and the one check
of a segment an account assignment names, `existing_segment`: KE 920/921), the operating
concern of a controlling area, the check of a PA transfer structure, and costs sent from CO
to segments (`post_to_segments`: the CO document of the senders and the segments' line items).

Every posting function registers its line item in the caller's LUW and raises `CopaError`
(message class KE, `error.bapiret2(...)` gives the RETURN row) before registering anything.
"""

from sapgw.erp_stub.copa import direct
from sapgw.erp_stub.copa.concern import Concern, concern_of
from sapgw.erp_stub.copa.errors import CopaError
from sapgw.erp_stub.copa.postings import post, post_by_cost_element, post_conditions
from sapgw.erp_stub.copa.segments import characteristics_of, segment
from sapgw.erp_stub.copa.to_segment import SegmentLine, post_to_segments
from sapgw.erp_stub.copa.transfer import check_structure

check_direct = direct.check
existing_segment = direct.existing_segment
post_direct = direct.post
segment_characteristics = direct.segment_characteristics
DIRECT_POSTING = direct.DIRECT_POSTING

__all__ = [
    "DIRECT_POSTING",
    "Concern",
    "CopaError",
    "SegmentLine",
    "characteristics_of",
    "check_direct",
    "check_structure",
    "concern_of",
    "existing_segment",
    "post",
    "post_by_cost_element",
    "post_conditions",
    "post_direct",
    "post_to_segments",
    "segment",
    "segment_characteristics",
]
