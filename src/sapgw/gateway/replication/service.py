"""The replication service: which sites receive a BDoc.

Receivers are the sites subscribed to a publication that contains a replication object of the
BDoc's type, where every criteria field the subscription names matches (simple intelligent
replication); a subscription without criteria takes everything (simple bulk).
"""

from __future__ import annotations

from typing import Any

from sapgw.gateway.config import Settings, SiteSettings


class ReplicationService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def receivers(self, bdoc_type: str, data: dict[str, Any]) -> list[SiteSettings]:
        objects = {name for name, obj in self.settings.replication_objects.items()
                   if obj.bdoc_type == bdoc_type}
        publications = {name for name, pub in self.settings.publications.items()
                        if objects.intersection(pub.replication_objects)}
        header = data.get("HEADER") or {}
        sites: dict[str, SiteSettings] = {}
        for subscription in self.settings.subscriptions.values():
            if subscription.publication not in publications:
                continue
            if not all(str(header.get(field, "")) in values
                       for field, values in subscription.criteria.items()):
                continue
            for site in subscription.sites:
                sites.setdefault(site, self.settings.sites[site])
        return list(sites.values())
