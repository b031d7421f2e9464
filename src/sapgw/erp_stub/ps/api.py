"""What other applications may use of PS: projects and WBS elements."""

from sapgw.erp_stub.ps.projects import project, wbs_element, wbs_element_by_objnr, wbs_posid

__all__ = ["project", "wbs_element", "wbs_element_by_objnr", "wbs_posid"]
