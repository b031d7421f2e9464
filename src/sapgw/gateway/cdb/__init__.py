"""The CRM side's consolidated database (CDB): master data replicated into the gateway.

SAP CRM keeps replicated business partners (BUT000 and friends) and individual objects in
its own database; the gateway keeps them here, beside the BDoc store, so the Interaction
Center views (`gateway/ic/`) can read them without asking the ERP. One module per object
family; each owns its tables.
"""
