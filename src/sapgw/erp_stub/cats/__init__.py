"""CATS: the Cross-Application Time Sheet, its HR master subset and its transfer to CO."""
