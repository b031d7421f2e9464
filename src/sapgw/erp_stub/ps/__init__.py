"""PS: projects (PROJ) and WBS elements (PRPS); the trade promotion's home in the ERP."""
