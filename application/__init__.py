"""Use cases, the ports they need, and the in-process command bus."""
