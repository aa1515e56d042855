"""Ports: one ``typing.Protocol`` per module, named after what a use case needs, not after a technology."""
