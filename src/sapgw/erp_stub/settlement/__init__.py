"""Settlement of internal orders (KO88/KO8G): RA data to FI, costs and revenue to receivers."""
