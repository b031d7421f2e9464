"""Initial loads (R3AS), requests (R3AR2/R3AR4) and their monitor (R3AM1): the ERP extracts a
load object in blocks into its outbound queue R3AI_<OBJECT> / R3AR_<OBJECT>; each block
arrives at BAPI_CRM_SAVE and becomes one BDoc per object (docs/LOADS.md).
"""
