"""IAOM: the Account Assignment Manager linking CRM objects to CO account assignment objects."""
