"""The Interaction Center views: pages and REST routes an agent uses, reading the CDB
(`gateway/cdb/`) and launching into the ERP's displays over RFC. One module per IC profile.
"""
