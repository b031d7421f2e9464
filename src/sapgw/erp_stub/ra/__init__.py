"""Results analysis (CO-OM-OPA / CO-PC-OBJ): KKA2/KKAI for internal orders."""
