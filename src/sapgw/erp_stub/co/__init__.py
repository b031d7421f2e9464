"""CO: internal orders (AUFK) and CO documents (COBK/COEP)."""
