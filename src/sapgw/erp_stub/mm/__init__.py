"""MM: material master (minimal) and inventory management (goods movements, stock)."""
