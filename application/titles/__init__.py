"""Chat titles written from a chat's first question."""
