"""The chat runtime: frames out through the delivery log, turns taken from the inbox one chat at a time."""
