"""Creating and changing projects (CJ20N-like): writes registered in the caller's LUW.

A trade promotion becomes one project definition with one WBS element; costs of the
promotion are collected on that element. Numbers come from the PROJ and PRPS ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, update

from sapgw.erp_stub.kernel.context import CallContext
from sapgw.erp_stub.ps.projects import wbs_posid
from sapgw.erp_stub.ps.tables import PROJ, PRPS


@dataclass(frozen=True)
class ProjectData:
    """What a project is made of: external key, text, company code, validity."""

    pspid: str
    description: str
    company_code: str
    controlling_area: str
    start: str
    finish: str


def create_project(ctx: CallContext, data: ProjectData) -> tuple[str, str]:
    """Create the project definition and its first WBS element; returns both PSPNRs."""
    today = ctx.clock.today().strftime("%Y%m%d")
    pspnr = ctx.numbers.next("PROJ")
    ctx.insert(PROJ, {
        "PSPNR": pspnr, "PSPID": data.pspid, "POST1": data.description[:40],
        "VBUKR": data.company_code, "VKOKR": data.controlling_area,
        "PLFAZ": data.start, "PLSEZ": data.finish, "OBJNR": f"PD{pspnr}", "ERDAT": today,
    })
    wbs_pspnr = add_wbs_element(ctx, pspnr, data)
    return pspnr, wbs_pspnr


def add_wbs_element(ctx: CallContext, project_pspnr: str, data: ProjectData) -> str:
    """Create the project's first WBS element (POSID = PSPID + '.01'); returns its PSPNR."""
    pspnr = ctx.numbers.next("PRPS")
    ctx.insert(PRPS, {
        "PSPNR": pspnr, "POSID": wbs_posid(data.pspid), "POST1": data.description[:40],
        "PSPHI": project_pspnr, "PBUKR": data.company_code, "PKOKR": data.controlling_area,
        "OBJNR": f"PR{pspnr}", "ERDAT": ctx.clock.today().strftime("%Y%m%d"),
    })
    return pspnr


def change_project(ctx: CallContext, pspnr: str, data: ProjectData) -> None:
    """Take over description and validity of a project that exists (a re-sent promotion)."""
    proj = PROJ.__table__  # type: ignore[attr-defined]
    prps = PRPS.__table__  # type: ignore[attr-defined]
    description = data.description[:40]

    def write(conn: Connection) -> None:
        conn.execute(update(proj).where(proj.c.PSPNR == pspnr).values(
            POST1=description, PLFAZ=data.start, PLSEZ=data.finish))
        conn.execute(update(prps).where(prps.c.PSPHI == pspnr,
                                        prps.c.POSID == wbs_posid(data.pspid))
                     .values(POST1=description))

    ctx.task(write)
