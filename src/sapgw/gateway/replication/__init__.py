"""Sites, replication objects, publications, subscriptions and criteria (SMOEAC)."""
