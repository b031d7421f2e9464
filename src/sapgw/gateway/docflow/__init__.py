"""The document flow: from a business key to every BDoc, LUW, IDoc and ERP document it
produced (docs/DOCFLOW.md)."""
