"""FI-CA: contract accounting with Convergent Invoicing and its revenue accounting integration."""
