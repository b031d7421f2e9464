"""Background jobs (SM36/SM37-like, ours): RFC functions of a destination run on a schedule."""
