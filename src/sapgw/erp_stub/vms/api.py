"""What other applications and tests may use of VMS: maintaining its customizing (the CRM
relevance of an action, the active VLC_CRM_INTEGRATOR implementation), as SM30 would.
Changes are registered in the caller's LUW and written at its commit (DDLOG tells other
processes to drop their buffered copy)."""

from sapgw.erp_stub.vms.maintenance import set_crm_integrator, set_crm_relevant

__all__ = ["set_crm_integrator", "set_crm_relevant"]
